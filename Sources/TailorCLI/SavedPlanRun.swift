import ArgumentParser
import Foundation
import Planner

/// `tailor apply FILE`: re-plans the saved plan against the state and inputs now, refuses it when stale
/// (saying what changed), and applies it without asking, as Terraform does.
struct SavedPlanRun {
    let file: PlanFile
    let engineOptions: EngineOptions
    let lockOptions: LockOptions
    let applyOptions: ApplyOptions
    /// `--state-url` and `--state-key` as given to `apply`: a saved plan records no state location (its serial
    /// and lineage must match wherever the state is).
    let stateOptions: StateOptions
    /// `--allow-fetch` as given to `apply`: a saved plan never carries consent to run fetch commands.
    let allowFetch: Bool

    /// The saved plan at `path`, or nil when `path` is a folder (of manifests).
    static func file(at path: String) throws -> PlanFile? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        return try PlannerErrors.reporting { try PlanFile.read(atPath: path) }
    }

    func run() async throws {
        let arguments =
            [file.directory] + (file.environment.map { ["--env", $0] } ?? [])
            + file.variables.sorted { $0.key < $1.key }.flatMap { ["--var", "\($0.key)=\($0.value)"] }
            + file.variableFiles.flatMap { ["--var-file", $0] }
        var manifests = try ManifestOptions.parse(arguments)
        manifests.stateOptions = stateOptions
        let set = file.isDestroy ? nil : try manifests.load()
        let store = try manifests.stateBackend()
        try await lockOptions.withLock(store, operation: "apply") {
            let engine = try engineOptions.openEngine(for: manifests.workspace)
            let state = try await PlannerErrors.reporting { try await store.load() }
            let planner = try engineOptions.planner(engine)
            let manifests = set ?? ManifestSet(resources: [], directory: "")
            let plan = try await PlannerErrors.reporting {
                try await planner.replan(file, manifests: manifests, state: state)
            }
            let verb = file.isDestroy ? "destroy" : "apply"
            let fetching = FetchResolution(
                manifests: manifests, state: state, planner: planner, allowed: allowFetch || manifests.allowFetch)
            try await ApplyRun(
                plan: plan, service: engine, store: store, options: applyOptions, verb: verb, approved: true,
                fetching: fetching, objects: try engineOptions.objectSources()
            ).run()
        }
    }
}
