import ArgumentParser
import Foundation
import Planner

extension TailorCommand {
    struct ForceUnlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "force-unlock",
            abstract: "Remove a state lock left by an operation that can no longer release it.",
            discussion: "The ID is the one printed by the refused operation. A lock whose holder died is "
                + "released by the system already; breaking a live holder's lock can let two writers in. With the "
                + "PostgreSQL backend the holder's database session is ended, which releases its lock and stops "
                + "its state writes.")

        @OptionGroup var workspace: WorkspaceOptions

        @Argument(help: "The lock's ID.")
        var id: String

        @Flag(help: "Do not ask for confirmation.")
        var force = false

        func run() async throws {
            let store = try workspace.stateBackend()
            if !force {
                try Terminal.requireYes(
                    "Remove the lock \(id) on \(store.location)?", canAsk: Terminal.inputIsInteractive,
                    refusal: "error: force-unlock needs confirmation: run it in a terminal, or pass --force",
                    command: "force-unlock")
            }
            let removed = try await PlannerErrors.reporting { try await store.forceUnlock(id: id) }
            if removed.wasHeld {
                printError(
                    "warning: the holder (pid \(removed.info?.pid ?? 0)) still held the lock and may still be running")
                if store is PostgresStateStore {
                    printError("  its database session was ended, so it cannot write the state any more")
                }
            }
            print("The state lock \(id) has been removed.")
        }
    }
}
