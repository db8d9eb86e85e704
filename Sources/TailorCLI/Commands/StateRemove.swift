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
            try await lockOptions.rewriteState(try workspace.stateBackend(), operation: "state rm", dryRun: dryRun) {
                try $0.removing(addresses.map(\.value))
            }
            for address in addresses {
                print("\(dryRun ? "Would remove" : "Removed") \(address.value) (the engine keeps it).")
            }
        }
    }
}
