import EngineAPI
import Foundation
import Testing

@testable import Planner

/// An engine endpoint is input too: one whose List operation never ends (a repeated page token, or a new one on
/// every page) is refused after a bounded number of pages, never read forever.
@Suite struct EndlessListingTests {
    /// Answers ListDatasetGroups with one group a page and the token `next(page)`; counts the pages it served.
    actor HostileLister: PersonalizeService {
        let next: @Sendable (Int) -> String?
        var served = 0

        init(next: @escaping @Sendable (Int) -> String?) { self.next = next }

        func send<Operation: PersonalizeOperation>(_ request: Operation) async throws -> Operation.Response {
            guard request is ListDatasetGroupsRequest else { throw PersonalizeError(.internalFailure, "unexpected") }
            served += 1
            let page = ListDatasetGroupsResponse(
                datasetGroups: [DatasetGroupSummary(name: "g\(served)", datasetGroupArn: "arn:g\(served)")],
                nextToken: next(served))
            return page as! Operation.Response
        }
    }

    /// The two ways a listing never ends, what Tailor says of each, and how many pages it reads before it stops.
    enum Endless: CaseIterable, Sendable {
        /// Every page answers the same token: refused at once, on the second page.
        case repeatedToken
        /// Every page answers a new token: stopped at the limit.
        case newTokenEveryPage

        var next: @Sendable (Int) -> String? {
            switch self {
            case .repeatedToken: { _ in "same" }
            case .newTokenEveryPage: { page in "token-\(page)" }
            }
        }

        var message: String {
            switch self {
            case .repeatedToken: "ListDatasetGroups answered with the token of an earlier page: its listing never ends."
            case .newTokenEveryPage: "ListDatasetGroups answered more than 10000 pages; Tailor stops there."
            }
        }

        var pages: Int {
            switch self {
            case .repeatedToken: 2
            case .newTokenEveryPage: EngineCalls.maximumPages
            }
        }
    }

    @Test(arguments: Endless.allCases)
    func anEndlessListingIsRefused(_ listing: Endless) async throws {
        let engine = HostileLister(next: listing.next)
        await #expect {
            _ = try await EngineCalls.all(ListDatasetGroupsRequest(), service: engine)
        } throws: { error in
            (error as? PersonalizeError)?.message == listing.message
        }
        #expect(await engine.served == listing.pages)
    }

    @Test func aListingThatEndsIsReadWhole() async throws {
        let engine = HostileLister { page in page < 250 ? "token-\(page)" : nil }
        let groups = try await EngineCalls.all(ListDatasetGroupsRequest(), service: engine)
        #expect(groups.count == 250 && groups.last?.name == "g250")
    }
}
