import ArgumentParser
import Foundation
import Logging
import Planner

/// `--state-url` and `--state-key`: a PostgreSQL database for the state instead of `tailor.yaml`'s `spec.state`
/// or the state file.
struct StateOptions: ParsableArguments {
    @Option(
        name: .customLong("state-url"),
        help: ArgumentHelp(
            "Keep the state in this PostgreSQL database: postgres://USER@HOST:PORT/DATABASE (default: tailor.yaml's "
                + "spec.state, else .tailor/state.json).",
            discussion: "Give the password in PGPASSWORD rather than in the URL: arguments are visible to other users."
        ))
    var url: String?

    @Option(
        name: .customLong("state-key"),
        help: ArgumentHelp(
            "The state's key in the database (default: spec.state.key, else the project's name); --env NAME "
                + "appends /NAME."))
    var key: String?

    /// The backend for `workspace` (with `--state PATH` when given), printing the problem and exiting 1 when
    /// the settings cannot be used.
    func backend(for workspace: Workspace, path: String? = nil) throws -> any StateBackend {
        var logger = Logger(label: "tailor.state")
        logger.logLevel = .critical
        let selection = StateSelection(path: path, url: url, key: key)
        do {
            return try selection.backend(
                for: workspace, environment: ProcessInfo.processInfo.environment, logger: logger)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            throw ExitCode.failure
        }
    }
}
