import EngineServer
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TailorTestSupport
import Testing

/// Health, Prometheus metrics and the body size limit.
@Suite struct OperationalTests {
    @Test(.tags(.small)) func healthAnswersOK() async throws {
        let harness = try ServerHarness()
        try await harness.test { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(response.json["status"] as? String == "ok")
        }
    }

    @Test(.tags(.small)) func metricsCountAndTimeRequestsPerOperation() async throws {
        let harness = try ServerHarness()
        try await harness.test { client in
            _ = try await client.control("CreateDatasetGroup", #"{"name": "a"}"#)
            _ = try await client.control("CreateDatasetGroup", #"{"name": "a"}"#)
            _ = try await client.control("ListDatasetGroups", "{}")
            _ = try await client.rest("/recommendations", #"{"campaignArn": "arn:aws:personalize:local:0:campaign/x"}"#)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            #expect(text.contains(#"tailor_requests_total{operation="CreateDatasetGroup",status="200"} 1"#))
            #expect(text.contains(#"tailor_requests_total{operation="CreateDatasetGroup",status="400"} 1"#))
            #expect(text.contains(#"tailor_requests_total{operation="ListDatasetGroups",status="200"} 1"#))
            #expect(text.contains(#"tailor_requests_total{operation="GetRecommendations",status="404"} 1"#))
            #expect(text.contains(#"tailor_request_duration_seconds_count{operation="CreateDatasetGroup"} 2"#))
            #expect(
                text.contains(#"tailor_request_duration_seconds_bucket{operation="ListDatasetGroups",le="+Inf"} 1"#))
            #expect(!text.contains(#"operation="Health""#))
        }
    }

    @Test(.tags(.small)) func bodiesOverTheLimitAreRefusedWith413() async throws {
        let harness = try ServerHarness(configuration: ServerConfiguration(maximumBodySize: 1024))
        try await harness.test { client in
            let large = json(["name": "movies", "padding": String(repeating: "x", count: 2048)])
            let control = try await client.control("CreateDatasetGroup", large)
            #expect(control.status == .contentTooLarge)
            #expect(control.errorType == "RequestEntityTooLargeException")
            let runtime = try await client.rest("/recommendations", large)
            #expect(runtime.status == .contentTooLarge)
            #expect(runtime.headers[.amznErrorType] == "RequestEntityTooLargeException")
            let small = try await client.control("CreateDatasetGroup", #"{"name": "movies"}"#)
            #expect(small.status == .ok)
        }
    }

    @Test(.tags(.medium)) func theLiveServerAnswersOnALoopbackPort() async throws {
        let harness = try ServerHarness()
        try await harness.test(.live) { client in
            #expect(client.port != nil)
            let response = try await client.control("ListRecipes", "{}")
            #expect(response.status == .ok)
            #expect(response.headers[.amznRequestID] != nil)
        }
    }
}
