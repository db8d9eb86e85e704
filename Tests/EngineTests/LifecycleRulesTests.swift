import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// Statuses as state machines (``Lifecycle``): the rules, and the store refusing a change they do not allow.
@Suite(.tags(.small)) struct LifecycleRulesTests {
    @Test func creationJobsGoThroughTheirStatusesOnly() {
        let job = Lifecycle(.solutionVersion)
        #expect(job.allows(from: nil, to: Status.createPending, creating: true))
        #expect(!job.allows(from: nil, to: Status.active, creating: true))
        #expect(job.allows(from: Status.createPending, to: Status.createInProgress, creating: false))
        #expect(job.allows(from: Status.createInProgress, to: Status.active, creating: false))
        #expect(job.allows(from: Status.createInProgress, to: Status.createStopping, creating: false))
        #expect(job.allows(from: Status.createStopping, to: Status.createStopped, creating: false))
        #expect(!job.allows(from: Status.active, to: Status.createInProgress, creating: false))
        #expect(!job.allows(from: Status.createFailed, to: Status.active, creating: false))
        #expect(!job.allows(from: Status.createStopped, to: Status.createInProgress, creating: false))
    }

    @Test func resourcesAreUpdatedStoppedAndDeleted() {
        let resource = Lifecycle(.recommender)
        #expect(resource.allows(from: Status.active, to: Status.Recommender.inactive, creating: false))
        #expect(resource.allows(from: Status.Recommender.inactive, to: Status.active, creating: false))
        #expect(resource.allows(from: Status.active, to: Status.deletePending, creating: false))
        #expect(resource.allows(from: Status.deletePending, to: Status.deleteInProgress, creating: false))
        #expect(!resource.allows(from: Status.deleteInProgress, to: Status.active, creating: false))
        #expect(!resource.allows(from: Status.deletePending, to: Status.active, creating: false))
        #expect(resource.allows(from: Status.active, to: Status.active, creating: false))  // a description update
    }

    @Test func batchAndDeletionJobsHaveTheirOwnNames() {
        #expect(Lifecycle(.batchInferenceJob).allows(from: nil, to: Status.Batch.pending, creating: true))
        #expect(Lifecycle(.batchSegmentJob).allows(from: Status.Batch.inProgress, to: Status.active, creating: false))
        // The service spells a running batch job's statuses CREATE PENDING / CREATE IN_PROGRESS; the bare
        // spellings an older Tailor stored are never written again, only failed as interrupted.
        #expect(Status.Batch.pending == Status.createPending)
        #expect(!Lifecycle(.batchSegmentJob).allows(from: nil, to: "PENDING", creating: true))
        #expect(Lifecycle(.batchSegmentJob).allows(from: "IN_PROGRESS", to: Status.createFailed, creating: false))
        #expect(!Lifecycle(.batchSegmentJob).allows(from: "IN_PROGRESS", to: Status.active, creating: false))
        let deletion = Lifecycle(.dataDeletionJob)
        #expect(
            deletion.allows(from: Status.DataDeletion.inProgress, to: Status.DataDeletion.completed, creating: false))
        #expect(!deletion.allows(from: Status.DataDeletion.completed, to: Status.DataDeletion.pending, creating: false))
    }

    /// Every status a family can reach is one it starts in or one some status leads to, and a status with no
    /// successor is final: a graph with no dangling names.
    @Test(arguments: Lifecycle.allCases) func everyReachableStatusIsNamedByTheMachine(_ lifecycle: Lifecycle) {
        var seen = Set(lifecycle.initialStatuses.compactMap { $0 })
        var queue = Array(seen)
        while let status = queue.popLast() {
            for next in lifecycle.successors(of: status) where seen.insert(next).inserted { queue.append(next) }
        }
        #expect(seen.contains(Status.active) || seen.contains(Status.DataDeletion.completed))
        #expect(seen.contains { if case .failed = ResourceStatus($0) { true } else { false } })
    }

    @Test func theStoreRefusesAChangeTheLifecycleDoesNotAllow() async throws {
        let harness = try EngineHarness()
        let arn = try #require(try await harness.engine.send(CreateDatasetGroupRequest(name: "shop")).datasetGroupArn)
        let pool = harness.engine.core.database.pool
        await #expect(
            throws: PersonalizeError(.internalFailure, "\(arn) cannot move from status ACTIVE to CREATE IN_PROGRESS.")
        ) {
            try await pool.write { db in try ResourceStore.setStatus(db, arn: arn, Status.createInProgress, at: .now) }
        }
        let described = try await harness.engine.send(DescribeDatasetGroupRequest(datasetGroupArn: arn))
        #expect(described.datasetGroup?.status == Status.active)
    }
}
