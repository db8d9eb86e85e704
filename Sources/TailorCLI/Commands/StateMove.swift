import ArgumentParser
import Planner

extension TailorCommand {
    struct StateMove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mv",
            abstract: "Track an object under another address (after renaming its manifest).",
            discussion: "The engine keeps the object and its name; only the address that tracks it changes. "
                + "The previous state is kept (state.json.backup, or tailor_state_history in PostgreSQL).")

        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var lockOptions: LockOptions

        @Argument(help: "The address it has now.")
        var source: AddressArgument

        @Argument(help: "The address it should have.")
        var destination: AddressArgument

        @Flag(name: .customLong("dry-run"), help: "Say what would move without writing the state.")
        var dryRun = false

        func run() async throws {
            try await lockOptions.rewriteState(try workspace.stateBackend(), operation: "state mv", dryRun: dryRun) {
                try $0.moving(source.value, to: destination.value)
            }
            print("\(dryRun ? "Would move" : "Moved") \(source.value) to \(destination.value).")
        }
    }
}
