import EngineServer
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TailorTestSupport
import Testing

/// The control plane over AWS JSON 1.1: `POST /` with `X-Amz-Target: AmazonPersonalize.<Operation>`.
@Suite struct ControlPlaneTests {
    let harness: ServerHarness
    init() throws { harness = try ServerHarness() }

    @Test(.tags(.small)) func datasetGroupsAreCreatedDescribedListedAndDeletedOverTheWire() async throws {
        try await harness.test { client in
            let created = try await client.control("CreateDatasetGroup", #"{"name": "movies"}"#)
            #expect(created.status == .ok)
            #expect(created.headers[.contentType] == "application/x-amz-json-1.1")
            let arn = try #require(created.json["datasetGroupArn"] as? String)
            #expect(arn == "arn:aws:personalize:local:000000000000:dataset-group/movies")

            let described = try await client.control("DescribeDatasetGroup", json(["datasetGroupArn": arn]))
            let group = try #require(described.json["datasetGroup"] as? [String: Any])
            #expect(group["name"] as? String == "movies")
            #expect(group["status"] as? String == "ACTIVE")
            #expect(group["creationDateTime"] is Double, "timestamps go out as epoch seconds")

            let listed = try await client.control("ListDatasetGroups", "{}")
            let names = (listed.json["datasetGroups"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == ["movies"])

            let deleted = try await client.control("DeleteDatasetGroup", json(["datasetGroupArn": arn]))
            #expect(deleted.status == .ok)
            #expect(deleted.text == "{}")
            let gone = try await client.control("DescribeDatasetGroup", json(["datasetGroupArn": arn]))
            #expect(gone.status == .badRequest)
            #expect(gone.errorType == "ResourceNotFoundException")
            #expect(gone.json["message"] as? String == "Could not find dataset group with ARN \(arn).")
        }
    }

    @Test(.tags(.small)) func anEmptyBodyIsAnEmptyRequest() async throws {
        try await harness.test { client in
            let response = try await client.execute(
                uri: "/", method: .post,
                headers: [.amzTarget: "AmazonPersonalize.ListRecipes", .contentType: "application/x-amz-json-1.1"])
            #expect(response.status == .ok)
            let names = (response.json["recipes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names.contains("aws-user-personalization"))
        }
    }

    @Test(.tags(.small)) func serviceErrorsAre400WithTheExceptionNameAsType() async throws {
        try await harness.test { client in
            _ = try await client.control("CreateDatasetGroup", #"{"name": "movies"}"#)
            let duplicate = try await client.control("CreateDatasetGroup", #"{"name": "movies"}"#)
            #expect(duplicate.status == .badRequest)
            #expect(duplicate.errorType == "ResourceAlreadyExistsException")
            #expect(duplicate.headers[.amznErrorType] == nil, "JSON 1.1 errors name themselves in the body only")

            let invalid = try await client.control(
                "CreateDatasetGroup", json(["name": String(repeating: "a", count: 64)]))
            #expect(invalid.errorType == "InvalidInputException")
            #expect((invalid.json["message"] as? String)?.contains("length less than or equal to 63") == true)

            let badToken = try await client.control("ListDatasetGroups", #"{"nextToken": "garbage"}"#)
            #expect(badToken.errorType == "InvalidNextTokenException")
        }
    }

    @Test(.tags(.small)) func unknownTargetsAreUnknownOperationException() async throws {
        try await harness.test { client in
            for target in ["AmazonPersonalize.Frobnicate", "AWSOtherService.ListRecipes", "ListRecipes"] {
                let response = try await client.execute(
                    uri: "/", method: .post, headers: [.amzTarget: target, .contentType: "application/x-amz-json-1.1"],
                    body: .init(string: "{}"))
                #expect(response.status == .badRequest)
                #expect(response.errorType == "UnknownOperationException")
                #expect((response.json["message"] as? String)?.contains(target) == true)
            }
            let missing = try await client.execute(
                uri: "/", method: .post, headers: [.contentType: "application/x-amz-json-1.1"],
                body: .init(string: "{}"))
            #expect(missing.errorType == "UnknownOperationException")
            // A runtime operation is not a control-plane target.
            let runtime = try await client.control("GetRecommendations", "{}")
            #expect(runtime.errorType == "UnknownOperationException")
        }
    }

    @Test(.tags(.small)) func everyOperationIsRoutedGenericallyToTheEngine() async throws {
        try await harness.test { client in
            // No per-operation code in the server: it decodes the request, and the engine answers.
            let response = try await client.control(
                "DescribeMetricAttribution",
                #"{"metricAttributionArn": "arn:aws:personalize:local:000000000000:metric-attribution/x"}"#)
            #expect(response.status == .badRequest)
            #expect(response.errorType == "ResourceNotFoundException")
            let metrics = try await client.control(
                "ListMetricAttributionMetrics",
                #"{"metricAttributionArn": "arn:aws:personalize:local:000000000000:metric-attribution/x"}"#)
            #expect(metrics.errorType == "ResourceNotFoundException")
        }
    }

    /// A control-plane request the server refuses with 400: its operation and body, and the message of the error
    /// (nil where the test does not check it).
    struct RefusedRequest: Sendable, CustomTestStringConvertible {
        let operation: String
        let body: String
        let message: String?

        var testDescription: String { "\(operation) \(body)" }
    }

    /// Calls `request` and expects a 400 of `errorType` with the request's message.
    private func expectRefused(_ request: RefusedRequest, as errorType: String) async throws {
        try await harness.test { client in
            let response = try await client.control(request.operation, request.body)
            #expect(response.status == .badRequest)
            #expect(response.errorType == errorType)
            if let message = request.message {
                #expect(response.json["message"] as? String == message)
            }
        }
    }

    @Test(
        .tags(.small),
        arguments: [
            RefusedRequest(
                operation: "CreateDatasetGroup", body: "{name: movies",
                message: "Cannot read CreateDatasetGroup request: the body is not valid JSON."),
            RefusedRequest(operation: "CreateDatasetGroup", body: "[1, 2]", message: nil),
            RefusedRequest(
                operation: "ListDatasetGroups", body: #"{"maxResults": "ten"}"#,
                message: "Cannot read ListDatasetGroups request: expected an integer at 'maxResults'."),
        ])
    func malformedBodiesAreSerializationExceptions(_ request: RefusedRequest) async throws {
        try await expectRefused(request, as: "SerializationException")
    }

    @Test(
        .tags(.small),
        arguments: [
            RefusedRequest(
                operation: "CreateDatasetGroup", body: "{}",
                message:
                    "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
            ),
            RefusedRequest(operation: "CreateDatasetGroup", body: #"{"name": null}"#, message: nil),
        ])
    func missingRequiredMembersAreInvalidInput(_ request: RefusedRequest) async throws {
        try await expectRefused(request, as: "InvalidInputException")
    }

    @Test(.tags(.small)) func everyResponseCarriesItsOwnRequestID() async throws {
        try await harness.test { client in
            let ok = try await client.control("ListRecipes", "{}")
            let failed = try await client.control("Frobnicate", "{}")
            let health = try await client.execute(uri: "/health", method: .get)
            let ids = [ok, failed, health].compactMap { $0.headers[.amznRequestID] }
            #expect(ids.count == 3)
            #expect(Set(ids).count == 3)
            #expect(ids.allSatisfy { $0.count == 36 })
        }
    }
}
