import Foundation
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct LifecycleTests {
    private let solution = ResourceAddress(.solution, "top-picks")
    private let campaign = ResourceAddress(.campaign, "top-picks")

    @Test func datasetGroupsAreProtectedByDefaultEvenOnceTheirManifestIsGone() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try harness.directory.write("g.yaml", "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata: {name: old}\n")
        try await harness.apply()
        try harness.directory.write("g.yaml", "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata: {name: new}\n")
        let planner = Planner(service: harness.engine)

        let error = await #expect(throws: PlannerError.self) { try await harness.plan() }
        let allowed = try await planner.plan(
            harness.manifests(), state: harness.state(), options: PlanOptions(allowDestroy: ["dataset-group/old"]))

        #expect(
            error?.description == """
                the plan would destroy protected resources:
                  dataset-group/old: it is no longer in the manifests (dataset groups are protected by default)
                Keep them, set lifecycle.preventDestroy: false in their manifests, or pass --allow-destroy ADDRESS for each
                """)
        #expect(
            allowed.actionableChanges.map { "\($0.action) \($0.address)" } == [
                "create dataset-group/new", "delete dataset-group/old",
            ])
        #expect(
            Planner(service: harness.engine).destroyPlan(state: try harness.state()).changes.count == 1, "destroy may")
    }

    @Test func preventDestroyIsRecordedAndHoldsForDestroyToo() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        try harness.directory.write("solutions.yaml", Fixtures.solution() + "lifecycle: {preventDestroy: true}\n")
        try await harness.apply()
        #expect(try harness.state()[campaign]?.preventDestroy == true)
        try harness.directory.write("solutions.yaml", Fixtures.solution().components(separatedBy: "---\n")[0])

        let removed = await #expect(throws: PlannerError.self) { try await harness.plan() }
        let destroy = #expect(throws: PlannerError.self) {
            try Planner(service: harness.engine).destroyPlan(state: try harness.state(), options: PlanOptions())
        }

        #expect(
            removed?.description.contains(
                "campaign/top-picks: it is no longer in the manifests (lifecycle.preventDestroy)") == true)
        #expect(
            destroy?.description.contains("campaign/top-picks: destroy deletes it (lifecycle.preventDestroy)") == true)
    }

    @Test func ignoredChangesDoNotShowAndAreNotApplied() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        try harness.directory.write(
            "solutions.yaml", Fixtures.solution() + "lifecycle: {ignoreChanges: [minProvisionedTPS]}\n")
        try await harness.apply()

        try harness.directory.write(
            "solutions.yaml", Fixtures.solution(tps: 7) + "lifecycle: {ignoreChanges: [minProvisionedTPS]}\n")

        #expect(try await !harness.plan().hasChanges)
        try harness.directory.write(
            "solutions.yaml", Fixtures.solution() + "lifecycle: {ignoreChanges: [minProvisonedTPS]}\n")
        let typo = #expect(throws: DiagnosticsError.self) { try harness.manifests() }
        #expect(typo?.diagnostics.first?.message.contains("did you mean 'minProvisionedTPS'?") == true)
    }

    @Test func createBeforeDestroyMovesTheCampaignToTheReplacementInPlace() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        let cbd = "lifecycle: {createBeforeDestroy: true}\n---\n"
        func manifest(_ recipe: String) -> String {
            Fixtures.solution(recipe: recipe).replacingOccurrences(of: "---\n", with: cbd)
        }
        try harness.directory.write("solutions.yaml", manifest("aws-user-personalization"))
        try await harness.apply()
        let old = try #require(harness.state()[solution]?.arn)
        try harness.directory.write("solutions.yaml", manifest("aws-popularity-count"))

        let plan = try await harness.plan()
        #expect(plan[solution]?.action == .replace)
        #expect(plan[solution]?.createBeforeDestroy == true)
        #expect(PlanJSON.actions(try #require(plan[solution])) == ["create", "delete"])
        #expect(plan[campaign]?.action == .update, "moved in place, not replaced")
        #expect(PlanRenderer.text(plan).contains("+/- solution/top-picks"))
        let before = await harness.engine.calls.count
        let summary = try await harness.apply(plan)

        #expect(summary.succeeded)
        #expect(
            Array(await harness.engine.calls.dropFirst(before)) == [
                "CreateSolution top-picks-r1", "CreateSolutionVersion top-picks-v1",
                "UpdateCampaign \(try #require(harness.state()[campaign]?.arn))",
                "DeleteSolution \(old)",
            ])
        let state = try harness.state()
        #expect(state[solution]?.engineName == "top-picks-r1")
        #expect(state.deposed.isEmpty)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func aCreateBeforeDestroyKilledMidwayIsCompletedByTheNextApply() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        let cbd = "lifecycle: {createBeforeDestroy: true}\n---\n"
        try harness.directory.write("solutions.yaml", Fixtures.solution().replacingOccurrences(of: "---\n", with: cbd))
        try await harness.apply()
        try harness.directory.write(
            "solutions.yaml",
            Fixtures.solution(recipe: "aws-popularity-count").replacingOccurrences(of: "---\n", with: cbd))
        await harness.engine.setCrash(after: "CreateSolution")

        await #expect(throws: CancellationError.self) { try await harness.apply() }
        #expect(try harness.state().deposed[solution]?.count == 1)

        let resumed = try await harness.plan()
        #expect(resumed.changes.contains { $0.deposed != nil && $0.action == .delete })
        #expect(try await harness.apply(resumed).succeeded)
        #expect(await harness.engine.count("CreateSolution") == 2, "the replacement is adopted, not created twice")
        #expect(try harness.state().deposed.isEmpty)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func independentResourcesApplyInParallelWithinTheBound() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        for name in ["a", "b", "c"] {
            try harness.directory.write(
                "\(name).yaml", "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata: {name: \(name)}\n")
        }

        #expect(try await harness.apply(harness.plan(), parallelism: 2).succeeded)

        let events = harness.log.events.compactMap { event -> String? in
            switch event {
            case .started(let address, _): "start \(address.name)"
            case .completed(let address, _, _): "done \(address.name)"
            default: nil
            }
        }
        #expect(Array(events.prefix(2)) == ["start a", "start b"], "two at once: \(events)")
        #expect(events.filter { $0.hasPrefix("done") }.count == 3)
        let third = try #require(events.firstIndex(of: "start c"))
        #expect(events[..<third].contains { $0.hasPrefix("done") }, "the third waits for a slot: \(events)")
    }

    @Test func createBeforeDestroyIsRefusedWhereTheEngineCannotDoIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Fixtures.writeMovielens(to: directory)
        try directory.write("datasets/interactions.yml", Fixtures.dataset + "lifecycle: {createBeforeDestroy: true}\n")

        let error = #expect(throws: DiagnosticsError.self) { try ManifestLoader.load(directory: directory.url) }

        #expect(
            error?.diagnostics.map(\.message) == [
                "a Dataset cannot be created before its replaced one is destroyed: a dataset group holds one dataset of each type"
            ])
    }
}
