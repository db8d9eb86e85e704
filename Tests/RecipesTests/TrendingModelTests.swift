import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct TrendingModelTests {
    private static let hour: Int64 = 3600

    /// 60 items hour by hour: steady skewed traffic, plus items 40–44 surging from hour 234 on.
    private static func plantedTrend(until end: Int64, seed: UInt64 = 5) -> [Event] {
        var generator = SeededGenerator(seed: seed)
        var events: [Event] = []
        for hour in 0..<end {
            for _ in 0..<30 {
                let item = Int32(generator.nextUnitFloat() * generator.nextUnitFloat() * 60)
                events.append(Event(user: 0, item: item, timestamp: hour * Self.hour + Int64(generator.next() % 3600)))
            }
            if hour >= 234 {
                for _ in 0..<Int(hour - 233) * 60 {
                    let item = Int32(40 + generator.next() % 5)
                    events.append(
                        Event(user: 1, item: item, timestamp: hour * Self.hour + Int64(generator.next() % 3600)))
                }
            }
        }
        return events
    }

    @Test(.tags(.small)) func findsTheSurgingItemsWherePopularityDoesNot() {
        let now = 236 * Self.hour + 120
        let model = TrendingModel(events: Self.plantedTrend(until: 240), itemCount: 60, frequency: Self.hour, now: now)
        #expect(model.evaluatedAt == 236 * Self.hour)
        let surging = Set<Int32>(40..<45)
        let trending = model.recommend(count: 5).map(\.index)
        let popular = TopK.select(model.popularity, k: 5).map(\.index)
        let trendingHits = trending.filter { surging.contains($0) }.count
        let popularHits = popular.filter { surging.contains($0) }.count
        #expect(trendingHits >= 4 && trendingHits > popularHits, "trending \(trending), popular \(popular)")
    }

    @Test(.tags(.small)) func countsOnlyTheLastTwoCompletePeriods() {
        let events = [
            Event(user: 0, item: 0, timestamp: 100), Event(user: 0, item: 1, timestamp: 7_000),
            Event(user: 0, item: 1, timestamp: 7_100), Event(user: 0, item: 2, timestamp: 3_700),
            Event(user: 0, item: 2, timestamp: 7_300), Event(user: 0, item: 0, timestamp: 7_201),
        ]
        // At 7,250 the last complete hour is [3,600, 7,200): the event at 7,201 and 7,300 count later.
        let model = TrendingModel(events: events, itemCount: 3, frequency: Self.hour, now: 7_250)
        #expect(model.evaluatedAt == 7_200)
        #expect(model.current == [0, 2, 1])
        #expect(model.previous == [1, 0, 0])
        #expect(model.scores() == [-1, 2, 1])
        #expect(model.recommend(count: 3).map(\.index) == [1, 2, 0])
        #expect(model.recommend(count: 3).map(\.score) == [2, 1, 0])
        #expect(model.recommend(count: 2, excluding: [1]).map(\.index) == [2, 0])
        // A 1-day period: nothing is complete before 0 + 86,400, so there is nothing to count yet.
        let daily = TrendingModel(events: events, itemCount: 3, frequency: 86_400, now: 7_250)
        #expect(daily.evaluatedAt == 0 && !daily.hasRecentInteractions)
    }

    @Test(.tags(.small)) func fallsBackToPopularItemsWithoutRecentInteractions() {
        let events = [0, 1, 1, 2, 2, 2].map { Event(user: 0, item: Int32($0), timestamp: 10) }
        let model = TrendingModel(events: events, itemCount: 4, frequency: 1800, now: 1_000_000)
        #expect(!model.hasRecentInteractions)
        #expect(model.recommend(count: 3).map(\.index) == [2, 1, 0])
        #expect(TrendingModel.frequencies["3 hours"] == 10_800)
        #expect(TrendingModel.defaultFrequency == 7200)
    }

    @Test(.tags(.small)) func isDeterministicAndRoundTrips() throws {
        let events = Self.plantedTrend(until: 50)
        let model = TrendingModel(events: events, itemCount: 60, now: 49 * Self.hour)
        let again = TrendingModel(events: events.reversed(), itemCount: 60, now: 49 * Self.hour)
        #expect(model.scores() == again.scores())
        let bytes = model.serialized()
        let decoded = try TrendingModel(serialized: bytes)
        #expect(decoded.frequency == model.frequency && decoded.evaluatedAt == model.evaluatedAt)
        #expect(decoded.current == model.current && decoded.previous == model.previous)
        #expect(decoded.popularity == model.popularity)
        SerializationExpectations.rejectsTruncations(of: bytes, TrendingModel.init(serialized:))
        var zeroFrequency = bytes
        zeroFrequency.replaceSubrange(8..<16, with: [UInt8](repeating: 0, count: 8))
        #expect(throws: RecipesError.self) { try TrendingModel(serialized: zeroFrequency) }
        #expect(throws: RecipesError.self) { try TrendingModel(serialized: PopularityModel(counts: [1]).serialized()) }
    }
}
