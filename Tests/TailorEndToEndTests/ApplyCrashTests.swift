import Foundation
import TailorTestSupport
import Testing

/// Kills `tailor apply` with SIGKILL at several points of a full apply (a resource being created, an import
/// running, training running, a campaign being deployed): each time the state file is absent or valid, the
/// next apply converges and plan then shows no changes. `Benchmarks/apply-crash-soak` does the same at
/// random points, many times.
@Suite(.serialized) struct ApplyCrashTests {
    static let manifests =
        SmallProject.manifests + "---\n" + ManifestFixtures.solution("small-picks", group: "small", hidden: 32)

    /// The lines after which the apply is killed: one per kind of step.
    static let points = [
        "schema/small-interactions: creating",
        "dataset/small-interactions: importing",
        "solution/small-picks: training version",
        "campaign/small-picks: creating",
    ]

    @Test(arguments: points) func aKilledApplyConvergesOnTheNextOne(killAfter line: String) throws {
        let workspace = try TemporaryDirectory("tailor-crash")
        defer { workspace.remove() }
        try workspace.write("m/data/interactions.csv", SyntheticData(users: 400).interactionsCSV())
        try workspace.write("m/resources.yaml", Self.manifests)

        let apply = try TailorProcess.start(["apply", "--auto-approve", "m"], in: workspace.url)
        let reached = apply.waitForOutput(containing: line)
        apply.kill()
        #expect(reached, "never printed '\(line)': \(apply.output)\(apply.errorOutput)")

        try Self.expectValidState(in: workspace)
        let again = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        try Self.expectValidState(in: workspace)
        let plan = try TailorProcess.run(["plan", "m", "--detailed-exitcode"], in: workspace.url)
        #expect(plan.status == 0, "after a kill at '\(line)':\n\(plan.stdout)\(plan.stderr)")
    }

    /// The state file is absent (killed before the first write) or a complete version 2 state.
    static func expectValidState(in workspace: TemporaryDirectory) throws {
        let file = workspace.url.appendingPathComponent("m/.tailor/state.json")
        guard let data = FileManager.default.contents(atPath: file.path) else { return }
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(json?["version"] as? Int == 2, "\(String(decoding: data, as: UTF8.self))")
        #expect(json?["lineage"] is String && json?["resources"] is [String: Any])
    }
}
