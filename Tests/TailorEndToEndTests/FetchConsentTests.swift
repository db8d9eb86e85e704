import Foundation
import TailorTestSupport
import Testing

/// A pull request that adds a fetch command must not run it on the CI runner: `validate` and `plan` never run
/// commands from the manifests; `apply` runs them only with `--allow-fetch` or the project's
/// `spec.allowFetch: true`, and a saved plan is no way around that.
@Suite(.serialized) struct FetchConsentTests {
    /// The small project whose dataset is fetched by a command that leaves a marker beside the manifests.
    private func project() throws -> TemporaryDirectory {
        let workspace = try TemporaryDirectory("tailor-e2e")
        try workspace.write("m/seed.csv", SyntheticData().interactionsCSV())
        try workspace.write(
            "m/resources.yaml",
            SmallProject.manifests.replacingOccurrences(
                of: "import: {source: data/interactions.csv}",
                with: "import: {source: data/interactions.csv, fetch: {command: [sh, -c, "
                    + "\"touch ../fetch-ran && mkdir -p data && cp seed.csv data/interactions.csv\"]}}"))
        return workspace
    }

    private func ran(_ workspace: TemporaryDirectory) -> Bool {
        FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("fetch-ran").path)
    }

    private let command = "sh -c 'touch ../fetch-ran && mkdir -p data && cp seed.csv data/interactions.csv'"

    @Test func validateAndPlanRunNoCommandFromTheManifests() throws {
        let workspace = try project()
        defer { workspace.remove() }

        let validate = try TailorProcess.run(["validate", "m"], in: workspace.url)
        let plan = try TailorProcess.run(["plan", "m", "-out", "plan.json"], in: workspace.url)
        let json = try TailorProcess.run(["plan", "--json", "m"], in: workspace.url)

        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
        #expect(!ran(workspace), "a manifest's command ran before review")
        #expect(plan.stdout.contains("#   fetch: \(command) (runs at apply with --allow-fetch)"), "\(plan.stdout)")
        #expect(plan.stdout.contains("+ import.contentHash: (known after apply)"))
        #expect(
            plan.stdout.contains("  dataset/small-interactions: \(command)  (m/resources.yaml:23:"), "\(plan.stdout)")
        #expect(plan.stdout.contains("Plan: 3 to add, 0 to change, 0 to destroy."))
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let fetches = (parsed?["tailor"] as? [String: Any])?["fetches"] as? [[String: Any]]
        #expect((fetches?.first?["command"] as? [String])?.first == "sh", "\(json.stdout)")
    }

    @Test func applyWithoutConsentFailsBeforeChangingAnything() throws {
        let workspace = try project()
        defer { workspace.remove() }

        let apply = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)

        #expect(apply.status == 1)
        #expect(
            apply.stderr.contains(
                "m/resources.yaml:23:60: error: dataset/small-interactions: its import source data/interactions.csv is "
                    + "missing, and apply would run the manifest's fetch command to obtain it: \(command)"),
            "\(apply.stderr)")
        #expect(apply.stderr.contains("pass --allow-fetch to apply, or set 'spec.allowFetch: true'"))
        #expect(!ran(workspace))
        #expect(
            !FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("m/.tailor/state.json").path))
    }

    @Test func allowFetchLetsApplyFetchThenApply() throws {
        let workspace = try project()
        defer { workspace.remove() }

        let apply = try TailorProcess.run(["apply", "--auto-approve", "--allow-fetch", "m"], in: workspace.url)
        let again = try TailorProcess.run(["plan", "--detailed-exitcode", "m"], in: workspace.url)

        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(ran(workspace))
        #expect(apply.stderr.contains("dataset/small-interactions: fetching its data: \(command)"))
        #expect(apply.stdout.contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."))
        #expect(again.status == 0, "\(again.stdout)")
    }

    @Test func theProjectSettingLetsApplyFetch() throws {
        let workspace = try project()
        defer { workspace.remove() }
        try workspace.write("m/tailor.yaml", SmallProject.allowingFetch)

        let plan = try TailorProcess.run(["plan", "m"], in: workspace.url)
        #expect(!ran(workspace))
        let apply = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)

        #expect(plan.stdout.contains("(runs at apply: tailor.yaml sets allowFetch)"), "\(plan.stdout)")
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(ran(workspace))
    }

    @Test func aSavedPlanIsNoWayAroundConsent() throws {
        let workspace = try project()
        defer { workspace.remove() }
        let plan = try TailorProcess.run(["plan", "m", "-out", "plan.json"], in: workspace.url)
        #expect(plan.status == 0, "\(plan.stderr)")

        let refused = try TailorProcess.run(["apply", "plan.json"], in: workspace.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--allow-fetch"), "\(refused.stderr)")
        #expect(!ran(workspace))

        let applied = try TailorProcess.run(["apply", "--allow-fetch", "plan.json"], in: workspace.url)
        #expect(applied.status == 0, "\(applied.stdout)\n\(applied.stderr)")
        #expect(ran(workspace))
        #expect(applied.stdout.contains("Apply complete! Resources: 3 added"))
    }
}
