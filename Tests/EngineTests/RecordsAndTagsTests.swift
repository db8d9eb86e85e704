import EngineAPI
import Foundation
import GRDB
import TailorTestSupport
import Testing

@testable import Engine

@Suite struct RecordsAndTagsTests {
    let harness: EngineHarness
    let data = SyntheticData(users: 200, items: 200, clusters: 4)
    init() throws { harness = try EngineHarness() }

    private func deployedCampaign() async throws -> (group: String, campaign: String, tracking: String) {
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let (version, _) = try await harness.train(
            group: group, name: "up", recipe: "aws-user-personalization", hyperParameters: ["hidden_dimension": "32"])
        let engine = harness.engine
        let campaign =
            try await engine.send(CreateCampaignRequest(name: "c", solutionVersionArn: version)).campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        let tracker = try await engine.send(CreateEventTrackerRequest(name: "t", datasetGroupArn: group))
        return (group, campaign, tracker.trackingId ?? "")
    }

    private func recommend(_ campaign: String, _ user: String) async throws -> [String] {
        try await harness.engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: user, numResults: 10))
            .itemList?.compactMap(\.itemId) ?? []
    }

    private func cluster(_ item: String) -> Int { (Int(item.dropFirst()) ?? 0) % data.clusters }

    private func events(_ items: [Int]) -> [Event] {
        items.enumerated().map { index, item in
            Event(
                eventType: "click", itemId: "i\(item)",
                sentAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)))
        }
    }

    @Test func eventsChangeTheNextRecommendationsWithoutRetraining() async throws {
        let (_, campaign, tracking) = try await deployedCampaign()
        let engine = harness.engine
        let before = try await recommend(campaign, "newcomer")
        let clusterTwo = (0..<10).map { $0 * data.clusters + 2 }
        _ = try await engine.send(
            PutEventsRequest(trackingId: tracking, userId: "newcomer", sessionId: "s1", eventList: events(clusterTwo)))
        let after = try await recommend(campaign, "newcomer")
        #expect(after != before)
        #expect(after.filter { cluster($0) == 2 }.count >= 8, "\(after)")
        #expect(Set(after).isDisjoint(with: clusterTwo.map { "i\($0)" }), "items the user just clicked are left out")
    }

    @Test func anonymousSessionsGetRecommendationsAndAreLinkedOnSignIn() async throws {
        let (_, campaign, tracking) = try await deployedCampaign()
        let engine = harness.engine
        let clusterThree = (0..<10).map { $0 * data.clusters + 3 }
        // No userId: the events belong to the session, and the session id asks for recommendations.
        _ = try await engine.send(
            PutEventsRequest(
                trackingId: tracking, sessionId: "anon-42", eventList: Array(events(clusterThree).prefix(6))))
        let anonymous = try await recommend(campaign, "anon-42")
        #expect(anonymous.filter { cluster($0) == 3 }.count >= 8, "\(anonymous)")
        // The user signs in: an event with both ids links the session's events to them.
        let before = try await recommend(campaign, "fresh-user")
        _ = try await engine.send(
            PutEventsRequest(
                trackingId: tracking, userId: "fresh-user", sessionId: "anon-42",
                eventList: Array(events(clusterThree).suffix(1))))
        let linked = try await recommend(campaign, "fresh-user")
        #expect(linked != before)
        #expect(linked.filter { cluster($0) == 3 }.count >= 8, "\(linked)")
        #expect(
            Set(linked).isDisjoint(with: clusterThree.prefix(6).map { "i\($0)" }), "the session's items count as seen")
    }

    @Test func aKnownUsersNewInterestsMoveUp() async throws {
        let (_, campaign, tracking) = try await deployedCampaign()
        let before = try await recommend(campaign, "u0").filter { cluster($0) == 1 }.count
        let clusterOne = (0..<20).map { $0 * data.clusters + 1 }
        _ = try await harness.engine.send(
            PutEventsRequest(
                trackingId: tracking, userId: "u0", sessionId: "s", eventList: Array(events(clusterOne).prefix(10))))
        _ = try await harness.engine.send(
            PutEventsRequest(
                trackingId: tracking, userId: "u0", sessionId: "s", eventList: Array(events(clusterOne).suffix(10))))
        let after = try await recommend(campaign, "u0").filter { cluster($0) == 1 }.count
        #expect(after > before)
    }

    @Test func putEventsValidatesItsInput() async throws {
        let (_, _, tracking) = try await deployedCampaign()
        let engine = harness.engine
        await #expect(throws: PersonalizeError.notFound("Could not find an event tracker with trackingId nope.")) {
            try await engine.send(PutEventsRequest(trackingId: "nope", sessionId: "s", eventList: events([1])))
        }
        await #expect {
            try await engine.send(
                PutEventsRequest(trackingId: tracking, sessionId: "s", eventList: events(Array(0..<11))))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
        var bad = events([1])
        bad[0].properties = #"{"colour": "red"}"#
        await #expect {
            try await engine.send(PutEventsRequest(trackingId: tracking, sessionId: "s", eventList: bad))
        } throws: { ($0 as? PersonalizeError)?.message.contains("unknown property 'colour'") == true }
    }

    @Test func oneEventTrackerPerDatasetGroup() async throws {
        let (group, _, _) = try await deployedCampaign()
        await #expect {
            try await harness.engine.send(CreateEventTrackerRequest(name: "second", datasetGroupArn: group))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceAlreadyExistsException }
        #expect(
            try await harness.engine.send(ListEventTrackersRequest(datasetGroupArn: group)).eventTrackers?.count == 1)
    }

    @Test func putItemsUpsertsAndChecksTypesAndSchemaUpdatesAddNullableFields() async throws {
        let engine = harness.engine
        let group = try await engine.send(CreateDatasetGroupRequest(name: "g")).datasetGroupArn ?? ""
        let v1 =
            #"{"type": "record", "name": "Items", "fields": [{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"}]}"#
        let schema = try await engine.send(CreateSchemaRequest(name: "items-v1", schema: v1)).schemaArn ?? ""
        let dataset =
            try await engine.send(
                CreateDatasetRequest(name: "items", schemaArn: schema, datasetGroupArn: group, datasetType: "ITEMS")
            ).datasetArn ?? ""
        _ = try await engine.send(
            PutItemsRequest(datasetArn: dataset, items: [Item(itemId: "a", properties: #"{"price": 3.5}"#)]))
        _ = try await engine.send(
            PutItemsRequest(datasetArn: dataset, items: [Item(itemId: "a", properties: #"{"price": 4}"#)]))
        await #expect {
            try await engine.send(
                PutItemsRequest(datasetArn: dataset, items: [Item(itemId: "b", properties: #"{"price": "cheap"}"#)]))
        } throws: { ($0 as? PersonalizeError)?.message == "items[0], PRICE: 'cheap' is not a number (float)" }
        let rows = try await engine.core.database.pool.read { db in
            try DatasetTable.find(db, datasetArn: dataset).count(db)
        }
        #expect(rows == 1)

        let v2 =
            #"{"type": "record", "name": "Items", "fields": [{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"}, {"name": "BRAND", "type": ["null", "string"], "categorical": true}]}"#
        let schema2 = try await engine.send(CreateSchemaRequest(name: "items-v2", schema: v2)).schemaArn ?? ""
        _ = try await engine.send(UpdateDatasetRequest(datasetArn: dataset, schemaArn: schema2))
        _ = try await engine.send(
            PutItemsRequest(
                datasetArn: dataset, items: [Item(itemId: "c", properties: #"{"price": 1, "brand": "acme"}"#)]))
        let described = try await engine.send(DescribeDatasetRequest(datasetArn: dataset)).dataset
        #expect(described?.schemaArn == schema2)
        #expect(described?.latestDatasetUpdate?.status == "ACTIVE")
        let v3 =
            #"{"type": "record", "name": "Items", "fields": [{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "double"}]}"#
        let schema3 = try await engine.send(CreateSchemaRequest(name: "items-v3", schema: v3)).schemaArn ?? ""
        await #expect {
            try await engine.send(UpdateDatasetRequest(datasetArn: dataset, schemaArn: schema3))
        } throws: { ($0 as? PersonalizeError)?.message.contains("changes or removes field PRICE") == true }
    }

    @Test func tagsAreAddedListedRemovedAndLimited() async throws {
        let engine = harness.engine
        let arn =
            try await engine.send(
                CreateDatasetGroupRequest(name: "tagged", tags: [Tag(tagKey: "team", tagValue: "recs")])
            ).datasetGroupArn ?? ""
        _ = try await engine.send(TagResourceRequest(resourceArn: arn, tags: [Tag(tagKey: "env", tagValue: "dev")]))
        let tags = try await engine.send(ListTagsForResourceRequest(resourceArn: arn)).tags ?? []
        #expect(tags == [Tag(tagKey: "env", tagValue: "dev"), Tag(tagKey: "team", tagValue: "recs")])
        _ = try await engine.send(UntagResourceRequest(resourceArn: arn, tagKeys: ["env"]))
        #expect(try await engine.send(ListTagsForResourceRequest(resourceArn: arn)).tags?.map(\.tagKey) == ["team"])
        let many = (0..<50).map { Tag(tagKey: "k\($0)", tagValue: "v") }
        await #expect {
            try await engine.send(TagResourceRequest(resourceArn: arn, tags: many))
        } throws: { ($0 as? PersonalizeError)?.code == .tooManyTagsException }
        await #expect {
            try await engine.send(ListTagsForResourceRequest(resourceArn: arn + "x"))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }
    }

    @Test func solutionsUpdateTheirAutomaticTrainingAndVersionsCanBeStopped() async throws {
        let (group, _, _) = try await harness.importInteractions(data.interactionsCSV(perUser: 15))
        let engine = harness.engine
        let solution = try await harness.createSolution("s", recipe: "aws-popularity-count", group: group)
        _ = try await engine.send(
            UpdateSolutionRequest(
                solutionArn: solution, performAutoTraining: true,
                solutionUpdateConfig: SolutionUpdateConfig(
                    autoTrainingConfig: AutoTrainingConfig(schedulingExpression: "rate(3 days)"))))
        let described = try await engine.send(DescribeSolutionRequest(solutionArn: solution)).solution
        #expect(described?.performAutoTraining == true)
        #expect(described?.solutionConfig?.autoTrainingConfig?.schedulingExpression == "rate(3 days)")
        #expect(described?.latestSolutionUpdate?.status == "ACTIVE")

        let version =
            try await engine.send(CreateSolutionVersionRequest(solutionArn: solution)).solutionVersionArn ?? ""
        _ = try? await engine.send(StopSolutionVersionCreationRequest(solutionVersionArn: version))
        await engine.waitForBackgroundJobs()
        let status = try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: version)).solutionVersion?
            .status
        #expect(status == "CREATE STOPPED" || status == "ACTIVE", "stopping races the (fast) training: \(status ?? "")")
        if status == "ACTIVE" {
            await #expect {
                try await engine.send(StopSolutionVersionCreationRequest(solutionVersionArn: version))
            } throws: { ($0 as? PersonalizeError)?.code == .resourceInUseException }
        }
    }
}
