import Foundation
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct ManifestLoaderTests {
    @Test func loadsEveryYAMLFileRecursivelyInDependencyOrder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Fixtures.writeMovielens(to: directory)
        try directory.write(".tailor/ignored.yaml", "not: [a, manifest")

        let manifests = try ManifestLoader.load(directory: directory.url)

        #expect(
            manifests.addresses.map(\.description) == [
                "dataset-group/movielens", "schema/interactions", "dataset/interactions", "solution/top-picks",
                "campaign/top-picks",
            ])
        guard case .dataset(let dataset)? = manifests[ResourceAddress(.dataset, "interactions")]?.spec else {
            Issue.record("dataset/interactions is missing")
            return
        }
        #expect(dataset.dataImport?.path == directory.url.appendingPathComponent("data/ratings.csv").path)
        guard case .schema(let schema)? = manifests[ResourceAddress(.schema, "interactions")]?.spec else {
            Issue.record("schema/interactions is missing")
            return
        }
        #expect(schema.datasetType == "INTERACTIONS")
        let solution = try #require(manifests[ResourceAddress(.solution, "top-picks")])
        #expect(solution.location.description.hasSuffix("solutions.yaml:4:9"))
        #expect(solution.fields["hyperParameters"] == .map(["hidden_dimension": .string("64")]))
    }

    @Test func reportsEveryErrorAtOnceWithFileLineAndColumn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "bad.yaml",
            [
                ManifestFixtures.document("Soluton", "top-picks", spec: "datasetGroup: movielens\n"),
                ManifestFixtures.document(
                    "Solution", "top-picks",
                    spec: """
                        datasetGroup: moviellens
                        recipe: aws-user-personalisation
                        eventTyp: watch
                        hyperParameters: [1, 2]

                        """),
                ManifestFixtures.document("Campaign", "top-picks", spec: "minProvisionedTPS: many\n"),
                ManifestFixtures.document(
                    "Dataset", "interactions",
                    spec: """
                        datasetGroup: movielens
                        type: INTERACTION
                        schema: interactions
                        import:
                          source: data/missing.csv
                          mode: FULLL

                        """),
            ].joined(separator: "---\n"))
        try directory.write(
            "dup.yaml",
            ManifestFixtures.document(
                "Solution", "top-picks", apiVersion: "tailor/v2",
                spec: "datasetGroup: movielens\nrecipe: popularity-count"))
        try directory.write("group.yaml", Fixtures.group)
        let prefix = directory.url.relativePath

        let error = #expect(throws: DiagnosticsError.self) { try ManifestLoader.load(directory: directory.url) }
        let lines = try #require(error).diagnostics.map { String($0.description.dropFirst(prefix.count + 1)) }

        let missing = directory.url.appendingPathComponent("data/missing.csv").path
        #expect(
            lines == [
                "bad.yaml:2:7: error: unknown kind 'Soluton'; did you mean 'Solution'? "
                    + "(expected one of: DatasetGroup, Schema, Dataset, Solution, Campaign, EventTracker, Filter, "
                    + "DatasetExport, DataDeletion, Recommender, MetricAttribution, BatchInferenceJob, BatchSegmentJob)",
                "bad.yaml:13:17: error: 'spec.datasetGroup' refers to dataset group 'moviellens', "
                    + "which is not declared; did you mean 'movielens'?",
                "bad.yaml:14:11: error: unknown recipe 'aws-user-personalisation'; "
                    + "did you mean 'aws-user-personalization'?",
                "bad.yaml:15:3: error: unknown field 'eventTyp' in 'spec'; did you mean 'eventType'?",
                "bad.yaml:16:20: error: 'spec.hyperParameters' must be a mapping, found a list",
                "bad.yaml:22:1: error: missing required field 'solution' in 'spec'",
                "bad.yaml:23:22: error: 'spec.minProvisionedTPS' must be an integer, found a string",
                "bad.yaml:31:9: error: invalid value 'INTERACTION' for 'spec.type'; did you mean 'INTERACTIONS'? "
                    + "(expected one of: INTERACTIONS, ITEMS, USERS, ACTIONS, ACTION_INTERACTIONS)",
                "bad.yaml:34:13: error: import source 'data/missing.csv' does not exist (looked for \(missing)); "
                    + "create it or add 'fetch: {command: [...]}' to obtain it",
                "bad.yaml:35:11: error: invalid value 'FULLL' for 'spec.import.mode'; did you mean 'FULL'? "
                    + "(expected one of: FULL, INCREMENTAL)",
                "dup.yaml:1:13: error: invalid value 'tailor/v2' for 'apiVersion'; did you mean 'tailor/v1'? "
                    + "(expected one of: tailor/v1)",
                "dup.yaml:4:9: error: duplicate resource 'solution/top-picks'; "
                    + "first declared at \(prefix)/bad.yaml:11:9",
            ])
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirPosition() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("broken.yaml", "apiVersion: tailor/v1\nkind: [DatasetGroup\nmetadata: {name: x}\n")

        let error = #expect(throws: DiagnosticsError.self) { try ManifestLoader.load(directory: directory.url) }
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.file.hasSuffix("broken.yaml"))
        #expect(diagnostic.line == 3)
        #expect(diagnostic.message.hasPrefix("invalid YAML"))
    }

    @Test func reportsDuplicateKeysAndBadNames() throws {
        let diagnostics = try Fixtures.diagnostics(
            loading: """
                apiVersion: tailor/v1
                kind: DatasetGroup
                metadata:
                  name: my group
                ---
                apiVersion: tailor/v1
                kind: DatasetGroup
                metadata: {name: ok}
                spec: {domain: VIDEO_ON_DEMAND, domain: ECOMMERCE}
                """)
        let messages = diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        #expect(
            messages == [
                "4:9: invalid name 'my group' for 'metadata.name': names start with a letter or digit and contain only "
                    + "letters, digits, '-' and '_'",
                "9:8: duplicate key 'domain' in mapping",
            ])
    }

    @Test func reportsAMissingOrEmptyFolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let empty = #expect(throws: DiagnosticsError.self) { try ManifestLoader.load(directory: directory.url) }
        #expect(empty?.diagnostics.first?.message == "no manifests (*.yaml, *.yml) in this folder")
        let missing = #expect(throws: DiagnosticsError.self) {
            try ManifestLoader.load(directory: directory.url.appendingPathComponent("nope"))
        }
        #expect(missing?.diagnostics.first?.message == "manifest folder does not exist")
    }

    @Test func checksSchemasAgainstTheDatasetsUsingThem() throws {
        let diagnostics = try Fixtures.diagnostics(
            loading: """
                apiVersion: tailor/v1
                kind: DatasetGroup
                metadata: {name: g}
                ---
                apiVersion: tailor/v1
                kind: Schema
                metadata: {name: s}
                spec:
                  datasetType: ITEMS
                  fields: [{name: USER_ID, type: string}]
                ---
                apiVersion: tailor/v1
                kind: Schema
                metadata: {name: orphan}
                spec:
                  fields: [{name: ITEM_ID, type: string}]
                ---
                apiVersion: tailor/v1
                kind: Dataset
                metadata: {name: d}
                spec: {datasetGroup: g, type: USERS, schema: s}
                """)
        let messages = diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        #expect(
            messages == [
                "7:18: schema 's' for ITEMS datasets needs a field 'ITEM_ID'",
                "14:18: schema 'orphan' is not used by any dataset; "
                    + "set 'spec.datasetType' so its Avro record can be named",
                "21:46: schema 's' is declared for ITEMS datasets, not USERS",
            ])
    }
}
