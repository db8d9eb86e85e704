import HTTPTypes

/// Which browser origins may call `tailor serve` (`--cors-origin`), and the headers that grant them access.
///
/// No origin is granted unless listed: a page elsewhere can neither read an answer nor pass a preflight, and a
/// request that carries an `Origin` not listed is refused before it does anything.
struct CORSPolicy: Sendable {
    /// The listed origins, normalised.
    let origins: Set<String>

    init(origins: [String]) {
        self.origins = Set(origins.compactMap(Self.normalized(origin:)))
    }

    /// Whether a request carrying `Origin: origin` may be answered.
    func allows(_ origin: String) -> Bool {
        Self.normalized(origin: origin).map(origins.contains) ?? false
    }

    /// `scheme://host[:port]` lowercased, without a trailing `/`; nil for anything that is not an HTTP(S)
    /// origin (`null`, paths, userinfo, other schemes).
    static func normalized(origin: String) -> String? {
        var origin = origin.lowercased()
        if origin.hasSuffix("/") { origin.removeLast() }
        for scheme in ["http://", "https://"] where origin.hasPrefix(scheme) {
            guard HostPolicy.Authority(parsing: String(origin.dropFirst(scheme.count))) != nil else { return nil }
            return origin
        }
        return nil
    }

    /// The methods of the protocol: `POST` for operations, `GET` for health and metrics.
    static let allowedMethods = "POST, GET"
    /// The request headers AWS SDKs send (SigV4's, the JSON 1.1 target, and the SDKs' own).
    static let allowedHeaders =
        "authorization, content-type, x-amz-content-sha256, x-amz-date, x-amz-security-token, x-amz-target, "
        + "x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request"
    /// The response headers SDKs read.
    static let exposedHeaders = "x-amzn-RequestId, x-amzn-ErrorType, Date"

    /// The headers that grant `origin` access to a response.
    static func grant(_ origin: String, to headers: inout HTTPFields) {
        headers[.accessControlAllowOrigin] = origin
        headers[.accessControlExposeHeaders] = exposedHeaders
        headers[values: .vary] = headers[values: .vary] + ["Origin"]
    }

    /// The answer to a preflight from `origin`.
    static func preflightGrant(_ origin: String) -> HTTPFields {
        var headers: HTTPFields = [
            .accessControlAllowOrigin: origin, .accessControlAllowMethods: allowedMethods,
            .accessControlAllowHeaders: allowedHeaders, .accessControlMaxAge: "600", .vary: "Origin",
        ]
        headers[.contentLength] = "0"
        return headers
    }
}
