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

    package init(
        host: String = "127.0.0.1", port: Int = 8080, maximumBodySize: Int = 1 << 20, authKeys: AuthKeys? = nil,
        maximumClockSkew: Duration = .seconds(15 * 60), clock: any EngineClock = SystemClock(),
        region: String = ServerConfiguration.defaultRegion
    ) {
        self.host = host
        self.port = port
        self.maximumBodySize = maximumBodySize
        self.authKeys = authKeys
        self.maximumClockSkew = maximumClockSkew
        self.clock = clock
        self.region = region
    }

    /// The region of `tailor serve` when none is given: the one RemoteEngine and the AWS SDKs fall back to.
    package static let defaultRegion = "us-east-1"
}
