import ArgumentParser
import Foundation
import Planner

/// The folder and environment whose state `state`, `output` and `force-unlock` work on.
struct WorkspaceOptions: ParsableArguments {
    @Option(
        name: [.customShort("C"), .customLong("dir")], help: "The manifests folder (default: the current one).",
        completion: .directory)
    var directory = "."

    @Option(name: .customLong("env"), help: "The environment whose state to use.")
    var environment: String?

    @Option(name: .customLong("state"), help: "A state file to use instead of the folder's.", completion: .file())
    var statePath: String?

    @OptionGroup var stateOptions: StateOptions

    var workspace: Workspace {
        Workspace(directory: URL(fileURLWithPath: directory), environment: environment)
    }

    /// The state: `--state`, `--state-url`, `tailor.yaml`'s `spec.state` or the folder's state file.
    func stateBackend() throws -> any StateBackend {
        try stateOptions.backend(for: workspace, path: statePath)
    }

    /// Loads the state, printing a readable error and exiting 1 when it cannot be read.
    func loadState() async throws -> State {
        let store = try stateBackend()
        return try await PlannerErrors.reporting { try await store.load() }
    }
}
