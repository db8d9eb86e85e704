import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct ApplierTests {
    private let dataset = ResourceAddress(.dataset, "interactions")
    private let solution = ResourceAddress(.solution, "top-picks")
    private let campaign = ResourceAddress(.campaign, "top-picks")

    @Test func createsInDependencyOrderSavingStateAfterEveryStep() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        let snapshots = SnapshotLog()
        let store = harness.store
        await harness.engine.setObserver { operation in snapshots.record(operation, (try? store.load()) ?? .empty) }

        let summary = try await harness.apply()

        #expect(summary.succeeded)
        #expect(summary.counts == (added: 5, changed: 0, destroyed: 0))
        #expect(
            await harness.engine.operations == [
                "CreateDatasetGroup", "CreateSchema", "CreateDataset", "CreateDatasetImportJob", "CreateSolution",
                "CreateSolutionVersion", "CreateCampaign",
            ])
        let seen = snapshots.entries
        #expect(seen["CreateSchema"]?.addresses.map(\.description) == ["dataset-group/movielens"])
        #expect(
            seen["CreateDataset"]?.addresses.map(\.description) == ["dataset-group/movielens", "schema/interactions"])
        let pendingImport = seen["CreateDatasetImportJob"]?[dataset]?.map(StateEntry.Key.pendingImport)
        let hash = SpecHash.digest(Data(Fixtures.ratings.utf8))
        #expect(pendingImport?["jobName"] == .string("interactions-\(hash.dropFirst("sha256:".count).prefix(8))-1"))
        #expect(
            seen["CreateSolutionVersion"]?[solution]?.map(StateEntry.Key.pendingVersion)?["name"]
                == .string("top-picks-v1"))
        #expect(seen["CreateCampaign"]?[solution]?.string(StateEntry.Key.solutionVersionArn) != nil)

        let state = try harness.state()
        let saves = harness.log.events.compactMap { if case .stateSaved(let serial) = $0 { serial } else { nil } }
        #expect(saves == Array(1...state.serial))
        #expect(summary.serial == state.serial)
        #expect(state.resources.values.allSatisfy { $0.status == .ready && $0.specHash == SpecHash.of($0.spec) })
        let versionArn = try #require(state[solution]?.string(StateEntry.Key.solutionVersionArn))
        #expect(state[campaign]?.string(StateEntry.Key.solutionVersionArn) == versionArn)
        let importJob = try #require(state[dataset]?.string(StateEntry.Key.importJobArn))
        #expect(state[solution]?.map(StateEntry.Key.trainedImports) == ["dataset/interactions": .string(importJob)])
        #expect(
            state[dataset]?.string(StateEntry.Key.importContentHash) == SpecHash.digest(Data(Fixtures.ratings.utf8)))
        #expect(
            harness.log.events.contains(
                .metrics(
                    solution, versionArn: versionArn, metrics: ["normalized_discounted_cumulative_gain_at_10": 0.25])))
    }

    @Test func adoptsAResourceCreatedJustBeforeAKill() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        await harness.engine.setCrash(after: "CreateDataset")

        await #expect(throws: CancellationError.self) { try await harness.apply() }
        #expect(try harness.state().addresses.map(\.description) == ["dataset-group/movielens", "schema/interactions"])

        let resumed = try await harness.plan()
        #expect(resumed[dataset]?.action == .create)
        let summary = try await harness.apply(resumed)

        #expect(summary.succeeded)
        #expect(await harness.engine.count("CreateDataset") == 1)
        #expect(harness.log.events.contains(.step(dataset, "adopting the existing dataset of this name")))
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func resumesTrainingStartedBeforeAKillInsteadOfTrainingAgain() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        await harness.engine.setCrash(after: "CreateSolutionVersion")

        await #expect(throws: CancellationError.self) { try await harness.apply() }
        let interrupted = try harness.state()[solution]
        #expect(interrupted?.status == .ready)
        #expect(interrupted?.map(StateEntry.Key.pendingVersion) == ["name": .string("top-picks-v1")])

        let resumed = try await harness.plan()
        #expect(resumed.actionableChanges.map(\.address) == [solution, campaign])
        #expect(resumed[solution]?.action == .update)
        #expect(resumed[solution]?.notes == ["retrain: the training started by a previous apply did not finish"])
        let summary = try await harness.apply(resumed)

        #expect(summary.succeeded)
        #expect(await harness.engine.count("CreateSolutionVersion") == 1)
        #expect(harness.log.events.contains(.step(solution, "resuming training of version top-picks-v1")))
        #expect(try harness.state()[solution]?.map(StateEntry.Key.pendingVersion) == nil)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func aFailureSkipsWhatDependsOnItAndTheNextApplyRetries() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        await harness.engine.setTrainingFailure("not enough interactions")

        let failed = try await harness.apply()

        #expect(!failed.succeeded)
        #expect(failed.changedSomething)
        #expect(
            failed.outcome(of: solution)
                == .failed(
                    .create, message: "solution/top-picks: training failed: not enough interactions"))
        #expect(failed.outcome(of: campaign) == .skipped(.create, reason: "solution/top-picks did not finish"))

        await harness.engine.setTrainingFailure(nil)
        let retry = try await harness.plan()
        #expect(retry[solution]?.action == .update)
        #expect(retry[solution]?.steps == [.train])
        #expect(try await harness.apply(retry).succeeded)
        #expect(await harness.engine.count("CreateSolutionVersion") == 2)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func refusesAPlanMadeAgainstAnOlderState() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        let stale = try await harness.plan()
        try await harness.apply()

        let error = await #expect(throws: PlannerError.self) { try await harness.apply(stale) }

        #expect(error?.description.hasPrefix("the plan is stale: the state is at serial") == true)
    }

    @Test func refusesAnImportFileChangedSinceThePlan() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        let plan = try await harness.plan()
        try harness.directory.write("data/ratings.csv", "USER_ID,ITEM_ID,TIMESTAMP\n9,9,9\n")

        let summary = try await harness.apply(plan)

        guard case .failed(_, let message)? = summary.outcome(of: dataset) else {
            Issue.record("expected the dataset to fail, got \(String(describing: summary.outcome(of: dataset)))")
            return
        }
        #expect(message.contains("changed after the plan was made"))
        #expect(await harness.engine.count("CreateDatasetImportJob") == 0)
    }

    @Test func timesOutWithAMessageThatSaysHowToResume() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try harness.directory.write(
            "group.yaml", "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata: {name: movielens}\n")
        let applier = Applier(
            service: harness.engine, store: harness.store, pollInterval: .zero, timeouts: ApplyTimeouts(create: .zero))

        let summary = try await applier.apply(try await harness.plan())

        guard case .failed(_, let message)? = summary.outcome(of: ResourceAddress(.datasetGroup, "movielens")) else {
            Issue.record("expected a timeout")
            return
        }
        #expect(message.contains("timed out"))
        #expect(try harness.state()[ResourceAddress(.datasetGroup, "movielens")]?.status == .creating)
        let resumed = try await harness.plan()
        #expect(resumed[ResourceAddress(.datasetGroup, "movielens")]?.reason == .createBecauseInterrupted)
        #expect(try await harness.apply(resumed).succeeded)
        #expect(await harness.engine.count("CreateDatasetGroup") == 1)
    }
}

/// The state file as it was when each engine operation was called.
final class SnapshotLog: @unchecked Sendable {  // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var storage: [String: State] = [:]

    func record(_ operation: String, _ state: State) {
        lock.lock()
        storage[operation] = storage[operation] ?? state
        lock.unlock()
    }

    var entries: [String: State] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

@Suite struct ApplierOrderingTests {
    @Test func movesACampaignToAnotherSolutionBeforeDeletingTheOldOne() async throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        let popular = """
            ---
            apiVersion: tailor/v1
            kind: Solution
            metadata: {name: popular}
            spec: {datasetGroup: movielens, recipe: aws-popularity-count}

            """
        try harness.directory.write("solutions.yaml", Fixtures.solution() + popular)
        try await harness.apply()
        let moved = Fixtures.solution().replacingOccurrences(of: "solution: top-picks", with: "solution: popular")
        let withoutTopPicks = moved.components(separatedBy: "---\n").dropFirst().joined(separator: "---\n")
        try harness.directory.write("solutions.yaml", withoutTopPicks + popular)

        let plan = try await harness.plan()
        #expect(
            plan.actionableChanges.map { "\($0.action) \($0.address)" } == [
                "delete solution/top-picks", "update campaign/top-picks",
            ])
        let before = await harness.engine.calls.count
        let summary = try await harness.apply(plan)

        #expect(summary.succeeded)
        #expect(
            await Array(harness.engine.operations.dropFirst(before)) == [
                "UpdateCampaign", "DeleteSolution",
            ])
        #expect(try await !harness.plan().hasChanges)
    }
}
