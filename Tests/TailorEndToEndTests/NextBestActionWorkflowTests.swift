import Foundation
import TailorTestSupport
import Testing

/// Next-best-action from manifests with the built `tailor` binary: Actions and Action interactions datasets,
/// an `aws-next-best-action` solution and its campaign applied, then `tailor evaluate` reporting its action
/// metrics.
@Suite struct NextBestActionWorkflowTests {
    static let manifests = """
        apiVersion: tailor/v1
        kind: DatasetGroup
        metadata: {name: bank}
        ---
        apiVersion: tailor/v1
        kind: Schema
        metadata: {name: bank-interactions}
        spec:
          fields:
            - {name: USER_ID, type: string}
            - {name: ITEM_ID, type: string}
            - {name: TIMESTAMP, type: long}
            - {name: EVENT_TYPE, type: string}
            - {name: EVENT_VALUE, type: float, nullable: true}
        ---
        apiVersion: tailor/v1
        kind: Schema
        metadata: {name: bank-actions}
        spec:
          datasetType: ACTIONS
          fields:
            - {name: ACTION_ID, type: string}
            - {name: VALUE, type: long, nullable: true}
            - {name: CATEGORY, type: string, nullable: true, categorical: true}
            - {name: REPEAT_FREQUENCY, type: long, nullable: true}
            - {name: ACTION_EXPIRATION_TIMESTAMP, type: long, nullable: true}
        ---
        apiVersion: tailor/v1
        kind: Schema
        metadata: {name: bank-action-interactions}
        spec:
          datasetType: ACTION_INTERACTIONS
          fields:
            - {name: USER_ID, type: string}
            - {name: ACTION_ID, type: string}
            - {name: TIMESTAMP, type: long}
            - {name: EVENT_TYPE, type: string}
        ---
        apiVersion: tailor/v1
        kind: Dataset
        metadata: {name: bank-interactions}
        spec: {datasetGroup: bank, type: INTERACTIONS, schema: bank-interactions, import: {source: data/items.csv}}
        ---
        apiVersion: tailor/v1
        kind: Dataset
        metadata: {name: bank-actions}
        spec: {datasetGroup: bank, type: ACTIONS, schema: bank-actions, import: {source: data/actions.csv}}
        ---
        apiVersion: tailor/v1
        kind: Dataset
        metadata: {name: bank-action-interactions}
        spec:
          datasetGroup: bank
          type: ACTION_INTERACTIONS
          schema: bank-action-interactions
          import: {source: data/action-interactions.csv}
        ---
        apiVersion: tailor/v1
        kind: Solution
        metadata: {name: next-best}
        spec: {datasetGroup: bank, recipe: aws-next-best-action, performAutoTraining: false}
        ---
        apiVersion: tailor/v1
        kind: Campaign
        metadata: {name: next-best}
        spec: {solution: next-best}

        """

    @Test func applyThenEvaluateReportsTheActionMetrics() throws {
        let workspace = try TemporaryDirectory("tailor-e2e-nba")
        defer { workspace.remove() }
        let world = SyntheticActions()
        try workspace.write("bank/resources.yaml", Self.manifests)
        try workspace.write("bank/data/items.csv", world.itemInteractionsCSV())
        try workspace.write("bank/data/actions.csv", world.actionsCSV())
        try workspace.write("bank/data/action-interactions.csv", world.actionInteractionsCSV())

        let apply = try TailorProcess.run(["apply", "--auto-approve", "bank"], in: workspace.url)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("solution/next-best: metrics:"), "\(apply.stdout)")
        let plan = try TailorProcess.run(["plan", "bank", "--detailed-exitcode"], in: workspace.url)
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")

        let evaluate = try TailorProcess.run(["evaluate", "--out", "report.html"], in: workspace.url)
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
        #expect(evaluate.stdout.contains("next-best (aws-next-best-action): NDCG@10 "), "\(evaluate.stdout)")
        #expect(evaluate.stdout.contains(", AUC 0."), "\(evaluate.stdout)")
        let report = try String(contentsOf: workspace.url.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(report.contains(">auc<") && report.contains("NDCG@5"), "the action metrics are charted and listed")
    }
}
