import ArgumentParser
import Foundation
import Planner

extension TailorCommand {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the engine match the manifests (or apply a saved plan): create, import, train, deploy.",
            discussion: "Given a file saved by `tailor plan -out FILE`, applies exactly that plan without asking, "
                + "or refuses when it is stale. Exit codes: 0 done (or nothing to do), 1 failed before changing "
                + "anything, 3 failed after some changes (the state records them; run apply again).")

        @OptionGroup var manifests: ManifestOptions
        @OptionGroup var engineOptions: EngineOptions
        @OptionGroup var planning: PlanningOptions
        @OptionGroup var lockOptions: LockOptions

        @OptionGroup var applyOptions: ApplyOptions

        @Flag(
            name: .customLong("allow-fetch"),
            help: ArgumentHelp(
                "Let apply run the datasets' import.fetch commands whose source is missing (code from the manifests: "
                    + "review them first). tailor.yaml's spec.allowFetch: true does the same; plan and validate "
                    + "never run them."))
        var allowFetch = false

        func run() async throws {
            if let planFile = try SavedPlanRun.file(at: manifests.directory) {
                guard !planning.isSet else {
                    throw ValidationError("planning options cannot be combined with a saved plan; plan again with them")
                }
                return try await SavedPlanRun(
                    file: planFile, engineOptions: engineOptions, lockOptions: lockOptions, applyOptions: applyOptions,
                    stateOptions: manifests.stateOptions, allowFetch: allowFetch
                ).run()
            }
            let run = PlanRun(
                manifests: manifests, engineOptions: engineOptions, lockOptions: lockOptions, options: planning.options)
            let set = try manifests.load()
            let store = try manifests.stateBackend()
            try await lockOptions.withLock(store, operation: "apply") {
                let engine = try engineOptions.openEngine(for: manifests.workspace)
                let state = try await PlannerErrors.reporting { try await store.load() }
                let plan = try await run.plan(set, engine: engine, state: state)
                let fetching = FetchResolution(
                    manifests: set, state: state,
                    planner: try engineOptions.planner(engine),
                    allowed: allowFetch || set.allowFetch)
                try await ApplyRun(
                    plan: plan, service: engine, store: store, options: applyOptions, verb: "apply", fetching: fetching,
                    objects: try engineOptions.objectSources()
                ).run()
            }
        }
    }

    struct Destroy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete everything the state records (or the targeted part), dependents first.")

        @OptionGroup var manifests: ManifestOptions
        @OptionGroup var engineOptions: EngineOptions
        @OptionGroup var planning: PlanningOptions
        @OptionGroup var lockOptions: LockOptions

        @OptionGroup var applyOptions: ApplyOptions

        func run() async throws {
            let run = PlanRun(
                manifests: manifests, engineOptions: engineOptions, lockOptions: lockOptions, options: planning.options,
                destroy: true)
            let store = try manifests.stateBackend()
            try await lockOptions.withLock(store, operation: "destroy") {
                let engine = try engineOptions.openEngine(for: manifests.workspace)
                let plan = try await run.plan(
                    nil, engine: engine, state: await PlannerErrors.reporting { try await store.load() })
                try await ApplyRun(plan: plan, service: engine, store: store, options: applyOptions, verb: "destroy")
                    .run()
            }
        }
    }

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record in state what changed in the engine outside Tailor (same as apply --refresh-only).")

        @OptionGroup var manifests: ManifestOptions
        @OptionGroup var engineOptions: EngineOptions
        @OptionGroup var lockOptions: LockOptions
        @OptionGroup var applyOptions: ApplyOptions

        func run() async throws {
            let run = PlanRun(
                manifests: manifests, engineOptions: engineOptions, lockOptions: lockOptions,
                options: PlanOptions(refreshOnly: true))
            let set = try manifests.load()
            let store = try manifests.stateBackend()
            try await lockOptions.withLock(store, operation: "refresh") {
                let engine = try engineOptions.openEngine(for: manifests.workspace)
                let plan = try await run.plan(
                    set, engine: engine, state: await PlannerErrors.reporting { try await store.load() })
                try await ApplyRun(
                    plan: plan, service: engine, store: store, options: applyOptions, verb: "refresh", approved: true
                ).run()
            }
        }
    }
}
