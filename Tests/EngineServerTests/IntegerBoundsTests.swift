import EngineAPI
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TailorTestSupport
import Testing

@testable import EngineServer

/// No number in a request can make the server trap: integers beyond 64 bits are `SerializationException`,
/// whichever reader reads them, and those within are left to the engine's range checks.
@Suite struct IntegerBoundsTests {
    static let beyondInt = [
        "12345678901234567890", "-9223372036854775809", "9223372036854775808", "18446744073709551616",
        String(repeating: "9", count: 400), "-" + String(repeating: "1", count: 40),
    ]

    @Test(.tags(.small)) func theFastReaderHandsLongIntegersOverWithoutOverflowing() throws {
        for number in Self.beyondInt + ["1234567890123456789", "-9223372036854775808", "9223372036854775807"] {
            let body = #"{"campaignArn": "c", "numResults": \#(number)}"#
            #expect(RecommendationsRequestJSON.decode(ByteBuffer(string: body)) == nil, "\(number)")
            switch RequestPathTests.decodedBothWays(body) {
            case (.success(let expected), .success(let actual)):
                #expect(actual == expected, "\(number)")
            case (.failure, .failure(let error)):
                let error = try #require(error as? PersonalizeHTTPError, "\(number)")
                #expect(error.code == "SerializationException", "\(number)")
                #expect(error.message.contains("does not fit"), "\(error.message)")
            default:
                Issue.record("JSONDecoder and the wire decoder disagree on \(number)")
            }
        }
        let eighteen = #"{"numResults": -999999999999999999}"#
        #expect(RecommendationsRequestJSON.decode(ByteBuffer(string: eighteen))?.numResults == -999_999_999_999_999_999)
    }

    @Test(.tags(.small)) func outOfRangeNumbersAreRefusedAndTheServerLives() async throws {
        let harness = try ServerHarness()
        try await harness.test { client in
            for number in Self.beyondInt + ["1e400", "1.5"] {
                let recommendations = try await client.rest(
                    "/recommendations",
                    #"{"campaignArn": "arn:aws:personalize:local:0:campaign/x", "numResults": \#(number)}"#)
                #expect(recommendations.status == .badRequest, "\(number)")
                #expect(recommendations.headers[.amznErrorType] == "SerializationException", "\(number)")
                let list = try await client.control("ListDatasetGroups", #"{"maxResults": \#(number)}"#)
                #expect(list.errorType == "SerializationException", "\(number)")
            }
            for number in ["-9223372036854775808", "9223372036854775807", "0", "501"] {
                let recommendations = try await client.rest(
                    "/recommendations",
                    #"{"campaignArn": "arn:aws:personalize:local:0:campaign/x", "numResults": \#(number)}"#)
                #expect(recommendations.headers[.amznErrorType] == "InvalidInputException", "\(number)")
                let list = try await client.control("ListDatasetGroups", #"{"maxResults": \#(number)}"#)
                #expect(list.errorType == "InvalidInputException", "\(number)")
            }
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }
}
