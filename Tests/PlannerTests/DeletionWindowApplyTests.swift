import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Apply against an engine whose deletions stay visible for a while (`tailor serve`, the service): deletes
/// wait until Describe says not found, and a name still held by a deletion is created again once it is free.
@Suite struct DeletionWindowApplyTests {
    static let group = """
        apiVersion: tailor/v1
        kind: DatasetGroup
        metadata:
          name: windowed
        """

    @Test func destroyWaitsUntilTheDeletedResourceIsGone() async throws {
        let harness = try EngineBackedHarness(deletionDelay: 1)
        defer { harness.directory.remove() }
        try harness.directory.write("group.yaml", Self.group)
        #expect(try await harness.apply().succeeded)
        let started = Date()
        let summary = try await harness.destroy()
        #expect(summary.succeeded, "\(summary)")
        #expect(Date().timeIntervalSince(started) >= 0.9, "the window was waited out")
        #expect(try await harness.local.send(ListDatasetGroupsRequest()).datasetGroups == [])
        #expect(try harness.state()[ResourceAddress(.datasetGroup, "windowed")] == nil)
    }

    /// The dataset group was deleted outside apply and its state entry lost; while the deletion runs its name
    /// is taken (ResourceAlreadyExistsException): apply waits until it is gone and creates it again instead of
    /// adopting a resource that is about to disappear.
    @Test func applyRecreatesAResourceWhoseNameIsHeldByADeletion() async throws {
        let harness = try EngineBackedHarness(deletionDelay: 4)
        defer { harness.directory.remove() }
        try harness.directory.write("group.yaml", Self.group)
        #expect(try await harness.apply().succeeded)
        let address = ResourceAddress(.datasetGroup, "windowed")
        let arn = try harness.arn(address)
        _ = try await harness.local.send(DeleteDatasetGroupRequest(datasetGroupArn: arn))
        _ = try harness.store.write(try harness.state().removing([address]))
        let summary = try await harness.apply()
        #expect(summary.succeeded, "\(summary)")
        let group = try await harness.local.send(DescribeDatasetGroupRequest(datasetGroupArn: arn)).datasetGroup
        #expect(group?.status == "ACTIVE")
        #expect(try harness.arn(address) == arn)
        #expect(try await !harness.plan().hasChanges)
    }
}
