import ArgumentParser
import Foundation
import Planner

extension TailorCommand {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the engine match the manifests: create, import, train, deploy.",
            discussion: "Exit codes: 0 done (or nothing to do), 1 failed before changing anything, "
                + "3 failed after some changes (the state records them; run apply again).")

        @OptionGroup var manifests: ManifestOptions
        @OptionGroup var engineOptions: EngineOptions

        @Flag(name: .customLong("auto-approve"), help: "Apply without asking.")
        var autoApprove = false

        func run() async throws {
            let set = try manifests.load()
            let engine = try engineOptions.openEngine(at: engineOptions.dataDirectory(besides: manifests.directoryURL))
            let store = manifests.stateStore
            let state = try PlannerErrors.reporting { try store.load() }
            let plan = try await PlannerErrors.reporting {
                try await Planner(service: engine, onFetch: FetchReporter.report).plan(set, state: state)
            }
            try await ApplyRun(plan: plan, service: engine, store: store, autoApprove: autoApprove, verb: "apply").run()
        }
    }

    struct Destroy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete everything the state records, dependents first.")

        @OptionGroup var manifests: ManifestOptions
        @OptionGroup var engineOptions: EngineOptions

        @Flag(name: .customLong("auto-approve"), help: "Destroy without asking.")
        var autoApprove = false

        func run() async throws {
            let engine = try engineOptions.openEngine(at: engineOptions.dataDirectory(besides: manifests.directoryURL))
            let store = manifests.stateStore
            let state = try PlannerErrors.reporting { try store.load() }
            let plan = Planner(service: engine).destroyPlan(state: state)
            try await ApplyRun(plan: plan, service: engine, store: store, autoApprove: autoApprove, verb: "destroy")
                .run()
        }
    }
}
