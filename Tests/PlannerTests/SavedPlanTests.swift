import Foundation
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct SavedPlanTests {
    private let campaign = ResourceAddress(.campaign, "top-picks")

    private func saved(_ plan: Plan) throws -> PlanFile {
        try PlanFile.decode(PlanFile(plan: plan, directory: "m").encoded(), file: "plan.json")
    }

    @Test func aSavedPlanRoundTripsAndAppliesWhenNothingMovedOn() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        let file = try saved(try await harness.plan())

        #expect(file.hasChanges)
        #expect(file.state.serial == 0 && file.state.lineage == nil)
        #expect(
            file.inputs.keys.sorted() == [
                "data/ratings.csv", "datasets/interactions.yml", "group.yaml", "solutions.yaml",
            ])
        #expect(file.changes.map(\.actions) == Array(repeating: ["create"], count: 5))
        let fresh = try await Planner(service: harness.engine).replan(
            file, manifests: harness.manifests(), state: harness.state())
        #expect(try await harness.apply(fresh).succeeded)

        let twice = await #expect(throws: PlannerError.self) {
            try await Planner(service: harness.engine).replan(
                file, manifests: harness.manifests(), state: harness.state())
        }
        #expect(twice?.description.contains("the state was replaced") == true, "a plan applies once")
        #expect(twice?.description.contains("the plan was made before any state existed") == true)
    }

    @Test func aStalePlanSaysWhatChangedInStateInputsAndTheEngine() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        try harness.directory.write("solutions.yaml", Fixtures.solution(tps: 2))
        let file = try saved(try await harness.plan())
        #expect(file.changes.first { $0.address == "campaign/top-picks" }?.actions == ["update"])
        let planner = Planner(service: harness.engine)

        try harness.directory.write("solutions.yaml", Fixtures.solution(tps: 3))
        let inputs = await #expect(throws: PlannerError.self) {
            try await planner.replan(file, manifests: harness.manifests(), state: harness.state())
        }
        #expect(
            inputs?.description.contains("the inputs changed since the plan was made: solutions.yaml changed") == true)

        try harness.directory.write("solutions.yaml", Fixtures.solution(tps: 2))
        await harness.engine.setField(try #require(harness.state()[campaign]?.arn), "minProvisionedTPS", "2")
        let engine = await #expect(throws: PlannerError.self) {
            try await planner.replan(file, manifests: harness.manifests(), state: harness.state())
        }
        #expect(
            engine?.description.contains(
                "the engine changed since the plan was made: campaign/top-picks: update when planned, no-op now")
                == true)

        var state = try harness.state()
        state[campaign]?.attributes["note"] = .string("x")
        try harness.store.write(state)
        let moved = await #expect(throws: PlannerError.self) {
            try await planner.replan(file, manifests: harness.manifests(), state: harness.state())
        }
        #expect(moved?.description.contains("the state changed since the plan was made") == true)
        #expect(moved?.description.contains(": campaign/top-picks changed") == true)
    }

    @Test func aFileThatIsNotAPlanOrTooNewIsRefused() {
        #expect(throws: PlanFileError.notAPlan(file: "x")) { try PlanFile.decode(Data("{}".utf8), file: "x") }
        let newer = Data(#"{"format": "tailor-plan", "version": 99}"#.utf8)
        #expect(throws: PlanFileError.unsupportedVersion(file: "x", version: 99, highestSupported: 1)) {
            try PlanFile.decode(newer, file: "x")
        }
    }
}

@Suite struct PlanJSONTests {
    @Test func resourceChangesHaveTerraformsShape() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        try harness.directory.write("solutions.yaml", Fixtures.solution(recipe: "aws-popularity-count"))

        let json = PlanJSON.value(try await harness.plan())

        #expect(json.mapValue?["format_version"] == .string("1.3"))
        let changes = try #require(json.mapValue?["resource_changes"]?.listValue)
        let solution = try #require(
            changes.first { $0.mapValue?["address"] == .string("solution/top-picks") }?.mapValue)
        #expect(solution["type"] == .string("Solution"))
        #expect(solution["name"] == .string("top-picks"))
        #expect(solution["action_reason"] == .string("replace_because_cannot_update"))
        let change = try #require(solution["change"]?.mapValue)
        #expect(change["actions"] == .list([.string("delete"), .string("create")]))
        #expect(change["replace_paths"] == .list([.list([.string("recipe")])]))
        #expect(change["before"]?.mapValue?["recipe"] == .string("aws-user-personalization"))
        #expect(change["after"]?.mapValue?["recipe"] == .string("aws-popularity-count"))
        let group = try #require(
            changes.first { $0.mapValue?["address"] == .string("dataset-group/movielens") }?.mapValue)
        #expect(group["change"]?.mapValue?["actions"] == .list([.string("no-op")]))

        try harness.directory.write("solutions.yaml", Fixtures.solution())
        try harness.directory.write("data/ratings.csv", Fixtures.ratings + "3,30,300\n")
        let retrain = try #require(PlanJSON.value(try await harness.plan()).mapValue?["resource_changes"]?.listValue)
        let campaign = try #require(
            retrain.first { $0.mapValue?["address"] == .string("campaign/top-picks") }?.mapValue)
        #expect(campaign["change"]?.mapValue?["after_unknown"] == .map(["solutionVersion": .bool(true)]))
        #expect(campaign["change"]?.mapValue?["actions"] == .list([.string("update")]))
    }
}

@Suite struct TargetingTests {
    @Test func aTargetBringsWhatItNeeds() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        let planner = Planner(service: harness.engine)

        let dataset = try await planner.plan(
            harness.manifests(), state: .empty, options: PlanOptions(targets: ["dataset/interactions"]))
        let excluded = try await planner.plan(
            harness.manifests(), state: .empty, options: PlanOptions(excludes: ["dataset"]))
        let kind = try await planner.plan(harness.manifests(), state: .empty, options: PlanOptions(targets: ["schema"]))

        #expect(
            dataset.changes.map(\.address.description) == [
                "dataset-group/movielens", "schema/interactions", "dataset/interactions",
            ])
        #expect(
            dataset.warnings.first?.hasPrefix("Resource targeting is in effect (--target dataset/interactions)") == true
        )
        #expect(excluded.changes.map(\.address.description) == ["dataset-group/movielens", "schema/interactions"])
        #expect(kind.changes.map(\.address.description) == ["schema/interactions"])
        #expect(PlanJSON.value(dataset).mapValue?["complete"] == .bool(false))
        let unknown = await #expect(throws: PlannerError.self) {
            try await planner.plan(
                harness.manifests(), state: .empty, options: PlanOptions(targets: ["campaign/top-pick"]))
        }
        #expect(
            unknown?.description
                == "'campaign/top-pick' matches no address in the manifests or the state; did you mean 'campaign/top-picks'?"
        )
    }
}

@Suite struct RefreshTests {
    private let campaign = ResourceAddress(.campaign, "top-picks")

    @Test func aRefreshOnlyPlanRecordsDriftWithoutTouchingTheEngine() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        let arn = try #require(harness.state()[campaign]?.arn)
        await harness.engine.setField(arn, "minProvisionedTPS", "5")
        let planner = Planner(service: harness.engine)
        let calls = await harness.engine.calls.count

        let plan = try await planner.plan(
            harness.manifests(), state: harness.state(), options: PlanOptions(refreshOnly: true))

        #expect(plan.changes.isEmpty)
        #expect(plan.drift.map(\.address) == [campaign])
        #expect(
            plan.drift.first?.fields == [
                FieldChange(path: "minProvisionedTPS", before: .known(.int(1)), after: .known(.int(5)))
            ])
        #expect(PlanRenderer.text(plan).contains("# campaign/top-picks has changed"))
        #expect(PlanRenderer.text(plan).hasSuffix("Would update the state of 1 resource.\n"))
        #expect(try await harness.apply(plan).succeeded)
        #expect(await harness.engine.calls.count == calls, "nothing sent to the engine")
        #expect(try harness.state()[campaign]?.spec["minProvisionedTPS"] == .int(5))

        let undo = try await harness.plan()
        #expect(undo.actionableChanges.map(\.address) == [campaign])
        #expect(undo.drift.isEmpty)
        #expect(
            try await planner.plan(harness.manifests(), state: harness.state(), options: PlanOptions(refreshOnly: true))
                .hasChanges == false)
    }

    @Test func aNormalPlanShowsDriftAndUndoesIt() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        try await harness.deleteOutsideTailor(campaign)

        let plan = try await harness.plan()

        #expect(plan.drift.map(\.action) == [.delete])
        #expect(
            PlanRenderer.text(plan).hasPrefix(
                "Note: Objects have changed outside of Tailor\n\n  # campaign/top-picks has been deleted"))
        #expect(plan[campaign]?.action == .create)
        let json = PlanJSON.value(plan).mapValue?["resource_drift"]?.listValue
        #expect(json?.first?.mapValue?["address"] == .string("campaign/top-picks"))
    }
}
