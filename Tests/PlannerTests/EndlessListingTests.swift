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

    @Test func aRepeatedPageTokenIsRefusedAtOnce() async throws {
        let engine = HostileLister { _ in "same" }
        await #expect {
            _ = try await EngineCalls.all(ListDatasetGroupsRequest(), service: engine)
        } throws: { error in
            (error as? PersonalizeError)?.message
                == "ListDatasetGroups answered with the token of an earlier page: its listing never ends."
        }
        #expect(await engine.served == 2)
    }

    @Test func aListingThatNeverEndsStopsAtTheLimit() async throws {
        let engine = HostileLister { page in "token-\(page)" }
        await #expect {
            _ = try await EngineCalls.all(ListDatasetGroupsRequest(), service: engine)
        } throws: { error in
            (error as? PersonalizeError)?.message
                == "ListDatasetGroups answered more than 10000 pages; Tailor stops there."
        }
        #expect(await engine.served == EngineCalls.maximumPages)
    }

    @Test func aListingThatEndsIsReadWhole() async throws {
        let engine = HostileLister { page in page < 250 ? "token-\(page)" : nil }
        let groups = try await EngineCalls.all(ListDatasetGroupsRequest(), service: engine)
        #expect(groups.count == 250 && groups.last?.name == "g250")
    }
}
