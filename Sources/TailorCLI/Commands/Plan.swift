import ArgumentParser
import Planner

extension TailorCommand {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what apply would change to make the engine match the manifests.")

        @OptionGroup var manifests: ManifestOptions
        @OptionGroup var engineOptions: EngineOptions

        @Flag(
            name: .customLong("detailed-exitcode"),
            help: "Exit 0 when there are no changes, 2 when there are, 1 on errors.")
        var detailedExitCode = false

        @Flag(inversion: .prefixedEnableDisable, help: "Compare with what the engine has now (default), or state only.")
        var refresh = true

        func run() async throws {
            let set = try manifests.load()
            let engine = try engineOptions.openEngine(at: engineOptions.dataDirectory(besides: manifests.directoryURL))
            let state = try PlannerErrors.reporting { try manifests.stateStore.load() }
            let plan = try await PlannerErrors.reporting {
                try await Planner(service: engine, onFetch: FetchReporter.report).plan(
                    set, state: state, refresh: refresh)
            }
            print(PlanRenderer.text(plan, colors: Terminal.colors), terminator: "")
            if detailedExitCode, plan.hasChanges { throw ExitCode(2) }
        }
    }
}
