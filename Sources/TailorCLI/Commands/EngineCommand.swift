import ArgumentParser

extension TailorCommand {
    struct EngineCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "engine",
            abstract: "Run the embedded engine's own work (automatic training) without a server.",
            subcommands: [EngineTick.self]
        )
    }
}
