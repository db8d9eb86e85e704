import Foundation
import TailorTestSupport
import Testing

/// Next-best-action from manifests with the built `tailor` binary: Actions and Action interactions datasets,
/// an `aws-next-best-action` solution and its campaign applied, then `tailor evaluate` reporting its action
/// metrics.
@Suite struct NextBestActionWorkflowTests {
    static let manifests =
        ManifestFixtures.interactions("bank", source: "data/items.csv") + """
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
            \(ManifestFixtures.actionInteractionsSchema("bank-action-interactions"))
            ---
            \(ManifestFixtures.dataset("bank-actions", group: "bank", type: "ACTIONS", source: "data/actions.csv"))
            ---
            \(ManifestFixtures.dataset(
            "bank-action-interactions", group: "bank", type: "ACTION_INTERACTIONS",
            source: "data/action-interactions.csv"))
            ---
            \(ManifestFixtures.solution("next-best", group: "bank", recipe: "aws-next-best-action"))
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
