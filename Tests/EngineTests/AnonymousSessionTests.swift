import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// The guide (part 3 §1.5): events recorded with only a session ID are not used in training until an event with
/// both the session ID and a user ID links them to the user.
@Suite struct AnonymousSessionTests {
    @Test func sessionOnlyEventsTrainOnceLinkedToAUser() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let csv = SyntheticData(users: 20, items: 30).interactionsCSV(perUser: 10)
        let (group, _, status) = try await harness.importInteractions(csv)
        #expect(status == "ACTIVE")
        let engine = harness.engine
        let tracker =
            try await engine.send(CreateEventTrackerRequest(name: "t", datasetGroupArn: group)).trackingId ?? ""
        func events(user: String?, session: String, items: [String]) async throws {
            _ = try await engine.send(
                PutEventsRequest(
                    trackingId: tracker, userId: user, sessionId: session,
                    eventList: items.map { Event(eventType: "click", itemId: $0, sentAt: Date()) }))
        }
        try await events(user: nil, session: "anon-1", items: ["i1", "i2", "i3"])
        try await events(user: nil, session: "anon-2", items: ["i4", "i5"])
        try await events(user: "u3", session: "anon-2", items: ["i6"])  // anon-2 signs in as u3
        let bulk = csv.split(separator: "\n").count - 1

        let data = try await engine.core.trainingJobs.trainingData(
            datasetGroupArn: group, eventType: nil, config: SolutionConfig())
        #expect(!data.userIDs.contains("anon-1"), "a session never linked to a user is left out")
        #expect(!data.userIDs.contains("anon-2"), "its events became u3's")
        #expect(data.events.count == bulk + 3, "u3's two linked events and the signing-in one")
        // Linked later, the first session's events train too.
        try await events(user: "u4", session: "anon-1", items: ["i7"])
        let linked = try await engine.core.trainingJobs.trainingData(
            datasetGroupArn: group, eventType: nil, config: SolutionConfig())
        #expect(linked.events.count == bulk + 3 + 4)
        #expect(!linked.userIDs.contains("anon-1"))
    }
}
