import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Filters through the real engine on a real SQLite file: the control plane, its limits, and
/// GetRecommendations filtering the ``FilterShop`` as the guide says (§3.7–3.10).
@Suite struct FilterTests {
    typealias Shop = FilterShop

    private func code(_ error: any Error) -> PersonalizeErrorCode? { (error as? PersonalizeError)?.code }

    // MARK: Evaluation

    @Test(.tags(.medium)) func excludesPurchasedItemsMatchingEventTypesCaseInsensitively() async throws {
        let shop = try await Shop.open()
        let filter = try await shop.filter(
            "no-purchases", #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("PURCHASE")"#)
        let purchased = Set(
            Shop.history(ofUser: 95).filter { Shop.eventType(user: 95, item: $0) == "purchase" }.map { "i\($0)" })
        #expect(!purchased.isEmpty)
        let got = try await shop.recommend("u95", filter: filter)
        #expect(got == Array(Shop.popularityOrder.filter { !purchased.contains($0) }.prefix(10)))
        #expect(try await shop.recommend("u95") == Array(Shop.popularityOrder.prefix(10)), "unfiltered: popularity")
    }

    @Test(.tags(.medium)) func eventsRecordedAMomentAgoAreExcluded() async throws {
        let shop = try await Shop.open()
        let filter = try await shop.filter(
            "no-purchases", #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")"#)
        #expect(try await shop.recommend("newcomer", filter: filter, count: 3) == ["i0", "i1", "i2"])
        let purchase = Event(eventType: "Purchase", itemId: "i1", sentAt: Date(timeIntervalSince1970: 1_700_000_000))
        _ = try await shop.harness.engine.send(
            PutEventsRequest(trackingId: shop.trackingID, userId: "newcomer", sessionId: "s", eventList: [purchase]))
        #expect(try await shop.recommend("newcomer", filter: filter, count: 3) == ["i0", "i2", "i3"])
    }

    @Test(.tags(.medium)) func includesTheGenresGivenAsAParameter() async throws {
        let shop = try await Shop.open()
        let filter = try await shop.filter("genre", "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)")
        let got = try await shop.recommend("u1", filter: filter, values: ["GENRE": #""horror", "family""#], count: 12)
        let wanted = (0..<Shop.items).filter {
            Shop.genre($0).split(separator: "|").contains { $0 == "horror" || $0 == "family" }
        }
        #expect(got == wanted.prefix(12).map { "i\($0)" })
        #expect(got.contains("i5") && got.contains("i2"), "family via the multi-value field, horror directly")
    }

    @Test(.tags(.medium)) func keepsAPriceRangeAndStillReturnsNumResults() async throws {
        let shop = try await Shop.open()
        let filter = try await shop.filter("range", "INCLUDE ItemID WHERE Items.PRICE >= $MIN AND Items.PRICE <= $MAX")
        let got = try await shop.recommend("u3", filter: filter, values: ["MIN": #""500""#, "MAX": "600"], count: 10)
        let wanted = (0..<Shop.items).filter { (500...600).contains(Shop.price($0)) }.map { "i\($0)" }
        #expect(wanted.count == 10)
        #expect(got == wanted, "the passing items sit far below the first candidates the model is asked for")
        await #expect {
            try await shop.recommend("u3", filter: filter, values: ["MIN": #""cheap""#, "MAX": "600"])
        } throws: { ($0 as? PersonalizeError)?.message.contains("'cheap' is not a number") == true }
    }

    @Test(.tags(.medium)) func anIfClauseAppliesTheExpressionOnlyToMatchingUsers() async throws {
        let shop = try await Shop.open()
        let filter = try await shop.filter(
            "no-horror-for-minors", #"EXCLUDE ItemID WHERE Items.GENRE IN ("horror") IF CurrentUser.AGE < 18"#)
        let minor = (0..<Shop.users).first { Shop.age(ofUser: $0) < 18 } ?? -1
        let adult = (0..<Shop.users).first { Shop.age(ofUser: $0) >= 18 } ?? -1
        let notHorror = Shop.popularityOrder.filter { !Shop.genre(Int($0.dropFirst()) ?? 0).contains("horror") }
        #expect(try await shop.recommend("u\(minor)", filter: filter) == Array(notHorror.prefix(10)))
        #expect(try await shop.recommend("u\(adult)", filter: filter) == Array(Shop.popularityOrder.prefix(10)))
        #expect(try await shop.recommend("stranger", filter: filter) == Array(Shop.popularityOrder.prefix(10)))
    }

    @Test(.tags(.medium)) func statementsCombineAsUnionAndDifference() async throws {
        let shop = try await Shop.open()
        // F24: genres given, minus what the user clicked or streamed.
        let f24 = try await shop.filter(
            "f24",
            #"INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")"#
        )
        let clicked = Set(Shop.history(ofUser: 90).filter { Shop.eventType(user: 90, item: $0) == "click" })
        let comedy = (0..<Shop.items).filter { Shop.genre($0).hasPrefix("comedy") && !clicked.contains($0) }
        #expect(
            try await shop.recommend("u90", filter: f24, values: ["GENRE": #""comedy""#])
                == comedy.prefix(10).map { "i\($0)" })
        // F23: union of two INCLUDEs.
        let f23 = try await shop.filter(
            "f23",
            #"INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")"#
        )
        let purchased = Set(Shop.history(ofUser: 90).filter { Shop.eventType(user: 90, item: $0) == "purchase" })
        let either = (0..<Shop.items).filter { Shop.genre($0).hasPrefix("action") || purchased.contains($0) }
        #expect(
            try await shop.recommend("u90", filter: f23, values: ["GENRE": #""action""#])
                == either.prefix(10).map { "i\($0)" })
    }

    @Test(.tags(.medium)) func onlyTheLatestInteractionsPerEventTypeCount() async throws {
        var limits = EngineHarness.smallLimits
        limits.filterInteractionsPerEventType = 2
        let shop = try await Shop.open(limits: limits)
        let filter = try await shop.filter("no-clicks", #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")"#)
        let clicks = Shop.history(ofUser: 90).filter { Shop.eventType(user: 90, item: $0) == "click" }
            .sorted { Shop.timestamp(user: 90, item: $0) > Shop.timestamp(user: 90, item: $1) }
        let latest = Set(clicks.prefix(2).map { "i\($0)" })
        #expect(clicks.count > 2)
        let got = try await shop.recommend("u90", filter: filter)
        #expect(got == Array(Shop.popularityOrder.filter { !latest.contains($0) }.prefix(10)))
    }

    @Test(.tags(.medium)) func parametersFilterValuesAndUnknownFilters() async throws {
        let shop = try await Shop.open()
        let include = try await shop.filter("include", "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)")
        await #expect {
            try await shop.recommend("u1", filter: include)
        } throws: {
            ($0 as? PersonalizeError)?.message.contains("$GENRE") == true && code($0) == .invalidInputException
        }
        let exclude = try await shop.filter("exclude", "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)")
        #expect(try await shop.recommend("u1", filter: exclude) == Array(Shop.popularityOrder.prefix(10)), "ignored")
        #expect(
            try await shop.recommend("u1", filter: exclude, values: ["GENRE": #""comedy""#]).allSatisfy {
                !Shop.genre(Int($0.dropFirst()) ?? 0).hasPrefix("comedy")
            })
        await #expect {
            try await shop.recommend("u1", filter: "arn:aws:personalize:local:000000000000:filter/nope")
        } throws: { code($0) == .resourceNotFoundException }
        let segment = try await shop.filter("segment", "EXCLUDE UserID WHERE Users.AGE < $AGE")
        await #expect { try await shop.recommend("u1", filter: segment, values: ["AGE": "3"]) } throws: {
            ($0 as? PersonalizeError)?.message.contains("UserID") == true
        }
        let related = try await shop.filter("related", "INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE")
        await #expect { try await shop.recommend("u1", filter: related) } throws: {
            ($0 as? PersonalizeError)?.message.contains("CurrentItem") == true
        }
    }
}
