import Engine
import EngineAPI
import EngineServer
import HTTPTypes
import HummingbirdTesting
import TailorTestSupport
import Testing

/// The runtime and events over REST-JSON: one path per operation, statuses from the service models.
@Suite struct RuntimeTests {
    let harness: ServerHarness
    init() throws { harness = try ServerHarness() }

    @Test(.tags(.small)) func restErrorsCarryTheModelsStatusAndErrorTypeHeader() async throws {
        try await harness.test { client in
            let campaign = "arn:aws:personalize:local:000000000000:campaign/nope"
            let notFound = try await client.rest("/recommendations", json(["campaignArn": campaign, "userId": "u1"]))
            #expect(notFound.status == .notFound)
            #expect(notFound.headers[.amznErrorType] == "ResourceNotFoundException")
            #expect(notFound.headers[.contentType] == "application/json")
            #expect(notFound.errorType == "ResourceNotFoundException")
            #expect(notFound.json["message"] as? String == "Could not find campaign with ARN \(campaign).")

            let invalid = try await client.rest("/recommendations", json(["campaignArn": campaign, "numResults": -1]))
            #expect(invalid.status == .badRequest)
            #expect(invalid.headers[.amznErrorType] == "InvalidInputException")

            let malformed = try await client.rest("/recommendations", "{")
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.amznErrorType] == "SerializationException")
        }
    }

    @Test(.tags(.small)) func everyRuntimeAndEventsPathIsRouted() async throws {
        try await harness.test { client in
            for path in [
                "/recommendations", "/personalize-ranking", "/action-recommendations", "/events", "/users", "/items",
                "/actions", "/action-interactions",
            ] {
                // An empty object misses required members of most, and the engine implements few of
                // them yet; either way the route exists and answers in the REST-JSON error shape.
                let response = try await client.rest(path, "{}")
                #expect(response.status == .badRequest, "\(path)")
                #expect(response.errorType != nil, "\(path)")
                #expect(response.headers[.amznErrorType] == response.errorType, "\(path)")
            }
            let unknown = try await client.rest("/no-such-operation", "{}")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.amznErrorType] == "UnknownOperationException")
            let wrongMethod = try await client.execute(uri: "/recommendations", method: .get)
            #expect(wrongMethod.headers[.amznErrorType] == "UnknownOperationException")
        }
    }

    @Test(.tags(.small)) func eventsAreRecordedOverRESTJSON() async throws {
        let engine = harness.engine
        let group = try await engine.send(CreateDatasetGroupRequest(name: "shop")).datasetGroupArn ?? ""
        let schema =
            try await engine.send(CreateSchemaRequest(name: "events", schema: SyntheticData.interactionsSchema))
            .schemaArn ?? ""
        _ = try await engine.send(
            CreateDatasetRequest(name: "events", schemaArn: schema, datasetGroupArn: group, datasetType: "Interactions")
        )
        let tracking =
            try await engine.send(CreateEventTrackerRequest(name: "tracker", datasetGroupArn: group)).trackingId ?? ""
        try await harness.test { client in
            let event: [String: Any] = ["eventType": "click", "itemId": "i1", "sentAt": 1_700_000_000.5]
            let recorded = try await client.rest(
                "/events", json(["trackingId": tracking, "userId": "u1", "sessionId": "s1", "eventList": [event]]))
            #expect(recorded.status == .ok)
            #expect(recorded.text == "{}")

            let unknown = try await client.rest(
                "/events", json(["trackingId": "nope", "sessionId": "s1", "eventList": [event]]))
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.amznErrorType] == "ResourceNotFoundException")

            let badDate = try await client.rest(
                "/events",
                json([
                    "trackingId": tracking, "sessionId": "s1",
                    "eventList": [["eventType": "click", "sentAt": "today"]],
                ]))
            #expect(badDate.headers[.amznErrorType] == "SerializationException")
            #expect(
                badDate.json["message"] as? String
                    == "Cannot read PutEvents request: expected a number at 'eventList.1.sentAt'.")
        }
    }

    @Test(.tags(.medium)) func recommendationsFromATrainedCampaign() async throws {
        let engineHarness = harness.engineHarness
        let (group, _, imported) = try await engineHarness.importInteractions(SyntheticData().interactionsCSV())
        #expect(imported == "ACTIVE")
        let (version, trained) = try await engineHarness.train(
            group: group, name: "picks", recipe: "aws-user-personalization")
        #expect(trained == "ACTIVE")
        try await harness.test { client in
            let created = try await client.control(
                "CreateCampaign", json(["name": "picks", "solutionVersionArn": version, "minProvisionedTPS": 1]))
            let campaign = try #require(created.json["campaignArn"] as? String)
            let status = try await EngineHarness.settle {
                let described = try await client.control("DescribeCampaign", json(["campaignArn": campaign]))
                return (described.json["campaign"] as? [String: Any])?["status"] as? String
            }
            #expect(status == "ACTIVE")

            let response = try await client.rest(
                "/recommendations", json(["campaignArn": campaign, "userId": "u3", "numResults": 5]))
            #expect(response.status == .ok)
            let items = try #require(response.json["itemList"] as? [[String: Any]])
            #expect(items.count == 5)
            #expect(items.allSatisfy { ($0["itemId"] as? String)?.hasPrefix("i") == true && $0["score"] is Double })
            #expect(response.json["recommendationId"] is String)
        }
    }
}
