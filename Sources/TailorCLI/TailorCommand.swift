public import ArgumentParser

/// The root `tailor` command.
public struct TailorCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tailor",
        abstract: "Amazon Personalize, embedded and declarative: plan and apply manifests, get recommendations.",
        subcommands: [Validate.self, Plan.self, Apply.self, Destroy.self, Recommend.self]
    )

    public init() {}
}
