import ArgumentParser
import EngineAPI
import Foundation
import Planner

extension TailorCommand {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what apply would change to make the engine match the manifests.",
            discussion: "With -out FILE the plan is saved: `tailor apply FILE` applies exactly it, or refuses "
                + "when the state, the inputs or the engine moved on since.")

        @OptionGroup var manifests: ManifestOptions
        @OptionGroup var engineOptions: EngineOptions
        @OptionGroup var planning: PlanningOptions
        @OptionGroup var lockOptions: LockOptions

        @Flag(
            name: .customLong("detailed-exitcode"),
            help: "Exit 0 when there are no changes, 2 when there are, 1 on errors.")
        var detailedExitCode = false

        @Option(
            name: [.customLong("out"), .customLong("out", withSingleDash: true)],
            help: "Save the plan to this file, for `tailor apply FILE`.", completion: .file())
        var out: String?

        @Flag(help: "Print the plan as JSON in the shape of Terraform's plan JSON.")
        var json = false

        @Flag(help: "Plan destroying everything in state.")
        var destroy = false

        func run() async throws {
            let plan = try await PlanRun(
                manifests: manifests, engineOptions: engineOptions, lockOptions: lockOptions,
                options: planning.options, destroy: destroy
            ).plan()
            if json {
                print(PlanJSON.string(plan), terminator: "")
            } else {
                print(PlanRenderer.text(plan, colors: Terminal.colors), terminator: "")
            }
            if let out {
                let file = PlanFile(
                    plan: plan, directory: manifests.directory, environment: manifests.environment,
                    variables: manifests.variables.map(\.value), variableFiles: manifests.variableFiles)
                try PlannerErrors.reporting { try file.encoded().write(to: URL(fileURLWithPath: out)) }
                if !json { print("\nSaved the plan to \(out). Apply exactly it with: tailor apply \(out)") }
            }
            if detailedExitCode, plan.hasChanges { throw ExitCode(2) }
        }
    }
}

/// Loads the manifests, takes the state lock, opens the engine and plans: what `plan`, `apply` and `refresh`
/// share.
struct PlanRun {
    let manifests: ManifestOptions
    let engineOptions: EngineOptions
    let lockOptions: LockOptions
    let options: PlanOptions
    var destroy = false

    /// Plans, holding the lock while reading state.
    func plan() async throws -> Plan {
        let set = destroy ? nil : try manifests.load()
        let store = try manifests.stateBackend()
        return try await lockOptions.withLock(store, operation: "plan") {
            let engine = try engineOptions.openEngine(for: manifests.workspace)
            return try await plan(
                set, engine: engine, state: try await PlannerErrors.reporting { try await store.load() })
        }
    }

    /// Plans with an open engine and loaded state (inside a lock the caller holds).
    func plan(_ set: ManifestSet?, engine: any PersonalizeService, state: State) async throws -> Plan {
        let planner = try engineOptions.planner(engine)
        return try await PlannerErrors.reporting {
            guard let set else { return try planner.destroyPlan(state: state, options: options) }
            return try await planner.plan(set, state: state, options: options)
        }
    }
}
