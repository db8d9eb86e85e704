import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct HoldOutSplitTests {
    /// 200 users with 20 interactions each at shuffled times, plus 30 users with a single interaction.
    private let events: [Event] = {
        var generator = SeededGenerator(seed: 9)
        var events: [Event] = []
        for user in 0..<200 {
            for item in 0..<20 {
                let timestamp = Int64(generator.next() % 10_000)
                events.append(Event(user: Int32(user), item: Int32(item * 3 + user % 3), timestamp: timestamp))
            }
        }
        for user in 200..<230 { events.append(Event(user: Int32(user), item: 1, timestamp: 5)) }
        return events
    }()

    @Test(.tags(.small)) func holdsOutTenPercentOfEligibleUsers() {
        let split = HoldOutSplit(events: events, seed: 1)
        #expect(split.testUsers.count == 20)
        #expect(split.testUsers.allSatisfy { $0.user < 200 })
        let testSet = Set(split.testUsers.map(\.user))
        #expect(split.training.allSatisfy { !testSet.contains($0.user) })
        #expect(split.training.count == events.count - 20 * 20)
    }

    @Test(.tags(.small)) func takesTheNewestTenPercentAsTruth() {
        let split = HoldOutSplit(events: events, seed: 1)
        for testUser in split.testUsers {
            let own = events.filter { $0.user == testUser.user }
            #expect(testUser.truth.count == 2)
            #expect(testUser.input.count == 18)
            #expect(testUser.input.map(\.timestamp) == testUser.input.map(\.timestamp).sorted())
            let newestInput = testUser.input.map(\.timestamp).max() ?? .min
            let truthTimes = own.filter { testUser.truth.contains($0.item) }.map(\.timestamp)
            #expect(truthTimes.allSatisfy { $0 >= newestInput })
            #expect(Set(testUser.input.map(\.item)).isDisjoint(with: testUser.truth))
        }
    }

    @Test(.tags(.small), arguments: [(2, 1), (3, 1), (14, 1), (15, 2), (25, 3)])
    func truthSizeIsARoundedTenth(count: Int, expected: Int) {
        let events = (0..<count).map { Event(user: 0, item: Int32($0), timestamp: Int64(count - $0)) }
        let split = HoldOutSplit(events: events, testFraction: 1, seed: 4)
        #expect(split.testUsers.first?.truth.count == expected)
        // The newest events have the lowest item indices here.
        #expect(split.testUsers.first?.truth == Set((0..<expected).map { Int32($0) }))
    }

    @Test(.tags(.small)) func isDeterministicForASeed() {
        let first = HoldOutSplit(events: events, seed: 77).testUsers.map(\.user)
        let again = HoldOutSplit(events: events, seed: 77).testUsers.map(\.user)
        let other = HoldOutSplit(events: events, seed: 78).testUsers.map(\.user)
        #expect(first == again)
        #expect(first != other)
    }

    @Test(.tags(.small)) func foldsAreDisjointAndCoverEveryEligibleUser() {
        var seen: [Int32] = []
        for fold in 0..<7 {
            let split = HoldOutSplit(events: events, fold: fold, of: 7, seed: 5)
            #expect(split.testUsers.count >= 28 && split.testUsers.count <= 29)
            seen += split.testUsers.map(\.user)
        }
        #expect(seen.count == 200)
        #expect(Set(seen) == Set((0..<200).map { Int32($0) }))
    }
}
