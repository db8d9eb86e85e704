import Engine
import EngineAPI
import EngineClient
import EngineServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import TailorTestSupport
import Testing

/// PutActionInteractions and GetActionRecommendations over the wire: REST-JSON as botocore sends them, and
/// through `RemoteEngine`.
@Suite struct ActionRuntimeTests {
    let world = SyntheticActions()

    /// A served engine with the synthetic action data and a deployed next-best-action campaign.
    private func deployed() async throws -> (ServerHarness, ActionDatasets, String) {
        let harness = try ServerHarness()
        let datasets = try await harness.engineHarness.importActionData(world)
        let (version, status) = try await harness.engineHarness.train(
            group: datasets.group, name: "nba", recipe: "aws-next-best-action")
        try #require(status == "ACTIVE")
        let campaign =
            try await harness.engine.send(CreateCampaignRequest(name: "nba", solutionVersionArn: version)).campaignArn
            ?? ""
        await harness.engine.waitForBackgroundJobs()
        return (harness, datasets, campaign)
    }

    @Test(.tags(.medium)) func actionRoutesSpeakTheServicesRESTJSON() async throws {
        let (harness, datasets, campaign) = try await deployed()
        try await harness.test { client in
            let recommended = try await client.rest(
                "/action-recommendations", json(["campaignArn": campaign, "userId": "u1", "numResults": 3]))
            #expect(recommended.status == .ok)
            let list = recommended.json["actionList"] as? [[String: Any]] ?? []
            #expect(list.count == 3)
            #expect(list.allSatisfy { $0["actionId"] is String && $0["score"] is Double })
            #expect((recommended.json["recommendationId"] as? String)?.hasPrefix("RID-") == true)

            let put = try await client.rest(
                "/action-interactions",
                json([
                    "trackingId": datasets.trackingID,
                    "actionInteractions": [
                        [
                            "actionId": "a3", "userId": "u1", "sessionId": "s1", "timestamp": 1_800_000_000,
                            "eventType": "Taken", "impression": ["a3", "a4"], "properties": #"{}"#,
                        ]
                    ],
                ]))
            #expect(put.status == .ok, "\(put.text)")

            let tooMany = try await client.rest(
                "/action-recommendations", json(["campaignArn": campaign, "userId": "u1", "numResults": 101]))
            #expect(tooMany.status == .badRequest)
            #expect(tooMany.errorType == "InvalidInputException")
            let badType = try await client.rest(
                "/action-interactions",
                json([
                    "trackingId": datasets.trackingID,
                    "actionInteractions": [
                        ["actionId": "a3", "sessionId": "s1", "timestamp": 1_800_000_000, "eventType": "Clicked"]
                    ],
                ]))
            #expect(badType.status == .badRequest)
            #expect(badType.errorType == "InvalidInputException")
            let missing = try await client.rest(
                "/action-interactions",
                json(["trackingId": "nope", "actionInteractions": [["actionId": "a3", "sessionId": "s1"]]]))
            #expect(missing.errorType == "InvalidInputException", "timestamp and eventType are required")
        }
    }

    @Test(.tags(.medium)) func theRemoteEngineRecordsActionInteractionsAndGetsActions() async throws {
        let (harness, datasets, campaign) = try await deployed()
        try await harness.test(.live) { client in
            let remote = try RemoteEngineTests.remote(port: client.port)
            let before =
                try await remote.send(
                    GetActionRecommendationsRequest(campaignArn: campaign, userId: "walk-in", numResults: 12)
                ).actionList ?? []
            #expect(before.count == 12)
            let takes = ["a2", "a6"].map { action in
                ActionInteraction(
                    actionId: action, userId: "walk-in", sessionId: "s", timestamp: Date(), eventType: "Taken")
            }
            _ = try await remote.send(
                PutActionInteractionsRequest(trackingId: datasets.trackingID, actionInteractions: takes))
            let after =
                try await remote.send(
                    GetActionRecommendationsRequest(campaignArn: campaign, userId: "walk-in", numResults: 12)
                ).actionList ?? []
            let score = { (list: [PredictedAction], id: String) in list.first { $0.actionId == id }?.score ?? 0 }
            let all =
                try await harness.engine.send(
                    GetActionRecommendationsRequest(campaignArn: campaign, userId: "walk-in", numResults: 12)
                ).actionList ?? []
            #expect(after == all, "the remote engine answers what the engine answers")
            #expect(
                score(after, "a10") > score(before, "a10") + 0.05,
                "a10 is of the cluster of the actions just taken: \(before) → \(after)")
            await #expect {
                try await remote.send(GetActionRecommendationsRequest(campaignArn: campaign + "-nope", userId: "u1"))
            } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }
        }
    }
}
