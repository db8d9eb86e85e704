import Foundation
import TailorTestSupport
import Testing

/// A small project (dataset group, schema, dataset with an import) for the state, lock and saved-plan tests.
enum SmallProject {
    static let manifests = ManifestFixtures.interactions("small")

    /// The project file that lets apply run the fetch command.
    static let allowingFetch = """
        apiVersion: tailor/v1
        kind: Project
        metadata: {name: small}
        spec: {allowFetch: true}

        """

    /// A fresh folder `<label>-…` with the project written into its `m` (``write(to:slowFetch:)``); the caller
    /// removes it.
    static func workspace(_ label: String = "tailor-e2e", slowFetch: Int? = nil) throws -> TemporaryDirectory {
        let workspace = try TemporaryDirectory(label)
        do {
            try write(to: workspace, slowFetch: slowFetch)
        } catch {
            workspace.remove()
            throw error
        }
        return workspace
    }

    /// Writes the project into `workspace/m`; with `slowFetch`, the data is fetched by a command that takes
    /// `slowFetch` seconds (so an apply holds its lock that long), which `tailor.yaml` allows apply to run.
    static func write(to workspace: TemporaryDirectory, slowFetch: Int? = nil) throws {
        let csv = SyntheticData().interactionsCSV()
        if let slowFetch {
            try workspace.write("m/tailor.yaml", allowingFetch)
            try workspace.write("m/seed.csv", csv)
            try workspace.write(
                "m/resources.yaml",
                manifests.replacingOccurrences(
                    of: "import: {source: data/interactions.csv}",
                    with: "import: {source: data/interactions.csv, fetch: {command: [sh, -c, "
                        + "\"sleep \(slowFetch) && mkdir -p data && cp seed.csv data/interactions.csv\"]}}"))
        } else {
            try workspace.write("m/data/interactions.csv", csv)
            try workspace.write("m/resources.yaml", manifests)
        }
    }
}

@Suite(.serialized) struct StateCommandsTests {
    @Test func aSecondApplyIsRefusedWithTheHoldersDetails() throws {
        let workspace = try SmallProject.workspace(slowFetch: 4)
        defer { workspace.remove() }
        let lock = workspace.url.appendingPathComponent("m/.tailor/state.json.lock").path

        let first = try TailorProcess.start(["apply", "--auto-approve", "m"], in: workspace.url)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: lock), Date() < deadline { usleep(10_000) }
        let second = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        let finished = first.wait()

        #expect(second.status == 1)
        #expect(second.stderr.contains("the state is locked by another operation"), "\(second.stderr)")
        #expect(second.stderr.contains("Operation: apply"))
        #expect(second.stderr.contains("(pid \(first.pid))"))
        #expect(second.stderr.contains("tailor force-unlock "))
        #expect(finished.status == 0, "\(finished.stdout)\n\(finished.stderr)")
        #expect(!FileManager.default.fileExists(atPath: lock), "released when the apply ends")
    }

    @Test func stateListShowMoveRemoveAndOutput() throws {
        let workspace = try SmallProject.workspace()
        defer { workspace.remove() }
        let apply = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")

        let list = try TailorProcess.run(["state", "list", "-C", "m"], in: workspace.url)
        #expect(list.stdout == "dataset-group/small\nschema/small-interactions\ndataset/small-interactions\n")
        let show = try TailorProcess.run(["state", "show", "dataset/small-interactions", "-C", "m"], in: workspace.url)
        #expect(
            show.stdout.hasPrefix("# dataset/small-interactions\narn    = \"arn:aws:personalize:"), "\(show.stdout)")
        #expect(show.stdout.contains("importContentHash"))
        let arn = try TailorProcess.run(["output", "dataset-group/small.arn", "-C", "m"], in: workspace.url)
        #expect(arn.stdout.hasPrefix("arn:aws:personalize:") && arn.stdout.hasSuffix(":dataset-group/small\n"))
        let typo = try TailorProcess.run(["state", "show", "dataset/small-interaction", "-C", "m"], in: workspace.url)
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("did you mean 'dataset/small-interactions'?"))

        let dryRun = try TailorProcess.run(
            ["state", "mv", "dataset-group/small", "dataset-group/renamed", "-C", "m", "--dry-run"], in: workspace.url)
        #expect(dryRun.stdout == "Would move dataset-group/small to dataset-group/renamed.\n")
        let remove = try TailorProcess.run(["state", "rm", "dataset/small-interactions", "-C", "m"], in: workspace.url)
        #expect(remove.stdout == "Removed dataset/small-interactions (the engine keeps it).\n")
        let adopt = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(adopt.status == 0, "\(adopt.stdout)\n\(adopt.stderr)")
        #expect(adopt.stdout.contains("dataset/small-interactions: adopting the existing dataset of this name"))
        let unlock = try TailorProcess.run(["force-unlock", "nope", "--force", "-C", "m"], in: workspace.url)
        #expect(unlock.status == 1)
        #expect(unlock.stderr.contains("the state is not locked"))
    }

    @Test func aSavedPlanAppliesOnceAndAStaleOneSaysWhy() throws {
        let workspace = try SmallProject.workspace()
        defer { workspace.remove() }

        let plan = try TailorProcess.run(["plan", "m", "-out", "plan.json", "--detailed-exitcode"], in: workspace.url)
        #expect(plan.status == 2, "\(plan.stdout)\n\(plan.stderr)")
        #expect(plan.stdout.contains("Saved the plan to plan.json"))
        let json = try TailorProcess.run(["plan", "m", "--json"], in: workspace.url)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(parsed?["format_version"] as? String == "1.3")
        let changes = parsed?["resource_changes"] as? [[String: Any]] ?? []
        #expect(
            changes.map { $0["address"] as? String ?? "" } == [
                "dataset-group/small", "schema/small-interactions", "dataset/small-interactions",
            ])
        #expect((changes.first?["change"] as? [String: Any])?["actions"] as? [String] == ["create"])

        let apply = try TailorProcess.run(["apply", "plan.json"], in: workspace.url)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.stdout.contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."))
        let again = try TailorProcess.run(["apply", "plan.json"], in: workspace.url)
        #expect(again.status == 1)
        #expect(again.stderr.contains("the plan is stale: the state was replaced"), "\(again.stderr)")

        try workspace.write("m/extra.yaml", "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata: {name: extra}\n")
        _ = try TailorProcess.run(["plan", "m", "-out", "plan.json"], in: workspace.url)
        try workspace.write("m/extra.yaml", "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata: {name: other}\n")
        let stale = try TailorProcess.run(["apply", "plan.json"], in: workspace.url)
        #expect(stale.status == 1)
        #expect(
            stale.stderr.contains("the inputs changed since the plan was made: extra.yaml changed"), "\(stale.stderr)")
        let mixed = try TailorProcess.run(["apply", "plan.json", "--target", "dataset-group/other"], in: workspace.url)
        #expect(mixed.stderr.contains("planning options cannot be combined with a saved plan"))
    }

    @Test func refreshRecordsDriftAndTargetingNarrowsThePlan() throws {
        let workspace = try SmallProject.workspace()
        defer { workspace.remove() }

        let targeted = try TailorProcess.run(
            ["plan", "m", "--target", "schema/small-interactions", "--refresh=false"], in: workspace.url)
        #expect(targeted.stdout.hasPrefix("Warning: Resource targeting is in effect"), "\(targeted.stdout)")
        #expect(targeted.stdout.contains("Plan: 1 to add, 0 to change, 0 to destroy."))
        let disabled = try TailorProcess.run(["plan", "m", "--disable-refresh"], in: workspace.url)
        #expect(disabled.status == 0, "\(disabled.stderr)")
        let apply = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let refresh = try TailorProcess.run(["refresh", "m"], in: workspace.url)
        #expect(refresh.status == 0, "\(refresh.stderr)")
        #expect(refresh.stdout.contains("No changes. No objects have changed outside of Tailor."), "\(refresh.stdout)")
        let protected = try TailorProcess.run(["plan", "m", "--refresh-only", "--refresh=false"], in: workspace.url)
        #expect(protected.status == 1)
        #expect(protected.stderr.contains("--refresh-only needs a refresh"))
    }
}
