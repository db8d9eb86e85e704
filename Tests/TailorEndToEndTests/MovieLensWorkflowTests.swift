import Foundation
import TailorTestSupport
import Testing

/// The issue's workflow, run with the built `tailor` binary on a copy of `examples/movielens`:
/// apply → recommend → plan (no changes) → change a field → plan shows exactly that update → apply → destroy;
/// once on the embedded engine and once through a `tailor serve` (`--endpoint`, RemoteEngine).
@Suite(.serialized) struct MovieLensWorkflowTests {
    @Test(arguments: [false, true]) func applyRecommendPlanChangeDestroy(throughServe: Bool) throws {
        let workspace = try TemporaryDirectory("tailor-e2e")
        defer { workspace.remove() }
        // The server reads the workspace's files only because it is allowed to.
        let server = throughServe ? try ServeProcess(arguments: ["--allow-path", workspace.url.path]) : nil
        defer { server?.stop() }
        let endpoint = server.map { ["--endpoint", $0.url.absoluteString] } ?? []
        /// `tailor arguments...` on the engine under test.
        func tailor(_ arguments: [String]) throws -> TailorProcess.Result {
            try TailorProcess.run(arguments + endpoint, in: workspace.url)
        }
        let example = workspace.url.appendingPathComponent("movielens")
        try TailorProcess.copyExample("movielens", to: example)

        let apply = try tailor(["apply", "--auto-approve", "movielens"])
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("Plan: 11 to add, 0 to change, 0 to destroy."))
        #expect(apply.stdout.contains("Apply complete! Resources: 11 added, 0 changed, 0 destroyed."))
        #expect(apply.stdout.contains("solution/top-picks: metrics: normalized_discounted_cumulative_gain_at_10"))

        // The batch job wrote a line of 10 movies per user of batch/users.jsonl.
        let batch = try String(
            contentsOf: example.appendingPathComponent("data/batch-out/users.jsonl.out"), encoding: .utf8)
        let lines = batch.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.count == 5, "\(batch)")
        #expect(lines.allSatisfy { (($0["output"] as? [String: Any])?["recommendedItems"] as? [String])?.count == 10 })

        let recommend = try tailor(["recommend", "--campaign", "top-picks", "--user", "196", "--json"])
        #expect(recommend.status == 0, "\(recommend.stderr)")
        let response = try JSONSerialization.jsonObject(with: Data(recommend.stdout.utf8)) as? [String: Any]
        let items = response?["itemList"] as? [[String: Any]] ?? []
        #expect(items.count == 10)
        let rated = try String(contentsOf: example.appendingPathComponent("data/interactions.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).filter { $0.hasPrefix("196,") }.map {
                String($0.split(separator: ",")[1])
            }
        #expect(!rated.isEmpty)
        #expect(items.allSatisfy { !rated.contains($0["itemId"] as? String ?? "") }, "no movie user 196 rated")

        if !throughServe {  // the report reads the embedded engine's model files
            // The evaluation report: one page, a chart per view, and the metrics apply printed.
            let evaluate = try TailorProcess.run(["evaluate", "--out", "report.html"], in: workspace.url)
            #expect(evaluate.status == 0, "\(evaluate.stderr)")
            let report = try String(contentsOf: workspace.url.appendingPathComponent("report.html"), encoding: .utf8)
            #expect(report.components(separatedBy: "<svg").count - 1 == 5, "metrics, coverage, 2 popularity, loss")
            let printed = apply.stdout.split(separator: "\n").first {
                $0.contains("solution/top-picks: metrics: normalized_discounted_cumulative_gain_at_10")
            }
            let ndcg = printed.flatMap {
                $0.split(separator: " ").drop { $0 != "normalized_discounted_cumulative_gain_at_10" }
                    .dropFirst().first
            }.map { String($0.trimmingCharacters(in: .punctuationCharacters)) }
            #expect(
                ndcg != nil && evaluate.stdout.contains("top-picks (aws-user-personalization): NDCG@10 \(ndcg ?? "?")"),
                "\(evaluate.stdout) vs \(printed ?? "")")
            #expect(report.contains("<td>normalized_discounted_cumulative_gain_at_10</td>"))
        }

        let unchanged = try tailor(["plan", "movielens", "--detailed-exitcode"])
        #expect(unchanged.status == 0, "\(unchanged.stdout)\n\(unchanged.stderr)")
        #expect(unchanged.stdout.contains("No changes."))

        let campaigns = example.appendingPathComponent("campaigns.yaml")
        let manifest = try String(contentsOf: campaigns, encoding: .utf8)
        try manifest.replacingOccurrences(of: "minProvisionedTPS: 1", with: "minProvisionedTPS: 2")
            .write(to: campaigns, atomically: true, encoding: .utf8)
        let changed = try tailor(["plan", "movielens", "--detailed-exitcode"])
        #expect(changed.status == 2)
        #expect(changed.stdout.contains("~ campaign/top-picks"))
        #expect(changed.stdout.contains("~ minProvisionedTPS: 1 → 2"))
        #expect(changed.stdout.contains("Plan: 0 to add, 1 to change, 0 to destroy."))
        let updated = try tailor(["apply", "--auto-approve", "movielens"])
        #expect(updated.status == 0, "\(updated.stdout)\n\(updated.stderr)")
        #expect(try tailor(["plan", "movielens", "--detailed-exitcode"]).status == 0)

        let destroy = try tailor(["destroy", "--auto-approve", "movielens"])
        #expect(destroy.status == 0, "\(destroy.stdout)\n\(destroy.stderr)")
        #expect(destroy.stdout.contains("Destroy complete! Resources: 0 added, 0 changed, 11 destroyed."))
        let afterDestroy = try tailor(["plan", "movielens"])
        #expect(afterDestroy.stdout.contains("Plan: 11 to add, 0 to change, 0 to destroy."))
    }

    @Test func validateReportsEveryErrorWithItsPosition() throws {
        let workspace = try TemporaryDirectory("tailor-e2e")
        defer { workspace.remove() }
        try workspace.write(
            "bad/solution.yaml",
            """
            apiVersion: tailor/v1
            kind: Solution
            metadata:
              name: picks
            spec:
              datasetGroup: nowhere
              recipe: aws-user-personalisation
            """)
        let result = try TailorProcess.run(["validate", "bad"], in: workspace.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("solution.yaml:6:17: error:"), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "solution.yaml:7:11: error: unknown recipe 'aws-user-personalisation'; did you mean 'aws-user-personalization'?"
            ))
    }

    @Test func applyWithoutApprovalOnAPipeRefuses() throws {
        let workspace = try TemporaryDirectory("tailor-e2e")
        defer { workspace.remove() }
        try workspace.write("m/group.yaml", "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata: {name: g}\n")
        let result = try TailorProcess.run(["apply", "m"], in: workspace.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("apply needs approval"))
        #expect(
            !FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("m/.tailor/state.json").path))
    }
}
