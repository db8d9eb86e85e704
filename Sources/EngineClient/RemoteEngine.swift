package import AsyncHTTPClient
package import EngineAPI
package import Foundation
package import Logging
import NIOCore
import NIOHTTP1
package import SigV4

/// A ``PersonalizeService`` over HTTP: a `tailor serve` endpoint or Amazon Personalize itself.
///
/// Control-plane operations go out as AWS JSON 1.1, runtime and events operations as REST-JSON, at the
/// paths of the service models; requests are signed with AWS Signature V4 when credentials are known;
/// throttling, 5xx answers and failed connections are retried with jittered exponential backoff; and
/// error answers come back as ``PersonalizeError`` with the service's exception name.
package struct RemoteEngine: PersonalizeService {
    package let endpoints: Endpoints
    package let signer: SigV4Signer?
    package let retry: RetryPolicy
    package let httpClient: HTTPClient
    package let logger: Logger
    /// The largest response body read, in bytes.
    package var maximumResponseSize = 64 << 20

    /// - Parameters:
    ///   - endpoints: Where each of the three services is.
    ///   - region: The signing region.
    ///   - credentials: The credentials to sign with; `nil` sends unsigned requests (a `tailor serve`
    ///     without auth keys).
    ///   - retry: How often and how long to retry.
    ///   - httpClient: The HTTP client (``sharedHTTPClient`` by default, which needs no shutdown).
    ///   - logger: Where retries are logged.
    package init(
        endpoints: Endpoints, region: String, credentials: SigV4Credentials?, retry: RetryPolicy = RetryPolicy(),
        httpClient: HTTPClient = RemoteEngine.sharedHTTPClient, logger: Logger
    ) {
        self.endpoints = endpoints
        self.signer = credentials.map {
            SigV4Signer(credentials: $0, region: region, service: Self.signingName)
        }
        self.retry = retry
        self.httpClient = httpClient
        self.logger = logger
    }

    /// An engine configured as the AWS SDKs are: credentials from `AWS_ACCESS_KEY_ID` /
    /// `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` or the shared credentials file's profile
    /// (`AWS_PROFILE`, else `default`), the region from `AWS_REGION` / `AWS_DEFAULT_REGION` (else
    /// `us-east-1`), and `endpoint` for all three services, or Amazon Personalize's hosts when `nil`.
    ///
    /// - Throws: ``CredentialsError`` when the shared credentials file is unreadable.
    package init(
        endpoint: URL?, environment: [String: String] = ProcessInfo.processInfo.environment,
        retry: RetryPolicy = RetryPolicy(), httpClient: HTTPClient = RemoteEngine.sharedHTTPClient, logger: Logger
    ) throws {
        let region = AWSEnvironment.region(environment)
        let endpoints = endpoint.map(Endpoints.single) ?? Endpoints.aws(region: region)
        self.init(
            endpoints: endpoints, region: region, credentials: try AWSEnvironment.credentials(environment),
            retry: retry, httpClient: httpClient, logger: logger)
    }

    /// The HTTP client remote engines share by default, for the life of the process. A failed connection
    /// comes back at once for ``RetryPolicy`` to retry (AsyncHTTPClient's shared client would keep trying
    /// to connect until the request's deadline: a minute per attempt against a server that is down).
    package static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The signing name of all three Personalize services.
    package static let signingName = "personalize"

    package func send<Operation: PersonalizeOperation>(_ request: Operation) async throws -> Operation.Response {
        let info = Operation.operation
        let body: Data
        do {
            body = try PersonalizeJSON.encoder().encode(request)
        } catch {
            throw PersonalizeError.invalidInput("Cannot encode the \(info.name) request: \(error)")
        }
        let answer = try await execute(info, body: body)
        let data = answer.body.isEmpty ? Data("{}".utf8) : answer.body
        do {
            return try PersonalizeJSON.decoder().decode(Operation.Response.self, from: data)
        } catch {
            throw PersonalizeError(
                .internalFailure,
                "The endpoint's \(info.name) response cannot be read (request \(answer.requestID ?? "-")): \(error)")
        }
    }

    /// Sends one operation, retrying as ``retry`` allows; returns the successful answer or throws the
    /// endpoint's error.
    private func execute(_ info: OperationInfo, body: Data) async throws -> Answer {
        var attempt = 0
        while true {
            attempt += 1
            let outcome: Result<Answer, any Error>
            do {
                outcome = .success(try await attemptOnce(info, body: body))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let answer) where answer.isSuccess:
                return answer
            case .success(let answer):
                let error = ErrorDecoding.error(status: answer.status, headers: answer.headers, body: answer.body)
                guard retry.shouldRetry(status: answer.status, code: error.code.rawValue, attempt: attempt) else {
                    throw error
                }
                try await backOff(info, attempt: attempt, reason: error.description)
            case .failure(let error):
                guard retry.shouldRetryTransportError(attempt: attempt) else {
                    throw PersonalizeError(
                        PersonalizeErrorCode(rawValue: "ServiceUnavailable"),
                        "Cannot reach \(endpoints.url(for: info.service)) for \(info.name): \(error)")
                }
                try await backOff(info, attempt: attempt, reason: "\(error)")
            }
        }
    }

    private func backOff(_ info: OperationInfo, attempt: Int, reason: String) async throws {
        let delay = retry.delay(afterAttempt: attempt)
        logger.debug(
            "retrying",
            metadata: [
                "operation": .string(info.name), "attempt": .stringConvertible(attempt), "reason": .string(reason),
                "delay": .stringConvertible(delay),
            ])
        try await Task.sleep(for: delay)
    }

    /// The URL and headers of the request for `info` with `body`, signed at `date` when credentials are known: what
    /// goes on the wire (checked against botocore's requests for the same inputs).
    package func prepared(_ info: OperationInfo, body: Data, at date: Date) -> (
        url: String, headers: [(String, String)]
    ) {
        let wire = WireRequest(info: info, endpoint: endpoints.url(for: info.service))
        var headers = wire.headers
        if let signer {
            let signed = SigV4Request(
                method: info.method, path: wire.path, headers: headers, payloadHash: SigV4.sha256Hex(body))
            headers += signer.signingHeaders(for: signed, at: date)
        }
        return (wire.url, headers)
    }

    private func attemptOnce(_ info: OperationInfo, body: Data) async throws -> Answer {
        let (url, headers) = prepared(info, body: body, at: Date())
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: info.method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await httpClient.execute(request, timeout: .nanoseconds(nanoseconds(retry.timeout)))
        let buffer = try await response.body.collect(upTo: maximumResponseSize)
        return Answer(
            status: Int(response.status.code),
            headers: Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 }),
            body: Data(buffer.readableBytesView))
    }

    /// One HTTP answer.
    private struct Answer {
        let status: Int
        /// Header values by lowercase name.
        let headers: [String: String]
        let body: Data

        var isSuccess: Bool { (200..<300).contains(status) }
        var requestID: String? { headers["x-amzn-requestid"] }
    }
}

/// `duration` in whole nanoseconds.
func nanoseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
}
