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
    private func prepared(textual: Bool = false) async throws -> (EngineHarness, String) {
        let harness = try EngineHarness()
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let items = try await harness.createDataset(
            group: group, name: "items", type: "Items",
            schema: #"""
                {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema",
                 "fields": [{"name": "ITEM_ID", "type": "string"},
                            {"name": "GENRE", "type": "string", "categorical": true}\#(
                                textual ? #", {"name": "BLURB", "type": "string", "textual": true}"# : "")],
                 "version": "1.0"}
                """#)
        let csv =
            "ITEM_ID,GENRE\(textual ? ",BLURB" : "")\n"
            + (0..<200).map { "i\($0),g\($0 % 4)\($0 % 10 == 0 ? "|new" : "")\(textual ? ",a fine item" : "")" }
            .joined(separator: "\n") + "\n"
        _ = try await harness.importCSV(csv, into: items, name: "items")
        return (harness, group)
    }

    private func segments(
        _ harness: EngineHarness, version: String, lines: [String], name: String, filterArn: String? = nil
    ) async throws -> (String?, [[String: Any]]) {
        let engine = harness.engine
        return try await harness.runBatchJob(input: "\(name)/queries.json", lines: lines) { input, output in
            try await engine.send(
                CreateBatchSegmentJobRequest(
                    jobName: name, solutionVersionArn: version, filterArn: filterArn, numResults: 20,
                    jobInput: BatchSegmentJobInput(s3DataSource: S3DataConfig(path: input)),
                    jobOutput: BatchSegmentJobOutput(s3DataDestination: S3DataConfig(path: output)), roleArn: "r")
            ).batchSegmentJobArn ?? ""
        } status: { arn in
            try await engine.send(DescribeBatchSegmentJobRequest(batchSegmentJobArn: arn)).batchSegmentJob?.status
        }
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

        // The guide's segmentation metrics (how well they separate a model from chance is checked in
        // SegmentMetricsTests): hits among the top 1 % of users (here 2 of 200) and recall.
        let metrics =
            try await harness.engine.send(GetSolutionMetricsRequest(solutionVersionArn: version)).metrics ?? [:]
        #expect(Set(metrics.keys) == ["hits_at_1_percent", "recall_at_1_percent"], "\(metrics)")
        #expect(
            (0...2).contains(metrics["hits_at_1_percent"] ?? -1)
                && (0...1).contains(metrics["recall_at_1_percent"] ?? -1))

        // Segments are for batch jobs, not campaigns.
        await #expect {
            try await harness.engine.send(CreateCampaignRequest(name: "c", solutionVersionArn: version))
        } throws: { ($0 as? PersonalizeError)?.message.contains("cannot be deployed in a campaign") == true }
    }

    @Test func segmentFiltersKeepTheUsersTheySelect() async throws {
        let (harness, group) = try await prepared()
        let engine = harness.engine
        let usersDataset = try await harness.createDataset(
            group: group, name: "users", type: "Users",
            schema: #"""
                {"type": "record", "name": "Users", "namespace": "com.amazonaws.personalize.schema",
                 "fields": [{"name": "USER_ID", "type": "string"},
                            {"name": "MEMBERSHIP", "type": "string", "categorical": true}], "version": "1.0"}
                """#)
        // Every third user is gold.
        for start in stride(from: 0, to: 200, by: 10) {
            let batch = (start..<start + 10).map {
                User(userId: "u\($0)", properties: #"{"membership": "\#($0 % 3 == 0 ? "gold" : "basic")"}"#)
            }
            _ = try await engine.send(PutUsersRequest(datasetArn: usersDataset, users: batch))
        }
        func filter(_ name: String, _ expression: String) async throws -> String {
            let arn =
                try await engine.send(
                    CreateFilterRequest(name: name, datasetGroupArn: group, filterExpression: expression)
                ).filterArn ?? ""
            await engine.waitForBackgroundJobs()
            return arn
        }
        let members = try await filter("members", "INCLUDE UserID WHERE Users.MEMBERSHIP IN ($LEVEL)")
        let noBuyers = try await filter("no-buyers", #"EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("purchase")"#)
        let onItems = try await filter("on-items", #"EXCLUDE ItemID WHERE Items.GENRE IN ("new")"#)
        let (version, _) = try await harness.train(
            group: group, name: "affinity", recipe: "aws-item-affinity", hyperParameters: ["hidden_dimension": "32"])

        let (job, lines) = try await segments(
            harness, version: version,
            lines: [#"{"itemId": "i5", "filterValues": {"LEVEL": "\"gold\""}}"#, #"{"itemId": "i5"}"#],
            name: "gold", filterArn: members)
        #expect(job == "ACTIVE")
        #expect(users(lines[0]).count == 20)
        #expect(users(lines[0]).allSatisfy { Int($0.dropFirst())! % 3 == 0 }, "\(users(lines[0]))")
        #expect((lines[1]["error"] as? String)?.contains("LEVEL") == true, "an INCLUDE parameter needs a value")

        let buyers = Set(
            data.interactionsCSV(perUser: 15).split(separator: "\n").filter { $0.contains(",purchase,") }
                .map { String($0.split(separator: ",")[0]) })
        let (_, clean) = try await segments(
            harness, version: version, lines: [#"{"itemId": "i6"}"#], name: "clean", filterArn: noBuyers)
        #expect(!users(clean[0]).isEmpty)
        #expect(Set(users(clean[0])).isDisjoint(with: buyers))

        await #expect {
            try await self.segments(
                harness, version: version, lines: [#"{"itemId": "i6"}"#], name: "x", filterArn: onItems)
        } throws: { ($0 as? PersonalizeError)?.message.contains("needs a filter on UserID") == true }
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
                    jobOutput: BatchSegmentJobOutput(
                        s3DataDestination: S3DataConfig(path: harness.directory.url.appendingPathComponent("x").path)),
                    roleArn: "r"))
        } throws: { ($0 as? PersonalizeError)?.message.contains("needs a USER_SEGMENTATION solution version") == true }
    }

    @Test func attributeAffinityRefusesInteractionFiltersTextualAttributesAndOverTenQueries() async throws {
        let (harness, group) = try await prepared(textual: true)
        let engine = harness.engine
        let (version, status) = try await harness.train(
            group: group, name: "attributes", recipe: "aws-item-attribute-affinity",
            hyperParameters: ["hidden_dimension": "32"])
        try #require(status == "ACTIVE")
        // The guide: item interaction filters cannot be used with the Item-Attribute-Affinity recipe.
        let noBuyers =
            try await engine.send(
                CreateFilterRequest(
                    name: "no-buyers", datasetGroupArn: group,
                    filterExpression: #"EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("purchase")"#)
            ).filterArn ?? ""
        await engine.waitForBackgroundJobs()
        await #expect {
            try await self.segments(
                harness, version: version, lines: [#"{"itemAttributes": "ITEMS.GENRE = \"g1\""}"#], name: "filtered",
                filterArn: noBuyers)
        } throws: {
            ($0 as? PersonalizeError)?.message.contains(
                "item interaction filters cannot be used with the Item-Attribute-Affinity recipe") == true
        }
        // Attributes are categorical or numeric fields, never textual ones.
        let (job, lines) = try await segments(
            harness, version: version,
            lines: [#"{"itemAttributes": "ITEMS.BLURB = \"fine\""}"#, #"{"itemAttributes": "ITEMS.GENRE = \"g1\""}"#],
            name: "textual")
        #expect(job == "ACTIVE")
        #expect((lines[0]["error"] as? String)?.contains("ITEMS.BLURB is a textual field") == true, "\(lines)")
        #expect(users(lines[1]).count == 20)
        // At most 10 queries per input file.
        let eleven = (0..<11).map { #"{"itemAttributes": "ITEMS.GENRE = \"g\#($0 % 4)\""}"# }
        let (failed, _) = try await segments(harness, version: version, lines: eleven, name: "eleven")
        #expect(failed == "CREATE FAILED")
        let jobs =
            try await engine.send(ListBatchSegmentJobsRequest(solutionVersionArn: version)).batchSegmentJobs ?? []
        let reason = jobs.first { $0.jobName == "eleven" }?.failureReason ?? ""
        #expect(reason.contains("has 11 queries; aws-item-attribute-affinity takes at most 10"), "\(reason)")
    }
}
