import Engine
import Foundation
import Planner

extension EngineOptions {
    /// Opens the embedded engine of `workspace`: `--data-dir` when given, else the environment's folder
    /// (`.tailor/engine`, or `.tailor/env/NAME/engine` with `--env NAME`).
    func openEngine(for workspace: Workspace) throws -> LocalEngine {
        try PlannerErrors.reporting {
            try openEngine(at: dataDirectory.map { URL(fileURLWithPath: $0) } ?? workspace.engineDirectory)
        }
    }
}
