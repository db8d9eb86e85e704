package import Foundation

/// Where one environment of a manifests folder keeps its files: `--env NAME` selects the state file, its
/// lock and the embedded engine's data folder together, so they cannot get out of step.
///
/// | environment | state | engine data |
/// |---|---|---|
/// | none | `.tailor/state.json` | `.tailor/engine` |
/// | `prod` | `.tailor/env/prod/state.json` | `.tailor/env/prod/engine` |
package struct Workspace: Sendable, Hashable {
    /// The manifests' root folder.
    package var directory: URL
    /// The selected environment, if any.
    package var environment: String?

    package init(directory: URL, environment: String? = nil) {
        self.directory = directory.standardizedFileURL
        self.environment = environment
    }

    /// The folder of the environment's files.
    package var dataFolder: URL {
        let base = directory.appendingPathComponent(".tailor", isDirectory: true)
        guard let environment else { return base }
        return base.appendingPathComponent("env", isDirectory: true).appendingPathComponent(
            environment, isDirectory: true)
    }

    /// The state file.
    package var stateURL: URL { dataFolder.appendingPathComponent("state.json") }

    /// The embedded engine's data folder.
    package var engineDirectory: URL { dataFolder.appendingPathComponent("engine", isDirectory: true) }

    /// The state file of the environment (the state backend when `tailor.yaml` chooses no other; see
    /// ``StateSelection``).
    package var stateStore: StateStore { StateStore(url: stateURL) }
}
