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

    var workspace: Workspace {
        Workspace(directory: URL(fileURLWithPath: directory), environment: environment)
    }

    var stateStore: StateStore {
        statePath.map { StateStore(url: URL(fileURLWithPath: $0)) } ?? workspace.stateStore
    }

    /// Loads the state, printing a readable error and exiting 1 when it cannot be read.
    func loadState() throws -> State {
        try PlannerErrors.reporting { try stateStore.load() }
    }
}
