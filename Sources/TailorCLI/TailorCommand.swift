public import ArgumentParser

/// The root `tailor` command.
public struct TailorCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tailor",
        abstract: "Amazon Personalize, embedded and declarative: plan and apply manifests, get recommendations.",
        subcommands: [
            Validate.self, Fmt.self, Plan.self, Apply.self, Destroy.self, Refresh.self, StateCommand.self,
            Import.self, Output.self, ForceUnlock.self, Graph.self, Schema.self,
            Recommend.self, Evaluate.self,
            Serve.self, EngineCommand.self,
        ]
    )

    public init() {}
}
