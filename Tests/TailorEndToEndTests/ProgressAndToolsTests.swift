import Foundation
import TailorTestSupport
import Testing

/// NDJSON progress, exit codes, `graph`, `fmt` and `schema`, run with the built binary.
@Suite(.serialized) struct ProgressAndToolsTests {
    @Test func jsonProgressIsOneMessagePerLine() throws {
        let workspace = try SmallProject.workspace()
        defer { workspace.remove() }

        let apply = try TailorProcess.run(["apply", "--auto-approve", "--json", "m"], in: workspace.url)

        #expect(apply.status == 0, "\(apply.stderr)")
        let messages = try apply.stdout.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        let types = messages.compactMap { $0["type"] as? String }
        #expect(types.first == "version")
        #expect(types.filter { $0 == "planned_change" }.count == 3)
        #expect(types.contains("apply_start") && types.contains("apply_progress") && types.contains("apply_complete"))
        #expect(types.last == "change_summary")
        #expect(messages.allSatisfy { $0["@timestamp"] is String && $0["@level"] is String })
        let summary = try #require(messages.last?["changes"] as? [String: Any])
        #expect(summary["add"] as? Int == 3 && summary["operation"] as? String == "apply")
    }

    @Test func exitCodesTellNothingChangedFromPartialChanges() throws {
        let workspace = try SmallProject.workspace()
        defer { workspace.remove() }
        try workspace.write(
            "m/data/interactions.csv", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\nu1,i1,1,click,1\n")

        let partial = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(partial.status == 3, "created the dataset, then the import failed: \(partial.stdout)\(partial.stderr)")
        #expect(partial.stderr.contains("Apply failed for 1 resource"))

        try SmallProject.write(to: workspace)
        #expect(try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url).status == 0)
        try workspace.write(
            "m/solution.yaml",
            """
            apiVersion: tailor/v1
            kind: Solution
            metadata: {name: small-picks}
            spec: {datasetGroup: small, recipe: aws-user-personalization, hyperParameters: {hidden_dimension: "8"}}
            """)
        let nothing = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        #expect(nothing.status == 1, "the engine refused the only change: \(nothing.stdout)\(nothing.stderr)")
        #expect(nothing.stderr.contains("hidden_dimension"))
    }

    @Test func graphFmtAndSchema() throws {
        let workspace = try SmallProject.workspace()
        defer { workspace.remove() }

        let graph = try TailorProcess.run(["graph", "m"], in: workspace.url)
        #expect(graph.stdout.hasPrefix("digraph tailor {"))
        #expect(graph.stdout.contains(#""dataset/small-interactions" -> "dataset-group/small";"#))

        try workspace.write("m/messy.yaml", "kind: DatasetGroup\napiVersion: tailor/v1\nmetadata:\n    name: messy\n")
        let check = try TailorProcess.run(["fmt", "--check", "m"], in: workspace.url)
        #expect(check.status == 3)
        #expect(check.stdout == "m/messy.yaml\n")
        #expect(try TailorProcess.run(["fmt", "m"], in: workspace.url).status == 0)
        #expect(
            try String(contentsOf: workspace.url.appendingPathComponent("m/messy.yaml"), encoding: .utf8)
                == "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata:\n  name: messy\n")
        #expect(try TailorProcess.run(["fmt", "--check", "m"], in: workspace.url).status == 0)

        let schemas = ExamplesTests.repository.appendingPathComponent("schemas").path
        let fresh = try TailorProcess.run(["schema", "--check", schemas], in: workspace.url)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        let printed = try TailorProcess.run(["schema"], in: workspace.url)
        #expect(printed.stdout.contains(#""$schema" : "http://json-schema.org/draft-07/schema#""#))
    }
}

@Suite struct ValidateJSONTests {
    @Test func validateJSONHasTerraformsShape() throws {
        let workspace = try TemporaryDirectory("tailor-e2e")
        defer { workspace.remove() }
        try workspace.write(
            "m/a.yaml",
            "apiVersion: tailor/v1\nkind: Solution\nmetadata: {name: s}\nspec: {datasetGroup: g, recipe: x}\n")

        let result = try TailorProcess.run(["validate", "--json", "m"], in: workspace.url)

        #expect(result.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["valid"] as? Bool == false)
        #expect(json?["error_count"] as? Int == 2)
        let first = (json?["diagnostics"] as? [[String: Any]])?.first
        #expect(first?["severity"] as? String == "error")
        let range = first?["range"] as? [String: Any]
        #expect(range?["filename"] as? String == "m/a.yaml")
        #expect((range?["start"] as? [String: Any])?["line"] as? Int == 4)
    }
}
