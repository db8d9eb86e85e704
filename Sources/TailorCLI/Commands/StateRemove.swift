import ArgumentParser
import Planner

extension TailorCommand {
    struct StateRemove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Stop tracking objects; the engine keeps them.",
            discussion: "A manifest that still declares the address makes the next apply adopt the object by "
                + "name again. The previous state is kept (state.json.backup, or tailor_state_history in PostgreSQL).")

        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var lockOptions: LockOptions

        @Argument(help: "The addresses to forget.")
        var addresses: [AddressArgument]

        @Flag(name: .customLong("dry-run"), help: "Say what would be removed without writing the state.")
        var dryRun = false

        func run() async throws {
            let store = try workspace.stateBackend()
            try await lockOptions.withLock(store, operation: "state rm") {
                let state = try await PlannerErrors.reporting { try await store.load() }
                let removed = try PlannerErrors.reporting { try state.removing(addresses.map(\.value)) }
                if !dryRun { _ = try await PlannerErrors.reporting { try await store.write(removed) } }
                for address in addresses {
                    print("\(dryRun ? "Would remove" : "Removed") \(address.value) (the engine keeps it).")
                }
            }
        }
    }
}
