import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// A resource deleted outside Tailor is gone for the plan from its first `DELETE PENDING`, not only once the
/// service's deletion window has passed.
@Suite(.tags(.medium))
struct DeletingResourceRefreshTests {
    static let filter = ManifestFixtures.document(
        "Filter", "no-clicks",
        spec: """
            datasetGroup: shop
            expression: EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")
            """)

    @Test func aResourceBeingDeletedIsPlannedAgainAndApplyWaitsForItsName() async throws {
        let harness = try EngineBackedHarness(deletionDelay: 20)
        defer { harness.directory.remove() }
        try ShopFixtures.write(to: harness.directory)
        try harness.directory.write("filter.yaml", Self.filter)
        #expect(try await harness.apply().succeeded)
        let address = ResourceAddress(.filter, "no-clicks")
        let arn = try #require(try harness.state().resources[address]?.arn)
        _ = try await harness.local.send(DeleteFilterRequest(filterArn: arn))
        let status = try await harness.local.send(DescribeFilterRequest(filterArn: arn)).filter?.status
        #expect(status == "DELETE PENDING", "the deletion window is open")

        let plan = try await harness.plan()
        #expect(plan[address]?.action == .create, "\(plan.changes.map { "\($0.address) \($0.action)" })")
        #expect(try await harness.apply(plan).succeeded)
        let filters = try await harness.local.send(ListFiltersRequest()).Filters ?? []
        #expect(filters.filter { $0.name == "no-clicks" }.map(\.status) == ["ACTIVE"])
        #expect(try await !harness.plan().hasChanges)
    }
}
