import EngineAPI
import Foundation
import SigV4
import TailorTestSupport
import Testing

@testable import EngineClient

/// Credentials, region and endpoints resolved as the AWS SDKs do; error answers read as botocore does.
@Suite struct AWSEnvironmentTests {
    @Test(.tags(.small)) func regionComesFromTheEnvironmentElseUSEast1() {
        #expect(AWSEnvironment.region(["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2"]) == "eu-west-1")
        #expect(AWSEnvironment.region(["AWS_DEFAULT_REGION": "us-west-2"]) == "us-west-2")
        #expect(AWSEnvironment.region([:]) == "us-east-1")
    }

    @Test(.tags(.small)) func environmentCredentialsWinOverTheSharedFile() throws {
        let folder = try TemporaryDirectory("tailor-aws")
        defer { folder.remove() }
        let file = try folder.write(
            "credentials",
            """
            # comment
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = default-secret

            [profile ci]
            aws_access_key_id=AKIDCI
            aws_secret_access_key=ci-secret
            aws_session_token=ci-token
            [broken]
            aws_access_key_id = AKIDBROKEN
            """)
        let base = ["AWS_SHARED_CREDENTIALS_FILE": file.path]
        let fromEnvironment = try AWSEnvironment.credentials(
            base.merging(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"]) {
                $1
            })
        #expect(fromEnvironment == SigV4Credentials(accessKeyID: "AKIDENV", secretAccessKey: "s", sessionToken: "t"))
        #expect(try AWSEnvironment.credentials(base)?.accessKeyID == "AKIDDEFAULT")
        let ci = try AWSEnvironment.credentials(base.merging(["AWS_PROFILE": "ci"]) { $1 })
        #expect(ci == SigV4Credentials(accessKeyID: "AKIDCI", secretAccessKey: "ci-secret", sessionToken: "ci-token"))
        #expect(throws: CredentialsError.missingProfile(path: file.path, profile: "nope")) {
            try AWSEnvironment.credentials(base.merging(["AWS_PROFILE": "nope"]) { $1 })
        }
        #expect(throws: CredentialsError.incompleteProfile(path: file.path, profile: "broken")) {
            try AWSEnvironment.credentials(base.merging(["AWS_PROFILE": "broken"]) { $1 })
        }
        #expect(try AWSEnvironment.credentials(["AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"]) == nil)
    }

    @Test(.tags(.small)) func endpointsAreOneURLOrTheServicesHosts() {
        let aws = Endpoints.aws(region: "eu-west-1")
        #expect(aws.url(for: .controlPlane).absoluteString == "https://personalize.eu-west-1.amazonaws.com")
        #expect(aws.url(for: .runtime).absoluteString == "https://personalize-runtime.eu-west-1.amazonaws.com")
        #expect(aws.url(for: .events).absoluteString == "https://personalize-events.eu-west-1.amazonaws.com")
        let tailor = Endpoints.single(URL(string: "http://127.0.0.1:8080/prefix/")!)
        let control = WireRequest(info: ListRecipesRequest.operation, endpoint: tailor.controlPlane)
        #expect(control.url == "http://127.0.0.1:8080/prefix/")
        #expect(control.headers.contains { $0 == ("X-Amz-Target", "AmazonPersonalize.ListRecipes") })
        #expect(control.headers.contains { $0 == ("Host", "127.0.0.1:8080") })
        let runtime = WireRequest(info: GetRecommendationsRequest.operation, endpoint: tailor.runtime)
        #expect(runtime.url == "http://127.0.0.1:8080/prefix/recommendations")
        #expect(runtime.headers.contains { $0 == ("Content-Type", "application/json") })
        #expect(!runtime.headers.contains { $0.name == "X-Amz-Target" })
        let ipv6 = WireRequest(info: ListRecipesRequest.operation, endpoint: URL(string: "http://[::1]:8080")!)
        #expect(ipv6.url == "http://[::1]:8080/")
        #expect(ipv6.headers.contains { $0 == ("Host", "[::1]:8080") }, "an IPv6 Host keeps its brackets")
    }

    @Test(.tags(.small)) func errorAnswersAreReadAsBotocoreReadsThem() {
        let rest = ErrorDecoding.error(
            status: 404,
            headers: ["x-amzn-errortype": "ResourceNotFoundException:http://internal.amazon.com/coral/"],
            body: Data(#"{"message": "gone"}"#.utf8))
        #expect(rest == PersonalizeError.notFound("gone"))
        let json = ErrorDecoding.error(
            status: 400, headers: [:],
            body: Data(#"{"__type": "com.amazon.coral#InvalidInputException", "Message": "bad"}"#.utf8))
        #expect(json == PersonalizeError.invalidInput("bad"))
        let bare = ErrorDecoding.error(status: 503, headers: [:], body: Data())
        #expect(bare == PersonalizeError(PersonalizeErrorCode(rawValue: "ServiceUnavailable"), "HTTP 503"))
    }
}
