import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// What `PutEvents` accepts and records (part 3 §1.3).
@Suite struct ConformanceEventTests {
    static let schema = avroSchema(
        "Interactions",
        interactionFields + [
            ("EVENT_VALUE", #"["null", "float"]"#, nil),
            ("IMPRESSION", #"["null", "string"]"#, nil), ("RECOMMENDATION_ID", #"["null", "string"]"#, nil),
            ("DEVICE_TYPE", #"["null", "string"]"#, #""categorical": true"#),
        ])

    /// A dataset group with the Interactions dataset of ``schema`` and its event tracker.
    private func tracked() async throws -> (shop: ConformanceShop, dataset: String, trackingID: String) {
        let shop = try await ConformanceShop.open()
        let dataset = try await shop.dataset("Interactions", Self.schema)
        let tracker = try await shop.engine.send(CreateEventTrackerRequest(name: "web", datasetGroupArn: shop.group))
        return (shop, dataset, tracker.trackingId ?? "")
    }

    private static let sent = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func propertiesUseTheCamelCaseNamesOfCustomFields() async throws {
        let (shop, dataset, trackingID) = try await tracked()
        let event = Event(eventType: "click", itemId: "i1", properties: #"{"deviceType": "phone"}"#, sentAt: Self.sent)
        _ = try await shop.engine.send(
            PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [event]))
        #expect(try await shop.rows(dataset) == ["u1,i1,1700000000,click,,,,phone"])
    }

    @Test func propertiesCannotHoldTheEventsOwnFields() async throws {
        let (shop, dataset, trackingID) = try await tracked()
        let reserved = [
            #"{"userId": "u2"}"#, #"{"sessionId": "s2"}"#, #"{"eventType": "buy"}"#, #"{"timestamp": 1700000001}"#,
            #"{"recommendationId": "RID-1"}"#, #"{"impression": "i1|i2"}"#,
        ]
        for properties in reserved {
            let event = Event(eventType: "click", itemId: "i1", properties: properties, sentAt: Self.sent)
            let error = await ConformanceShop.error {
                _ = try await shop.engine.send(
                    PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [event]))
            }
            #expect(error?.code == .invalidInputException, "\(properties)")
        }
        #expect(try await shop.rows(dataset).isEmpty)
    }

    @Test func everyEventNeedsAnEventTypeAndEveryCallASessionID() async throws {
        let (shop, dataset, trackingID) = try await tracked()
        let noType = Event(eventType: "", itemId: "i1", sentAt: Self.sent)
        let error = await ConformanceShop.error {
            _ = try await shop.engine.send(
                PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [noType]))
        }
        #expect(error?.code == .invalidInputException)
        let event = Event(eventType: "click", itemId: "i1", sentAt: Self.sent)
        let noSession = await ConformanceShop.error {
            _ = try await shop.engine.send(
                PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "", eventList: [event]))
        }
        #expect(noSession?.code == .invalidInputException)
        #expect(try await shop.rows(dataset).isEmpty)
    }

    @Test func anEmptyEventListIsRefused() async throws {
        let (shop, _, trackingID) = try await tracked()
        let error = await ConformanceShop.error {
            _ = try await shop.engine.send(
                PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: []))
        }
        #expect(error?.code == .invalidInputException)
    }

    @Test func identicalEventsAreKeptOnce() async throws {
        let (shop, dataset, trackingID) = try await tracked()
        let event = Event(eventType: "click", itemId: "i1", properties: #"{"deviceType": "phone"}"#, sentAt: Self.sent)
        for _ in 0..<2 {
            _ = try await shop.engine.send(
                PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [event, event]))
        }
        let later = Event(eventType: "click", itemId: "i1", sentAt: Self.sent.addingTimeInterval(1))
        _ = try await shop.engine.send(
            PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [later]))
        #expect(try await shop.rows(dataset) == ["u1,i1,1700000000,click,,,,phone", "u1,i1,1700000001,click,,,,"])
    }

    @Test func eventsThatDifferOnlyInTheirPropertiesAreBothKept() async throws {
        let (shop, dataset, trackingID) = try await tracked()
        let phone = Event(eventType: "click", itemId: "i1", properties: #"{"deviceType": "phone"}"#, sentAt: Self.sent)
        let tablet = Event(
            eventType: "click", itemId: "i1", properties: #"{"deviceType": "tablet"}"#, sentAt: Self.sent)
        let valued = Event(eventType: "click", eventValue: 0.5, itemId: "i1", sentAt: Self.sent)
        _ = try await shop.engine.send(
            PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [phone, tablet, valued]))
        #expect(
            try await shop.rows(dataset).sorted()
                == [
                    "u1,i1,1700000000,click,,,,phone", "u1,i1,1700000000,click,,,,tablet",
                    "u1,i1,1700000000,click,0.5,,,",
                ])
    }

    @Test func itemIdAndEventValueMayBeGivenInsideProperties() async throws {
        // The guide's Python example: properties = {"itemId": ..., "eventValue": ...}.
        let (shop, dataset, trackingID) = try await tracked()
        let event = Event(
            eventType: "watch", properties: #"{"itemId": "i7", "eventValue": 0.25, "deviceType": "tv"}"#,
            sentAt: Self.sent)
        _ = try await shop.engine.send(
            PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [event]))
        #expect(try await shop.rows(dataset) == ["u1,i7,1700000000,watch,0.25,,,tv"])
        // Given both at the top level and inside properties, the property is refused as one of the event's fields.
        let twice = Event(eventType: "watch", itemId: "i8", properties: #"{"itemId": "i9"}"#, sentAt: Self.sent)
        let error = await ConformanceShop.error {
            _ = try await shop.engine.send(
                PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [twice]))
        }
        #expect(error?.code == .invalidInputException)
    }

    @Test func anEventRepeatingAnEventIdIsNotRecordedAgain() async throws {
        let (shop, dataset, trackingID) = try await tracked()
        let first = Event(eventId: "e-1", eventType: "click", itemId: "i1", sentAt: Self.sent)
        let repeated = Event(eventId: "e-1", eventType: "click", itemId: "i2", sentAt: Self.sent.addingTimeInterval(5))
        let other = Event(eventId: "e-2", eventType: "click", itemId: "i3", sentAt: Self.sent)
        _ = try await shop.engine.send(
            PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [first]))
        _ = try await shop.engine.send(
            PutEventsRequest(trackingId: trackingID, userId: "u1", sessionId: "s1", eventList: [repeated, other]))
        #expect(try await shop.rows(dataset) == ["u1,i1,1700000000,click,,,,", "u1,i3,1700000000,click,,,,"])
    }
}
