import EngineAPI
import Foundation
import NIOCore
import TailorTestSupport
import Testing

@testable import EngineServer

/// The hand-written JSON of GetRecommendations responses is byte for byte what `JSONEncoder` writes, and hands
/// over to it whenever a value would need escaping.
@Suite struct RecommendationsJSONTests {
    static let responses: [GetRecommendationsResponse] = [
        GetRecommendationsResponse(),
        GetRecommendationsResponse(itemList: [], recommendationId: "RID-0a1b2c3d-00000000ffffffff12345678"),
        GetRecommendationsResponse(
            itemList: [
                PredictedItem(itemId: "i11", score: Double(Float(9.23784973565489e-05))),
                PredictedItem(itemId: "i/2", score: 0.012_345_678_9, reason: ["Exploration"]),
                PredictedItem(itemId: "é-ü", score: 1e-30, promotionName: "summer_sale"),
                PredictedItem(itemId: "plain"),
                PredictedItem(
                    itemId: "with-metadata", score: Double(Float(0.25)), metadata: ["GENRE": "g3", "A": "Ünïcode/ok"]),
            ], recommendationId: "RID-x"),
    ]

    /// Responses the fast writer leaves to JSONEncoder: escapes, whole-number and non-finite scores.
    static let handedOver: [GetRecommendationsResponse] = [
        GetRecommendationsResponse(itemList: [PredictedItem(itemId: #"quote""#, score: 0.5)]),
        GetRecommendationsResponse(itemList: [PredictedItem(itemId: "back\\slash")]),
        GetRecommendationsResponse(itemList: [PredictedItem(itemId: "tab\there")]),
        GetRecommendationsResponse(itemList: [PredictedItem(itemId: "one", score: 1)]),
        GetRecommendationsResponse(itemList: [PredictedItem(itemId: "m", metadata: ["K": "line\nbreak"])]),
    ]

    @Test(.tags(.small)) func writesWhatJSONEncoderWrites() throws {
        for response in Self.responses {
            let fast = try #require(RecommendationsJSON.encode(response))
            let reference = try PersonalizeJSON.encoder().encode(response)
            #expect(String(buffer: fast) == String(decoding: reference, as: UTF8.self))
        }
    }

    @Test(.tags(.small)) func handsOverWhatNeedsEscaping() throws {
        for response in Self.handedOver {
            #expect(RecommendationsJSON.encode(response) == nil)
            #expect(try WireCoding.encode(response) == ByteBuffer(bytes: PersonalizeJSON.encoder().encode(response)))
        }
    }
}
