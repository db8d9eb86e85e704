package import Engine

/// How `tailor serve` listens and whom it lets in.
package struct ServerConfiguration: Sendable {
    /// The address to bind, e.g. `127.0.0.1`.
    package var host: String
    /// The port to bind; 0 picks a free one (the running server reports the one it got).
    package var port: Int
    /// The largest request body accepted, in bytes; larger ones are refused with 413.
    package var maximumBodySize: Int
    /// The credentials requests must be signed with; `nil` accepts unsigned requests.
    package var authKeys: AuthKeys?
    /// How far a request's `X-Amz-Date` may be from the server's clock (AWS allows 15 minutes).
    package var maximumClockSkew: Duration
    /// The source of the current time for signature expiry.
    package var clock: any EngineClock
    /// The region signatures must be scoped to, as AWS checks a credential scope against its own region.
    package var region: String
    /// Host names (`NAME`, any port, or `NAME:PORT`) accepted in `Host` besides the listening address.
    package var allowedHosts: [String]
    /// Browser origins (`scheme://host[:port]`) granted cross-origin access; no other origin is.
    package var corsOrigins: [String]

    package init(
        host: String = "127.0.0.1", port: Int = 8080, maximumBodySize: Int = 1 << 20, authKeys: AuthKeys? = nil,
        maximumClockSkew: Duration = .seconds(15 * 60), clock: any EngineClock = SystemClock(),
        region: String = ServerConfiguration.defaultRegion, allowedHosts: [String] = [], corsOrigins: [String] = []
    ) {
        self.host = host
        self.port = port
        self.maximumBodySize = maximumBodySize
        self.authKeys = authKeys
        self.maximumClockSkew = maximumClockSkew
        self.clock = clock
        self.region = region
        self.allowedHosts = allowedHosts
        self.corsOrigins = corsOrigins
    }

    /// The region of `tailor serve` when none is given: the one RemoteEngine and the AWS SDKs fall back to.
    package static let defaultRegion = "us-east-1"

    /// Whether `host` is a loopback address or name, reachable only from this machine.
    package static func isLoopback(_ host: String) -> Bool {
        let host = HostPolicy.Authority.normalizedName(host)
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { (1...3).contains($0.utf8.count) && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    /// Why this configuration must not be served.
    package enum Problem: Error, Hashable, CustomStringConvertible {
        /// Listening beyond loopback without auth keys, and without `--insecure-no-auth`.
        case exposedWithoutAuthentication(host: String)
        case portOutOfRange(Int)
        case bodySizeOutOfRange(Int)
        case invalidRegion(String)
        case invalidAllowedHost(String)
        case invalidCORSOrigin(String)

        package var description: String {
            switch self {
            case .exposedWithoutAuthentication(let host):
                """
                refusing to listen on \(host) without auth keys: anyone who reaches it could read and change \
                every dataset, solution and campaign. Pass --auth-keys FILE (or set TAILOR_AUTH_ACCESS_KEY_ID and \
                TAILOR_AUTH_SECRET_ACCESS_KEY), listen on 127.0.0.1, or pass --insecure-no-auth to accept that risk
                """
            case .portOutOfRange(let port):
                "--port must be 0...65535, got \(port)"
            case .bodySizeOutOfRange(let size):
                "--max-body-size must be 1...\(ServerConfiguration.largestBodySize) bytes, got \(size)"
            case .invalidRegion(let region):
                "--region must be a region name such as us-east-1 (lowercase letters, digits and '-'), got '\(region)'"
            case .invalidAllowedHost(let host):
                "--allow-host must be a host name or address, optionally with ':PORT', got '\(host)'"
            case .invalidCORSOrigin(let origin):
                "--cors-origin must be an origin such as https://app.example.com (scheme://host[:port]), got '\(origin)'"
            }
        }
    }

    /// The largest `--max-body-size`: 1 GiB, far above any Personalize request.
    package static let largestBodySize = 1 << 30

    /// Checks the configuration before serving it.
    ///
    /// - Parameter allowUnauthenticatedExposure: `--insecure-no-auth`: serve a non-loopback address without keys.
    /// - Throws: ``Problem``: the first one found.
    package func validate(allowUnauthenticatedExposure: Bool = false) throws(Problem) {
        guard (0...65535).contains(port) else { throw .portOutOfRange(port) }
        guard (1...Self.largestBodySize).contains(maximumBodySize) else { throw .bodySizeOutOfRange(maximumBodySize) }
        guard !region.isEmpty, region.utf8.count <= 64,
            region.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || HostPolicy.isAlphanumeric($0) })
        else { throw .invalidRegion(region) }
        for host in allowedHosts where HostPolicy.Authority(parsing: host) == nil {
            throw .invalidAllowedHost(host)
        }
        for origin in corsOrigins where CORSPolicy.normalized(origin: origin) == nil {
            throw .invalidCORSOrigin(origin)
        }
        if authKeys == nil, !allowUnauthenticatedExposure, !Self.isLoopback(host) {
            throw .exposedWithoutAuthentication(host: host)
        }
    }
}
