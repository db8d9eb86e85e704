import ArgumentParser
import Foundation
import Planner

extension TailorCommand {
    struct StatePull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull",
            abstract: "Print the state (from the state file or the database) as a state file's JSON.",
            discussion: "With `state push`, it moves a state between backends: `tailor state pull > state.json`.")

        @OptionGroup var workspace: WorkspaceOptions

        func run() async throws {
            let state = try await workspace.loadState()
            let data: Data
            do {
                data = try StateStore.encode(state)
            } catch {
                printError("error: cannot encode the state: \(error)")
                throw ExitCode.failure
            }
            FileHandle.standardOutput.write(data)
            if data.last != UInt8(ascii: "\n") { print() }
        }
    }

    struct StatePush: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "push",
            abstract: "Write a state file into the configured state (e.g. move .tailor/state.json into PostgreSQL).",
            discussion: """
                To move a project's state to PostgreSQL: set spec.state in tailor.yaml (or pass --state-url), then \
                `tailor state push .tailor/state.json`. The pushed state keeps its lineage and becomes the next \
                serial. A destination holding another state (lineage) or a newer serial is left alone unless \
                --force. The previous state is kept (state.json.backup, or tailor_state_history in PostgreSQL).
                """)

        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var lockOptions: LockOptions

        @Argument(help: "The state file to push.")
        var file: String

        @Flag(help: "Replace a destination that holds another state or a newer serial.")
        var force = false

        func run() async throws {
            guard FileManager.default.fileExists(atPath: file) else {
                printError("error: no state file at \(file)")
                throw ExitCode.failure
            }
            let source = try PlannerErrors.reporting {
                try StateStore(url: URL(fileURLWithPath: file)).load()
            }
            let store = try workspace.stateBackend()
            try await lockOptions.withLock(store, operation: "state push") {
                let written = try await PlannerErrors.reporting {
                    try await StateTransfer.push(source, into: store, force: force)
                }
                print(
                    "Pushed \(file) (\(source.resources.count) resources, lineage \(written.lineage ?? "")) to "
                        + "\(store.location) as serial \(written.serial).")
            }
        }
    }
}
