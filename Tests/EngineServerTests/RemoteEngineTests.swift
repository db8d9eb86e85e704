import EngineAPI
import EngineClient
import EngineServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TailorTestSupport
import Testing

/// `RemoteEngine` against the server on a loopback port, both real.
@Suite struct RemoteEngineTests {
    static func remote(
        port: Int?, credentials: (String, String)? = nil, retry: RetryPolicy = RetryPolicy()
    ) throws -> RemoteEngine {
        var environment = ["AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials", "AWS_REGION": "local"]
        if let (id, secret) = credentials {
            environment["AWS_ACCESS_KEY_ID"] = id
            environment["AWS_SECRET_ACCESS_KEY"] = secret
        }
        var logger = Logger(label: "tailor.client.test")
        logger.logLevel = .critical
        return try RemoteEngine(
            endpoint: URL(string: "http://127.0.0.1:\(try #require(port))"), environment: environment, retry: retry,
            logger: logger)
    }

    @Test(.tags(.medium)) func theRemoteEngineDrivesTheServedEngine() async throws {
        let harness = try ServerHarness()
        try await harness.test(.live) { client in
            let remote = try Self.remote(port: client.port)
            let arn = try await remote.send(CreateDatasetGroupRequest(name: "movies")).datasetGroupArn
            #expect(arn == "arn:aws:personalize:local:000000000000:dataset-group/movies")
            let group = try await remote.send(DescribeDatasetGroupRequest(datasetGroupArn: arn ?? "")).datasetGroup
            #expect(group?.status == "ACTIVE")
            #expect(group?.creationDateTime != nil)
            _ = try await remote.send(DeleteDatasetGroupRequest(datasetGroupArn: arn ?? ""))
            #expect(
                try await EngineHarness.waitUntilGone {
                    _ = try await remote.send(DescribeDatasetGroupRequest(datasetGroupArn: arn ?? ""))
                })
            await #expect(throws: PersonalizeError.notFound("Could not find dataset group with ARN \(arn ?? "").")) {
                try await remote.send(DescribeDatasetGroupRequest(datasetGroupArn: arn ?? ""))
            }
            await #expect(throws: PersonalizeError.self) {
                try await remote.send(GetRecommendationsRequest(campaignArn: "arn:aws:personalize:local:0:campaign/x"))
            }
        }
    }

    @Test(.tags(.medium)) func eventsAndTagsGoThroughTheRemoteEngine() async throws {
        let harness = try ServerHarness()
        try await harness.test(.live) { client in
            let remote = try Self.remote(port: client.port)
            let group =
                try await remote.send(
                    CreateDatasetGroupRequest(name: "shop", tags: [Tag(tagKey: "team", tagValue: "recs")])
                ).datasetGroupArn ?? ""
            let tags = try await remote.send(ListTagsForResourceRequest(resourceArn: group)).tags
            #expect(tags == [Tag(tagKey: "team", tagValue: "recs")])
            let schema =
                try await remote.send(CreateSchemaRequest(name: "events", schema: SyntheticData.interactionsSchema))
                .schemaArn ?? ""
            _ = try await remote.send(
                CreateDatasetRequest(
                    name: "events", schemaArn: schema, datasetGroupArn: group, datasetType: "Interactions"))
            let tracking =
                try await remote.send(CreateEventTrackerRequest(name: "tracker", datasetGroupArn: group)).trackingId
                ?? ""
            let sentAt = Date(timeIntervalSince1970: 1_700_000_000)
            _ = try await remote.send(
                PutEventsRequest(
                    trackingId: tracking, userId: "u1", sessionId: "s1",
                    eventList: [Event(eventType: "click", itemId: "i1", sentAt: sentAt)]))
            await #expect {
                try await remote.send(
                    PutEventsRequest(
                        trackingId: "nope", sessionId: "s1",
                        eventList: [Event(eventType: "click", itemId: "i1", sentAt: sentAt)]))
            } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }
        }
    }

    @Test(.tags(.medium)) func signedRequestsPassAndForgedOrUnsignedOnesAreRefused() async throws {
        // The clients below sign for AWS_REGION "local": the server is told that region.
        let harness = try ServerHarness(
            configuration: ServerConfiguration(authKeys: AuthKeys(["AKIDTAILOR": "tailor-secret"]), region: "local"))
        try await harness.test(.live) { client in
            let signed = try Self.remote(port: client.port, credentials: ("AKIDTAILOR", "tailor-secret"))
            let recipes = try await signed.send(ListRecipesRequest()).recipes ?? []
            #expect(recipes.contains { $0.name == "aws-user-personalization" })
            await #expect {
                try await signed.send(
                    GetRecommendationsRequest(
                        campaignArn: "arn:aws:personalize:local:000000000000:campaign/x", userId: "u"))
            } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }

            let forged = try Self.remote(port: client.port, credentials: ("AKIDTAILOR", "guessed"))
            await #expect {
                try await forged.send(ListRecipesRequest())
            } throws: { ($0 as? PersonalizeError)?.code.rawValue == "InvalidSignatureException" }
            let unsigned = try Self.remote(port: client.port)
            await #expect {
                try await unsigned.send(ListRecipesRequest())
            } throws: { ($0 as? PersonalizeError)?.code.rawValue == "MissingAuthenticationTokenException" }
        }
    }

    @Test(.tags(.medium)) func theDefaultRegionsOfClientAndServerAgree() async throws {
        let harness = try ServerHarness(
            configuration: ServerConfiguration(authKeys: AuthKeys(["AKIDTAILOR": "tailor-secret"])))
        try await harness.test(.live) { client in
            var logger = Logger(label: "tailor.client.test")
            logger.logLevel = .critical
            func remote(_ environment: [String: String]) throws -> RemoteEngine {
                try RemoteEngine(
                    endpoint: URL(string: "http://127.0.0.1:\(try #require(client.port))"),
                    environment: environment.merging(
                        [
                            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
                            "AWS_ACCESS_KEY_ID": "AKIDTAILOR",
                            "AWS_SECRET_ACCESS_KEY": "tailor-secret",
                        ], uniquingKeysWith: { $1 }), logger: logger)
            }
            let recipes = try await remote([:]).send(ListRecipesRequest()).recipes
            #expect(recipes?.isEmpty == false)
            await #expect {
                try await remote(["AWS_REGION": "eu-west-1"]).send(ListRecipesRequest())
            } throws: { error in
                let error = error as? PersonalizeError
                return error?.code.rawValue == "InvalidSignatureException"
                    && error?.message.hasPrefix("Credential should be scoped to a valid region, not 'eu-west-1'.")
                        == true
            }
        }
    }

    @Test(.tags(.medium)) func throttlingAndServerErrorsAreRetriedThenGivenUp() async throws {
        // A real HTTP endpoint that fails a set number of times: LocalEngine never throttles.
        let failures = FailureBudget(["ThrottlingException": 400, "ServiceUnavailable": 503])
        let router = Router()
        router.post("/") { _, _ -> Response in
            guard let (code, status) = await failures.next() else {
                return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"recipes": []}"#)))
            }
            return Response(
                status: HTTPResponse.Status(code: status),
                headers: [.contentType: "application/x-amz-json-1.1"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"__type": "\#(code)", "message": "slow down"}"#)))
        }
        var logger = Logger(label: "tailor.flaky")
        logger.logLevel = .critical
        try await Application(router: router, logger: logger).test(.live) { client in
            let fast = RetryPolicy(maximumAttempts: 3, base: .milliseconds(1), cap: .milliseconds(4))
            let remote = try Self.remote(port: client.port, retry: fast)
            let recipes = try await remote.send(ListRecipesRequest()).recipes
            #expect(recipes == [])
            #expect(await failures.calls == 3)

            await failures.reset(["ThrottlingException": 400, "InternalFailure": 500, "ServiceUnavailable": 503])
            await #expect(throws: PersonalizeError(PersonalizeErrorCode(rawValue: "ServiceUnavailable"), "slow down")) {
                try await remote.send(ListRecipesRequest())
            }
            #expect(await failures.calls == 3, "at most maximumAttempts tries")
        }
    }

    @Test(.tags(.small)) func backoffIsJitteredExponentialAndCapped() {
        let policy = RetryPolicy(maximumAttempts: 10, base: .milliseconds(100), cap: .seconds(1))
        var generator = SplitMixGenerator(SplitMix(seed: 1))
        for attempt in 1...8 {
            let ceiling = min(Duration.seconds(1), .milliseconds(100) * (1 << (attempt - 1)))
            let delays = (0..<50).map { _ in policy.delay(afterAttempt: attempt, using: &generator) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= ceiling })
            #expect(Set(delays).count > 40, "jittered")
        }
    }
}

/// Answers with the listed errors, in order, then succeeds.
private actor FailureBudget {
    private var pending: [(String, Int)] = []
    private(set) var calls = 0

    init(_ failures: KeyValuePairs<String, Int>) { pending = failures.map { ($0.key, $0.value) } }

    func reset(_ failures: KeyValuePairs<String, Int>) {
        pending = failures.map { ($0.key, $0.value) }
        calls = 0
    }

    func next() -> (String, Int)? {
        calls += 1
        return pending.isEmpty ? nil : pending.removeFirst()
    }
}

/// `SplitMix` as a `RandomNumberGenerator`.
private struct SplitMixGenerator: RandomNumberGenerator {
    var base: SplitMix
    init(_ base: SplitMix) { self.base = base }
    mutating func next() -> UInt64 { base.next() }
}
