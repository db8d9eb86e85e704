import ArgumentParser
import Planner

extension TailorCommand {
    struct StateList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the addresses in the state, in dependency order.")

        @OptionGroup var workspace: WorkspaceOptions

        @Argument(help: "Only these: addresses, kinds (solution) or globs (campaign/*).")
        var patterns: [String] = []

        func run() async throws {
            print(StateRenderer.list(try await workspace.loadState(), matching: patterns), terminator: "")
        }
    }
}
