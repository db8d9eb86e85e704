import Foundation
package import Logging

/// Chooses a workspace's state backend: `--state PATH` or `--state-url URL` when given, else `spec.state` of
/// `tailor.yaml`, else the state file of the workspace (``Workspace/stateURL``).
///
/// With the PostgreSQL backend, `--env NAME` appends `/NAME` to the key, so each environment has its own state
/// and its own lock, as it has its own state file.
package struct StateSelection: Sendable, Hashable {
    /// `--state PATH`: a state file.
    package var path: String?
    /// `--state-url URL`: a database (wins over `tailor.yaml`).
    package var url: String?
    /// `--state-key KEY`: the key in the database (wins over `tailor.yaml`).
    package var key: String?

    package init(path: String? = nil, url: String? = nil, key: String? = nil) {
        self.path = path
        self.url = url
        self.key = key
    }

    /// The backend for `workspace`.
    ///
    /// - Parameters:
    ///   - workspace: The manifests folder and environment.
    ///   - environment: The process environment (`${env.NAME}` in the URL, `PGPASSWORD`).
    ///   - logger: For the database backend's connection events.
    /// - Returns: The state file or the database table.
    /// - Throws: ``DiagnosticsError`` when `tailor.yaml` has problems, or the URL or key cannot be used (located
    ///   at the file and line, or at `--state-url`).
    package func backend(
        for workspace: Workspace, environment: [String: String], logger: Logger
    ) throws(DiagnosticsError) -> any StateBackend {
        if let path {
            guard url == nil else {
                throw DiagnosticsError([Diagnostic(at: .file("--state"), "--state and --state-url exclude each other")])
            }
            return StateStore(url: URL(fileURLWithPath: path))
        }
        let project = try ManifestLoader.project(in: workspace.directory)
        let settings = project?.state
        let written: (url: String, location: SourceLocation)
        if let url {
            written = (url, .file("--state-url"))
        } else if let settings, settings.backend == .postgres,
            let url = try settings.resolvedURL(environment: environment)
        {
            written = (url, settings.urlLocation)
        } else {
            return workspace.stateStore
        }
        let parsed: PostgresURL
        do {
            parsed = try PostgresURL(written.url, environment: environment)
        } catch {
            throw DiagnosticsError([Diagnostic(at: written.location, "state URL: \(error.description)")])
        }
        guard let base = key ?? settings?.key ?? project?.name else {
            throw DiagnosticsError([
                Diagnostic(
                    at: written.location,
                    "the postgres state backend needs a key: set spec.state.key (or metadata.name) in "
                        + "\(Project.fileName), or pass --state-key KEY")
            ])
        }
        let key = workspace.environment.map { "\(base)/\($0)" } ?? base
        return PostgresStateStore(url: parsed, key: key, logger: logger)
    }
}
