import EngineAPI
import EngineClient
import Foundation
import Logging
import TailorTestSupport
import Testing

/// `RemoteEngine` against the built `tailor serve` on a free loopback port, running the real engine.
@Suite struct RemoteEngineTests {
    static func remote(_ server: ServeProcess, environment: [String: String] = [:]) throws -> RemoteEngine {
        var logger = Logger(label: "tailor.client.test")
        logger.logLevel = .critical
        let base = ["AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials", "AWS_REGION": "local"]
        return try RemoteEngine(
            endpoint: server.url, environment: base.merging(environment) { $1 },
            retry: RetryPolicy(maximumAttempts: 2, base: .milliseconds(10)), logger: logger)
    }

    @Test(.tags(.large)) func createDescribeListAndDeleteThroughTailorServe() async throws {
        let server = try ServeProcess()
        let remote = try Self.remote(server)
        let group = try await remote.send(CreateDatasetGroupRequest(name: "shop")).datasetGroupArn ?? ""
        #expect(group == "arn:aws:personalize:local:000000000000:dataset-group/shop")
        let schema =
            try await remote.send(
                CreateSchemaRequest(name: "shop-interactions", schema: SyntheticData.interactionsSchema)
            )
            .schemaArn ?? ""
        let dataset =
            try await remote.send(
                CreateDatasetRequest(
                    name: "shop-interactions", schemaArn: schema, datasetGroupArn: group, datasetType: "Interactions")
            ).datasetArn ?? ""
        let described = try await remote.send(DescribeDatasetRequest(datasetArn: dataset)).dataset
        #expect(described?.schemaArn == schema)
        #expect(described?.datasetGroupArn == group)
        #expect(described?.creationDateTime != nil)

        for index in 0..<4 { _ = try await remote.send(CreateDatasetGroupRequest(name: "g\(index)")) }
        var names: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await remote.send(ListDatasetGroupsRequest(nextToken: token, maxResults: 2))
            names += (page.datasetGroups ?? []).compactMap(\.name)
            token = page.nextToken
            pages += 1
        } while token != nil
        #expect(names.sorted() == ["g0", "g1", "g2", "g3", "shop"])
        #expect(pages == 3)

        _ = try await remote.send(DeleteDatasetRequest(datasetArn: dataset))
        #expect(
            try await EngineHarness.waitUntilGone {
                _ = try await remote.send(DescribeDatasetRequest(datasetArn: dataset))
            })
        _ = try await remote.send(DeleteSchemaRequest(schemaArn: schema))
        _ = try await remote.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        #expect(
            try await EngineHarness.waitUntilGone {
                _ = try await remote.send(DescribeDatasetGroupRequest(datasetGroupArn: group))
            })
        let left = try await remote.send(ListDatasetGroupsRequest()).datasetGroups?.compactMap(\.name) ?? []
        #expect(left.sorted() == ["g0", "g1", "g2", "g3"])
        #expect(server.stop() == 0)
    }

    @Test(.tags(.large)) func errorsComeBackAsTheServicesExceptions() async throws {
        let server = try ServeProcess()
        let remote = try Self.remote(server)
        let schema = "arn:aws:personalize:local:000000000000:schema/nope"
        await #expect(throws: PersonalizeError.notFound("Could not find schema with ARN \(schema).")) {
            try await remote.send(DescribeSchemaRequest(schemaArn: schema))
        }
        let group = try await remote.send(CreateDatasetGroupRequest(name: "shop")).datasetGroupArn ?? ""
        await #expect {
            try await remote.send(CreateDatasetGroupRequest(name: "shop"))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceAlreadyExistsException }
        await #expect {
            try await remote.send(CreateDatasetGroupRequest(name: "no spaces allowed"))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidInputException }
        await #expect {
            try await remote.send(ListDatasetGroupsRequest(nextToken: "garbage"))
        } throws: { ($0 as? PersonalizeError)?.code == .invalidNextTokenException }
        // REST-JSON: the name comes from x-amzn-ErrorType with a 404.
        let campaign = "arn:aws:personalize:local:000000000000:campaign/nope"
        await #expect(throws: PersonalizeError.notFound("Could not find campaign with ARN \(campaign).")) {
            try await remote.send(GetRecommendationsRequest(campaignArn: campaign, userId: "u1"))
        }
        // AWS JSON 1.1 errors of other operations decode the same way.
        await #expect {
            try await remote.send(
                DescribeMetricAttributionRequest(
                    metricAttributionArn: "arn:aws:personalize:local:000000000000:metric-attribution/x"))
        } throws: { ($0 as? PersonalizeError)?.code == .resourceNotFoundException }
        _ = try await remote.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        #expect(server.stop() == 0)
    }

    @Test(.tags(.large)) func signedRequestsAreVerifiedByTheServer() async throws {
        let keys = try TemporaryDirectory("tailor-keys")
        defer { keys.remove() }
        let keysFile = try keys.write("keys", "# access key, secret\nAKIDTAILOR tailor-secret\n")
        let credentials = try keys.write(
            "credentials",
            "[default]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = x\n\n"
                + "[tailor]\naws_access_key_id = AKIDTAILOR\naws_secret_access_key = tailor-secret\n")
        let server = try ServeProcess(arguments: ["--auth-keys", keysFile.path, "--region", "local"])

        let fromEnvironment = try Self.remote(
            server, environment: ["AWS_ACCESS_KEY_ID": "AKIDTAILOR", "AWS_SECRET_ACCESS_KEY": "tailor-secret"])
        let recipes = try await fromEnvironment.send(ListRecipesRequest()).recipes ?? []
        #expect(recipes.contains { $0.name == "aws-popularity-count" })

        let fromProfile = try Self.remote(
            server, environment: ["AWS_SHARED_CREDENTIALS_FILE": credentials.path, "AWS_PROFILE": "tailor"])
        _ = try await fromProfile.send(CreateDatasetGroupRequest(name: "signed"))

        let wrongSecret = try Self.remote(
            server, environment: ["AWS_ACCESS_KEY_ID": "AKIDTAILOR", "AWS_SECRET_ACCESS_KEY": "guessed"])
        await #expect {
            try await wrongSecret.send(ListRecipesRequest())
        } throws: { ($0 as? PersonalizeError)?.code.rawValue == "InvalidSignatureException" }
        let defaultProfile = try Self.remote(server, environment: ["AWS_SHARED_CREDENTIALS_FILE": credentials.path])
        await #expect {
            try await defaultProfile.send(ListRecipesRequest())
        } throws: { ($0 as? PersonalizeError)?.code.rawValue == "UnrecognizedClientException" }
        let unsigned = try Self.remote(server)
        await #expect {
            try await unsigned.send(ListRecipesRequest())
        } throws: { ($0 as? PersonalizeError)?.code.rawValue == "MissingAuthenticationTokenException" }
        #expect(!server.log.contains("No auth keys configured"))
        #expect(server.stop() == 0)
    }

    @Test(.tags(.large)) func authKeysFromTheEnvironmentAndAWarningWithout() async throws {
        let open = try ServeProcess()
        #expect(open.log.contains("No auth keys configured"))
        open.stop()
        let guarded = try ServeProcess(
            arguments: ["--region", "local"],
            environment: [
                "TAILOR_AUTH_ACCESS_KEY_ID": "AKIDENV", "TAILOR_AUTH_SECRET_ACCESS_KEY": "env-secret",
            ])
        await #expect {
            try await Self.remote(guarded).send(ListRecipesRequest())
        } throws: { ($0 as? PersonalizeError)?.code.rawValue == "MissingAuthenticationTokenException" }
        let signed = try Self.remote(
            guarded, environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"])
        _ = try await signed.send(ListRecipesRequest())
        #expect(guarded.stop() == 0)
        #expect(guarded.log.contains("waiting for running imports and training"))
    }
}
