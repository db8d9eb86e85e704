import Engine
import EngineAPI
import Foundation
import Logging
import NIOCore
import Synchronization
import TailorTestSupport
import Testing

@testable import EngineServer

/// The pieces of the GetRecommendations request path written by hand for speed, each against what it replaces.
@Suite struct RequestPathTests {
    /// Bodies of the common shape: the direct reader gives what JSONDecoder gives.
    static let commonBodies = [
        "",
        "{}",
        #"{"campaignArn": "arn:aws:personalize:local:000000000000:campaign/c", "userId": "u1", "numResults": 25}"#,
        #" { "userId" : "u-2" ,"numResults":0,"campaignArn":"c" } "#,
        "{\n\t\"recommenderArn\": \"r\",\r\n \"itemId\": \"i/9\", \"numResults\": -3}",
        #"{"campaignArn": "c", "userId": "u", "filterArn": "f", "filterValues": {"GENRE": "\"comedy\""}}"#,
        #"{"campaignArn": "c", "userId": "u", "context": {"DEVICE": "phone", "TIME": "night"}, "numResults": 100}"#,
        #"{"campaignArn": "c", "userId": null, "filterArn": null, "context": null, "numResults": null}"#,
        #"{"campaignArn": "c", "context": {}, "filterValues": {}}"#,
        #"{"numResults": 123456789012345678}"#,
        #"{"campaignArn": "c", "userId": "café-ü", "filterValues": {"T": "\"a\\b\/c\"\t\n\r\b\f"}}"#,
    ]

    /// Bodies outside it: the reader hands them over, and JSONDecoder answers (or fails) as it always did.
    static let handedOver = [
        #"{"campaignArn": "c", "userId": "caf\u00e9"}"#,  // a \u escape
        #"{"campaignArn": "c", "userId": "\x"}"#,  // an invalid escape
        "{\"campaignArn\": \"c\", \"userId\": \"tab\there\"}",  // a control character
        #"{"campaignArn": "c", "numResults": 2.5e1}"#,  // not a plain integer
        #"{"campaignArn": "c", "numResults": 025}"#,  // a leading zero: not JSON
        #"{"campaignArn": "c", "numResults": 1234567890123456789}"#,  // 19 digits
        #"{"campaignArn": "c", "promotions": [{"name": "p", "percentPromotedItems": 10, "filterArn": "f"}]}"#,
        #"{"campaignArn": "c", "metadataColumns": {"ITEMS": ["GENRE"]}}"#,
        #"{"campaignArn": "c", "somethingElse": 1}"#,  // a member the shape does not have
        #"{"campaignArn": "a", "campaignArn": "b"}"#,  // a member twice
        #"{"campaignArn": "c", "context": {"A": "1", "A": "2"}}"#,  // a context name twice
        #"{"campaignArn": "c", "context": {"A": 1}}"#,  // a context value not a string
        #"{"campaignArn": 7}"#,  // a type mismatch
        #"{"campaignArn": "c",}"#,  // a trailing comma
        #"{"campaignArn": "c"} x"#,  // trailing content
        #"{"campaignArn": "c""#,  // cut short
        #"["c"]"#,
        "nul",
        #"{"userId": nullx}"#,
    ]

    @Test(.tags(.small)) func readsTheCommonShapeAsJSONDecoderDoes() throws {
        for body in Self.commonBodies {
            let direct = try #require(
                RecommendationsRequestJSON.decode(ByteBuffer(string: body)), "not read directly: \(body)")
            let reference = try PersonalizeJSON.decoder().decode(
                GetRecommendationsRequest.self, from: Data((body.isEmpty ? "{}" : body).utf8))
            #expect(direct == reference, "\(body)")
        }
    }

    /// `body` read by JSONDecoder (the reference) and by the server's wire decoder.
    static func decodedBothWays(
        _ body: String
    ) -> (reference: Result<GetRecommendationsRequest, any Error>, wire: Result<GetRecommendationsRequest, any Error>) {
        let reference = Result {
            try PersonalizeJSON.decoder().decode(GetRecommendationsRequest.self, from: Data(body.utf8))
        }
        let wire = Result {
            try WireCoding.decode(GetRecommendationsRequest.self, from: ByteBuffer(string: body), wire: .restJSON)
        }
        return (reference, wire)
    }

    @Test(.tags(.small)) func handsEverythingElseToJSONDecoder() throws {
        for body in Self.handedOver {
            #expect(RecommendationsRequestJSON.decode(ByteBuffer(string: body)) == nil, "read directly: \(body)")
            switch Self.decodedBothWays(body) {
            case (.success(let expected), .success(let actual)):
                #expect(actual == expected, "\(body)")
            case (.failure, .failure(let error)):
                #expect(error is PersonalizeHTTPError, "\(body)")
            default:
                Issue.record("JSONDecoder and the wire decoder disagree on \(body)")
            }
        }
    }

    @Test(.tags(.small)) func invalidUTF8IsHandedOver() {
        var body = ByteBuffer(string: #"{"campaignArn": "c", "userId": "caf"#)
        body.writeBytes([0xC3, 0x28])  // a lead byte without its continuation
        body.writeString(#""}"#)
        #expect(RecommendationsRequestJSON.decode(body) == nil)
        #expect(throws: PersonalizeHTTPError.self) {
            try WireCoding.decode(GetRecommendationsRequest.self, from: body, wire: .restJSON)
        }
    }

    @Test(.tags(.small)) func requestAndRecommendationIDsAreUniqueAndWellFormed() {
        let count = 20_000
        let requestIDs = (0..<count).map { _ in UniqueIDs.uuidString() }
        #expect(Set(requestIDs).count == count)
        for id in requestIDs.prefix(100) {
            let shape = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/
            #expect(id.wholeMatch(of: shape) != nil, "\(id)")
            #expect(UUID(uuidString: id) != nil)
        }
        let arn = "arn:aws:personalize:local:000000000000:campaign/c"
        let recommendationIDs = (0..<count).map { _ in RecommendationID.make(source: arn) }
        #expect(Set(recommendationIDs).count == count)
        for id in recommendationIDs.prefix(100) {
            #expect(id.count == 37 && id.count <= 40)
            #expect(RecommendationID.sourceKey(inID: id) == RecommendationID.sourceKey(of: arn), "\(id)")
        }
    }

    @Test(.tags(.small)) func logLinesCarryTheLoggersMetadataAsStreamLogHandlerWritesIt() {
        let written = Lines()
        let fast = Logger(label: "t") { ServerLogHandler(label: $0, stream: written) }
        let reference = Logger(label: "t") { StreamLogHandler(label: $0, stream: written) }
        for var logger in [fast, reference] {
            logger[metadataKey: "hb.request.id"] = "r1"
            logger[metadataKey: "zone"] = "a"
            logger.info("plain")
            logger.info("explicit", metadata: ["zone": "b", "extra": "1"])
        }
        let lines = written.lines.withLock { $0 }.map { $0.drop(while: { $0 != " " }) }  // without the timestamp
        #expect(lines.count == 4)
        #expect(lines[0] == " info t: hb.request.id=r1 zone=a [EngineServerTests] plain\n")
        #expect(lines[1] == " info t: extra=1 hb.request.id=r1 zone=b [EngineServerTests] explicit\n")
        #expect(Array(lines[0..<2]) == Array(lines[2..<4]))
    }
}

/// A stream that keeps what is written to it.
private final class Lines: TextOutputStream, Sendable {
    let lines = Mutex<[String]>([])

    func write(_ string: String) {
        lines.withLock { $0.append(string) }
    }
}

/// Lengths are counted in characters, though most checks settle on the UTF-8 byte count.
@Suite struct LengthValidationTests {
    @Test(.tags(.small)) func lengthsCountCharactersNotBytes() {
        func problems(_ value: String, min: Int?, max: Int?) -> Int {
            var problems: [String] = []
            Validate.length(value, min: min, max: max, at: "v", into: &problems)
            return problems.count
        }
        #expect(problems(String(repeating: "é", count: 256), min: 1, max: 256) == 0)  // 512 bytes
        #expect(problems(String(repeating: "é", count: 257), min: 1, max: 256) == 1)
        #expect(problems(String(repeating: "a", count: 257), min: 1, max: 256) == 1)
        #expect(problems("", min: 1, max: 256) == 1)
        #expect(problems("", min: 0, max: 256) == 0)
        #expect(problems("é", min: 2, max: nil) == 1)  // 2 bytes, 1 character
        #expect(problems("éé", min: 2, max: nil) == 0)
        #expect(problems("🇫🇷🇫🇷", min: 3, max: 2) == 1)  // 16 bytes, 2 characters: too short only
    }
}
