import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Item-Affinity and Item-Attribute-Affinity with batch segment jobs (the guide's part 2 §15.8).
@Suite struct BatchSegmentTests {
    let data = SyntheticData(users: 200, items: 200, clusters: 4)

    /// Interactions of four taste clusters, and an Items dataset whose GENRE is the item's cluster (`g0`…`g3`),
    /// plus `new` for every tenth item.
    private func prepared() async throws -> (EngineHarness, String) {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let engine = harness.engine
        let schema =
            try await engine.send(
                CreateSchemaRequest(
                    name: "items",
                    schema: #"""
                        {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
                         "fields": [{"name": "ITEM_ID", "type": "string"},
                                    {"name": "GENRE", "type": "string", "categorical": true}], "version": "1.0"}
                        """#)
            ).schemaArn ?? ""
        let items =
            try await engine.send(
                CreateDatasetRequest(name: "items", schemaArn: schema, datasetGroupArn: group, datasetType: "Items")
            ).datasetArn ?? ""
        let csv =
            "ITEM_ID,GENRE\n"
            + (0..<200).map { "i\($0),g\($0 % 4)\($0 % 10 == 0 ? "|new" : "")" }
            .joined(separator: "\n") + "\n"
        let file = try harness.directory.write("items.csv", csv)
        let job =
            try await engine.send(
                CreateDatasetImportJobRequest(
                    jobName: "items", datasetArn: items, dataSource: DataSource(dataLocation: file.path))
            ).datasetImportJobArn ?? ""
        _ = try await EngineHarness.settle {
            try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: job)).datasetImportJob?.status
        }
        return (harness, group)
    }

    private func segments(
        _ harness: EngineHarness, version: String, lines: [String], name: String
    ) async throws -> (String?, [[String: Any]]) {
        let engine = harness.engine
        let input = try harness.directory.write("\(name)/queries.json", lines.joined(separator: "\n") + "\n")
        let output = harness.directory.url.appendingPathComponent("\(name)/out")
        let arn =
            try await engine.send(
                CreateBatchSegmentJobRequest(
                    jobName: name, solutionVersionArn: version, numResults: 20,
                    jobInput: BatchSegmentJobInput(s3DataSource: S3DataConfig(path: input.path)),
                    jobOutput: BatchSegmentJobOutput(s3DataDestination: S3DataConfig(path: output.path)), roleArn: "r")
            ).batchSegmentJobArn ?? ""
        let status = try await EngineHarness.settle {
            try await engine.send(DescribeBatchSegmentJobRequest(batchSegmentJobArn: arn)).batchSegmentJob?.status
        }
        let text = (try? String(contentsOf: output.appendingPathComponent("queries.json.out"), encoding: .utf8)) ?? ""
        return (
            status,
            text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        )
    }

    private func users(_ line: [String: Any]) -> [String] {
        (line["output"] as? [String: Any])?["recommendedUsers"] as? [String] ?? []
    }

    private func cluster(_ user: String) -> Int { (Int(user.dropFirst()) ?? 0) % 4 }

    @Test func itemAffinityFindsTheUsersOfAnItemsTaste() async throws {
        let (harness, group) = try await prepared()
        let (version, status) = try await harness.train(
            group: group, name: "affinity", recipe: "aws-item-affinity", hyperParameters: ["hidden_dimension": "32"])
        #expect(status == "ACTIVE")
        let (job, lines) = try await segments(
            harness, version: version, lines: [#"{"itemId": "i5"}"#, #"{"itemId": "i6"}"#, #"{"itemId": "nope"}"#],
            name: "items")
        #expect(job == "ACTIVE")
        #expect(lines.count == 3)
        #expect(users(lines[0]).count == 20)
        #expect(users(lines[0]).filter { cluster($0) == 1 }.count >= 16, "\(users(lines[0]))")
        #expect(users(lines[1]).filter { cluster($0) == 2 }.count >= 16, "\(users(lines[1]))")
        #expect((lines[2]["error"] as? String)?.contains("not in the training data") == true)

        // Segments are for batch jobs, not campaigns.
        await #expect {
            try await harness.engine.send(CreateCampaignRequest(name: "c", solutionVersionArn: version))
        } throws: { ($0 as? PersonalizeError)?.message.contains("cannot be deployed in a campaign") == true }
    }

    @Test func attributeAffinityCombinesConditionsWithAnd() async throws {
        let (harness, group) = try await prepared()
        let (version, _) = try await harness.train(
            group: group, name: "attributes", recipe: "aws-item-attribute-affinity",
            hyperParameters: ["hidden_dimension": "32"])
        let queries = [
            #"{"itemAttributes": "ITEMS.GENRE = \"g3\""}"#,
            #"{"itemAttributes": "ITEMS.GENRE = \"g2\" AND ITEMS.GENRE = \"new\""}"#,
            #"{"itemAttributes": "ITEMS.GENRE IN (\"g1\")"}"#,
        ]
        let (job, lines) = try await segments(harness, version: version, lines: queries, name: "attributes")
        #expect(job == "ACTIVE")
        #expect(lines[0]["itemAttributes"] as? String == #"ITEMS.GENRE = "g3""#, "no input wrapper, as the guide shows")
        #expect(users(lines[0]).filter { cluster($0) == 3 }.count >= 16, "\(users(lines[0]))")
        #expect(users(lines[1]).filter { cluster($0) == 2 }.count >= 14, "\(users(lines[1]))")
        #expect((lines[2]["error"] as? String)?.contains("only = and AND") == true)

        let (other, _) = try await harness.train(group: group, name: "pop", recipe: "aws-popularity-count")
        let input = harness.directory.url.appendingPathComponent("attributes/queries.json").path
        await #expect {
            try await harness.engine.send(
                CreateBatchSegmentJobRequest(
                    jobName: "wrong", solutionVersionArn: other,
                    jobInput: BatchSegmentJobInput(s3DataSource: S3DataConfig(path: input)),
                    jobOutput: BatchSegmentJobOutput(s3DataDestination: S3DataConfig(path: "/tmp/x")), roleArn: "r"))
        } throws: { ($0 as? PersonalizeError)?.message.contains("needs a USER_SEGMENTATION solution version") == true }
    }
}
