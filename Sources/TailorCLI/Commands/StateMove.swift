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
            let store = try workspace.stateBackend()
            try await lockOptions.withLock(store, operation: "state mv") {
                let state = try await PlannerErrors.reporting { try await store.load() }
                let moved = try PlannerErrors.reporting { try state.moving(source.value, to: destination.value) }
                if !dryRun { _ = try await PlannerErrors.reporting { try await store.write(moved) } }
                print("\(dryRun ? "Would move" : "Moved") \(source.value) to \(destination.value).")
            }
        }
    }
}
