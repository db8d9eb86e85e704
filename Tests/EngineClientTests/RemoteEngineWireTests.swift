import EngineAPI
import EngineClient
import Foundation
import Logging
import TailorTestSupport
import Testing

/// The requests `RemoteEngine` sends to Amazon Personalize, against botocore's own for the same inputs: boto3
/// 1.43.11 clients for eu-west-1 with the credentials below and the clock at 2026-12-07T12:00:00Z, their requests
/// captured at the `before-send` event (nothing left the machine). Same URL (host per service, path), same
/// content type and target, same scope (region, signing name `personalize`), same signed headers and signature
/// over botocore's body; and our body is the same JSON document as botocore's (botocore puts spaces after `:` and
/// `,`, which changes the bytes and so the signature, not the meaning).
@Suite(.tags(.small))
struct RemoteEngineWireTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let operation: OperationInfo
        let ours: Data
        let botocoreBody: String
        let url: String
        let headers: [String: String]
        let signedHeaders: String
        let signature: String

        var testDescription: String { operation.name }
    }

    static let dataset = "arn:aws:personalize:eu-west-1:123456789012:dataset/shop/INTERACTIONS"
    static let role = "arn:aws:iam::123456789012:role/PersonalizeS3"
    static let campaign = "arn:aws:personalize:eu-west-1:123456789012:campaign/top"

    static func encoded(_ request: some Encodable) -> Data {
        (try? PersonalizeJSON.encoder().encode(request)) ?? Data()
    }

    static let vectors = [
        Vector(
            operation: CreateDatasetImportJobRequest.operation,
            ours: encoded(
                CreateDatasetImportJobRequest(
                    jobName: "ratings-1", datasetArn: dataset,
                    dataSource: DataSource(dataLocation: "s3://shop-data/tailor/0123456789abcdef/ratings.csv"),
                    roleArn: role, importMode: .full)),
            botocoreBody: #"{"jobName": "ratings-1", "datasetArn": "\#(dataset)", "dataSource": {"dataLocation": "#
                + #""s3://shop-data/tailor/0123456789abcdef/ratings.csv"}, "roleArn": "\#(role)", "#
                + #""importMode": "FULL"}"#,
            url: "https://personalize.eu-west-1.amazonaws.com/",
            headers: [
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "AmazonPersonalize.CreateDatasetImportJob",
            ],
            signedHeaders: "content-type;host;x-amz-date;x-amz-target",
            signature: "be33a3d47f7c6c89ebbda933596f5ae6ef199afc4febe320610355aeaf7040c4"),
        Vector(
            operation: GetRecommendationsRequest.operation,
            ours: encoded(GetRecommendationsRequest(campaignArn: campaign, userId: "u1", numResults: 5)),
            botocoreBody: #"{"campaignArn": "\#(campaign)", "userId": "u1", "numResults": 5}"#,
            url: "https://personalize-runtime.eu-west-1.amazonaws.com/recommendations",
            headers: ["Content-Type": "application/json"], signedHeaders: "content-type;host;x-amz-date",
            signature: "8cd5e5f9de4bbf37b24ab523685805004c7b8270f8cb153d4ab675b00565c59f"),
        Vector(
            operation: PutEventsRequest.operation,
            ours: encoded(
                PutEventsRequest(
                    trackingId: "tid", userId: "u1", sessionId: "s1",
                    eventList: [
                        Event(eventType: "click", itemId: "i1", sentAt: Date(timeIntervalSince1970: 1_700_000_000))
                    ])),
            botocoreBody: #"{"trackingId": "tid", "sessionId": "s1", "userId": "u1", "eventList": [{"eventType": "#
                + #""click", "itemId": "i1", "sentAt": 1700000000}]}"#,
            url: "https://personalize-events.eu-west-1.amazonaws.com/events",
            headers: ["Content-Type": "application/json"], signedHeaders: "content-type;host;x-amz-date",
            signature: "e4d89830d84c10a098ca575438edb07457242c83067c7bac11d0542a8c515677"),
    ]

    static let engine: RemoteEngine? = try? RemoteEngine(
        endpoint: nil,
        environment: [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "AWS_REGION": "eu-west-1", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
        ],
        logger: Logger(label: "tailor.wire.test"))

    @Test(arguments: vectors) func sendsWhatBotocoreSends(_ vector: Vector) throws {
        let engine = try #require(Self.engine)
        let clock = Date(timeIntervalSince1970: 1_796_644_800)  // 2026-12-07T12:00:00Z
        let (url, headers) = engine.prepared(vector.operation, body: Data(vector.botocoreBody.utf8), at: clock)
        #expect(url == vector.url)
        let byName = Dictionary(headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { $1 })
        #expect(byName["host"] == URL(string: vector.url)?.host)
        #expect(byName["x-amz-date"] == "20261207T120000Z")
        for (name, value) in vector.headers { #expect(byName[name.lowercased()] == value, "\(name)") }
        #expect(
            byName["authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/eu-west-1/personalize/aws4_request, "
                + "SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)")

        // Our own body is the same JSON document.
        let ours = try JSONSerialization.jsonObject(with: vector.ours) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: Data(vector.botocoreBody.utf8)) as? NSDictionary
        #expect(ours != nil && ours == theirs, "\(String(decoding: vector.ours, as: UTF8.self))")
    }
}
