import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

/// `examples/ecommerce` through the built binary on the embedded engine: apply creates the event tracker,
/// filters, jobs, the metric attribution, the auto-training solution and the gated campaign; events arrive
/// through the tracker (and are counted by the attribution); the
/// engine's schedule trains an AUTOTRAIN version; plan shows the promotion with both versions' metric side
/// by side; apply promotes it or holds it back, and the next plan has nothing to do either way.
@Suite(.serialized) struct EcommerceExampleTests {
    @Test func applyAutoTrainPromoteOrHoldBack() async throws {
        let workspace = try TemporaryDirectory("tailor-e2e-shop")
        defer { workspace.remove() }
        let example = workspace.url.appendingPathComponent("ecommerce")
        try TailorProcess.copyExample("ecommerce", to: example)
        func tailor(_ arguments: [String], environment: [String: String] = [:]) throws -> TailorProcess.Result {
            try TailorProcess.run(arguments, in: workspace.url, environment: environment)
        }

        let apply = try tailor(["apply", "--auto-approve", "ecommerce"])
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("Apply complete! Resources: 11 added"), "\(apply.stdout)")
        #expect(apply.stdout.contains("data-deletion/forget-users: deleting the users listed in ../deleted-users.csv"))
        let exported = example.appendingPathComponent("data/export/interactions")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: exported.path)) ?? []).isEmpty == false)
        #expect(try tailor(["plan", "--detailed-exitcode", "ecommerce"]).status == 0)

        let output = try tailor(["output", "-C", "ecommerce", "tracking-id"])
        #expect(output.status == 0, "\(output.stderr)")
        let trackingId = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(
            of: "\"", with: "")
        #expect(!trackingId.isEmpty)

        // New events arrive through the tracker; the weekly schedule is due a while after the solution's creation.
        let data = example.appendingPathComponent(".tailor/engine")
        do {
            let engine = try EngineHarness.open(data)
            for user in 0..<40 {
                let events = (0..<5).map { index in
                    Event(eventType: "view", itemId: "p\((user * 7 + index * 3) % 90)", sentAt: Date())
                }
                _ = try await engine.send(
                    PutEventsRequest(
                        trackingId: trackingId, userId: "u\(user)", sessionId: "s\(user)", eventList: events))
            }
        }
        // The metric attribution counted the views that came in once it was ACTIVE.
        let attribution = try tailor(["output", "-C", "ecommerce", "metric-attribution-arn"])
        let attributionArn = attribution.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(attributionArn.contains(":metric-attribution/shop-metrics"), "\(attribution.stdout)")
        let report = try tailor(["engine", "attribution-report", "--data-dir", data.path, attributionArn])
        #expect(report.status == 0, "\(report.stderr)")
        let views = report.stdout.split(separator: "\n").filter { $0.hasPrefix("views,") }
        let counted: [Double] = views.compactMap { Double($0.split(separator: ",")[2]) }
        #expect(counted.reduce(0, +) == 200, "\(report.stdout)")

        let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(8 * 24 * 3600))
        let tick = try tailor(["engine", "tick", "--data-dir", data.path], environment: ["TAILOR_NOW": later])
        #expect(tick.status == 0, "\(tick.stdout)\n\(tick.stderr)")
        #expect(tick.stdout.contains("started automatic training"), "\(tick.stdout)")

        let plan = try tailor(["plan", "--detailed-exitcode", "ecommerce"])
        #expect(plan.status == 2, "\(plan.stdout)\n\(plan.stderr)")
        #expect(plan.stdout.contains("campaign/for-you"), "\(plan.stdout)")
        #expect(plan.stdout.contains("normalized_discounted_cumulative_gain_at_10: candidate"), "\(plan.stdout)")
        #expect(plan.stdout.contains("vs deployed"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("# solution/for-you"), "automatic versions are not drift:\n\(plan.stdout)")

        let gated = try tailor(["apply", "--auto-approve", "ecommerce"])
        #expect(gated.status == 0, "\(gated.stdout)\n\(gated.stderr)")
        #expect(
            gated.stdout.contains("promoting: normalized_discounted_cumulative_gain_at_10")
                || gated.stdout.contains("Held back by the quality gate"), "\(gated.stdout)")
        #expect(try tailor(["plan", "--detailed-exitcode", "ecommerce"]).status == 0)
    }
}
