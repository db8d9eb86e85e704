import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Actions and Action interactions datasets declared in manifests, imported and planned without changes.
@Suite struct ActionDatasetKindTests {
    static let manifests = """
        apiVersion: tailor/v1
        kind: DatasetGroup
        metadata: {name: offers}
        ---
        apiVersion: tailor/v1
        kind: Schema
        metadata: {name: actions}
        spec:
          datasetType: ACTIONS
          fields:
            - {name: ACTION_ID, type: string}
            - {name: VALUE, type: int}
            - {name: CATEGORY, type: string, categorical: true}
        ---
        \(ManifestFixtures.dataset("actions", group: "offers", type: "ACTIONS", source: "actions.csv"))
        ---
        \(ManifestFixtures.actionInteractionsSchema("action-interactions"))
        ---
        \(ManifestFixtures.dataset(
            "action-interactions", group: "offers", type: "ACTION_INTERACTIONS", source: "action-interactions.csv"))
        """

    @Test func actionDatasetsApplyAndPlanNoChanges() async throws {
        let harness = try EngineBackedHarness()
        defer { harness.directory.remove() }
        try harness.directory.write("offers.yaml", Self.manifests)
        try harness.directory.write("actions.csv", "ACTION_ID,VALUE,CATEGORY\na1,3,offer\na2,5,upsell\n")
        try harness.directory.write(
            "action-interactions.csv",
            "USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE\nu1,a1,1700000000,Taken\nu2,a2,1700000001,Not taken\n")
        let plan = try await harness.plan()
        #expect(plan[ResourceAddress(.dataset, "actions")]?.action == .create)
        let summary = try await harness.apply(plan)
        #expect(summary.succeeded, "\(summary)")
        let arn = try harness.arn(ResourceAddress(.dataset, "action-interactions"))
        let dataset = try await harness.local.send(DescribeDatasetRequest(datasetArn: arn)).dataset
        #expect(dataset?.datasetType?.uppercased() == "ACTION_INTERACTIONS")
        #expect(try await !harness.plan().hasChanges)
    }
}
