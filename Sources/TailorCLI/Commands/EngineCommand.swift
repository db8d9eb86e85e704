import ArgumentParser

extension TailorCommand {
    struct EngineCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "engine",
            abstract: "Run the embedded engine's own work (automatic training, attribution reports) without a server.",
            subcommands: [EngineTick.self, EngineAttributionReport.self]
        )
    }
}
