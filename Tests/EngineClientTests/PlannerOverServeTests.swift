import Foundation
import TailorTestSupport
import Testing

/// The planner drives a `tailor serve` through `--endpoint` exactly as it drives the embedded engine: apply
/// creates, imports, trains and deploys on the server's data folder, plan then shows no changes, and
/// recommend reads from the server.
@Suite(.tags(.large)) struct PlannerOverServeTests {
    static let manifests =
        ManifestFixtures.interactions("remote") + "---\n"
        + ManifestFixtures.solution("remote-picks", group: "remote", hidden: 32)

    @Test func applyPlanAndRecommendThroughTheEndpoint() throws {
        let workspace = try TemporaryDirectory("tailor-remote-plan")
        defer { workspace.remove() }
        let server = try ServeProcess(arguments: ["--allow-path", workspace.url.path])
        defer { server.stop() }
        try workspace.write("m/data/interactions.csv", SyntheticData(users: 200).interactionsCSV())
        try workspace.write("m/resources.yaml", Self.manifests)
        let endpoint = ["--endpoint", server.url.absoluteString]

        let apply = try TailorProcess.run(["apply", "--auto-approve", "m"] + endpoint, in: workspace.url)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)\n\(server.log)")
        #expect(apply.stdout.contains("Apply complete! Resources: 5 added"), "\(apply.stdout)")
        // The data lives on the server, not beside the manifests.
        let manager = FileManager.default
        #expect(!manager.fileExists(atPath: workspace.url.appendingPathComponent("m/.tailor/engine").path))
        #expect(
            manager.fileExists(atPath: server.directory.url.appendingPathComponent("data/engine.sqlite").path))

        let plan = try TailorProcess.run(["plan", "m", "--detailed-exitcode"] + endpoint, in: workspace.url)
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")

        let recommend = try TailorProcess.run(
            ["recommend", "--campaign", "remote-picks", "--user", "u1", "--json"] + endpoint, in: workspace.url)
        #expect(recommend.status == 0, "\(recommend.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(recommend.stdout.utf8)) as? [String: Any]
        let items = json?["itemList"] as? [[String: Any]] ?? []
        #expect(items.count == 10)
        #expect(items.allSatisfy { $0["score"] is Double })

        // Without a server on the other end, a clear error rather than a hang or a crash.
        let refused = try TailorProcess.run(["plan", "m", "--endpoint", "http://127.0.0.1:1"], in: workspace.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("127.0.0.1"), "\(refused.stderr)")
    }

    @Test func badEndpointsAreRefusedUpFront() throws {
        let workspace = try TemporaryDirectory("tailor-remote-bad")
        defer { workspace.remove() }
        try workspace.write("m/data/interactions.csv", SyntheticData(users: 30).interactionsCSV())
        try workspace.write("m/resources.yaml", Self.manifests)
        let result = try TailorProcess.run(["plan", "m", "--endpoint", "ftp://example"], in: workspace.url)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--endpoint must be an http(s) URL"), "\(result.stderr)")
        let both = try TailorProcess.run(
            ["plan", "m", "--endpoint", "http://127.0.0.1:9", "--data-dir", "x"], in: workspace.url)
        #expect(both.stderr.contains("--data-dir and --endpoint exclude each other"), "\(both.stderr)")
    }
}
