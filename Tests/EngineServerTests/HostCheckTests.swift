import Foundation
import HTTPTypes
import HummingbirdTesting
import TailorTestSupport
import Testing

@testable import EngineServer

/// The server answers only the `Host` names of the address it listens on and those given with `--allow-host`,
/// so that a page whose DNS name is rebound to 127.0.0.1 cannot reach it.
@Suite struct HostCheckTests {
    /// A raw request to `port` with `Host: host`, for an operation that succeeds when it is let in.
    static func listRecipes(host: String, port: Int) throws -> RawHTTP.Response? {
        try RawHTTP.exchange(
            RawHTTP.crlf(
                """
                POST / HTTP/1.1
                Host: \(host)
                Content-Type: application/x-amz-json-1.1
                X-Amz-Target: AmazonPersonalize.ListRecipes
                Content-Length: 2

                {}
                """), port: port)
    }

    @Test(.tags(.medium)) func aLoopbackServerAnswersLoopbackNamesOnItsOwnPort() async throws {
        let harness = try ServerHarness(configuration: ServerConfiguration(allowedHosts: ["personalize.internal"]))
        try await harness.test(.live) { client in
            let port = try #require(client.port)
            let outcomes = try await RawHTTP.onThread {
                try [
                    "127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)", "LOCALHOST:\(port)", "localhost",
                    "personalize.internal", "personalize.internal:443",
                    "attacker.example:\(port)", "attacker.example", "localhost:\(port == 1 ? 2 : 1)",
                    "127.0.0.1.attacker.example:\(port)", "localhost:\(port)@attacker.example", "",
                    "localhost:99999999999999999999999",
                ].map { host in (host, try Self.listRecipes(host: host, port: port)) }
            }
            for (host, response) in outcomes.prefix(7) {
                #expect(response?.status == 200, "\(host)")
            }
            for (host, response) in outcomes.dropFirst(7) {
                let response = try #require(response, "\(host)")
                #expect((400..<500).contains(response.status), "\(host)")
                #expect(response.hasAWSErrorShape, "\(host)")
            }
            #expect(outcomes[7].1?.json?["__type"] as? String == "AccessDeniedException")
        }
    }

    @Test(.tags(.small)) func hostsAreComparedWithTheConnectionsAddress() {
        let loopback = HostPolicy(configuration: ServerConfiguration(host: "127.0.0.1", port: 0))
        let local = (address: "127.0.0.1", port: 4321)
        #expect(loopback.permits(authority: "127.0.0.1:4321", local: local))
        #expect(loopback.permits(authority: "[::1]:4321", local: local))
        #expect(!loopback.permits(authority: "localhost:4322", local: local))
        #expect(!loopback.permits(authority: "rebound.example:4321", local: local))
        #expect(!loopback.permits(authority: nil, local: local))
        // In process there is no socket: the port is not known, the names still are.
        #expect(loopback.permits(authority: "localhost:8080", local: nil))
        #expect(!loopback.permits(authority: "rebound.example", local: nil))

        let wildcard = HostPolicy(
            configuration: ServerConfiguration(host: "0.0.0.0", port: 8080, allowedHosts: ["api.example.com:443"]))
        let lan = (address: "10.1.2.3", port: 8080)
        #expect(wildcard.permits(authority: "10.1.2.3:8080", local: lan))
        #expect(!wildcard.permits(authority: "localhost:8080", local: lan))
        #expect(wildcard.permits(authority: "localhost:8080", local: (address: "127.0.0.1", port: 8080)))
        #expect(wildcard.permits(authority: "api.example.com:443", local: lan))
        #expect(!wildcard.permits(authority: "api.example.com:8443", local: lan))
        #expect(wildcard.permits(authority: "10.1.2.3:8080", local: (address: "::ffff:10.1.2.3", port: 8080)))
    }

    @Test(.tags(.small)) func authoritiesAreParsedStrictly() {
        #expect(HostPolicy.Authority(parsing: "Example.COM:80") == HostPolicy.Authority(parsing: "example.com:80"))
        #expect(HostPolicy.Authority(parsing: "[::1]:8080")?.name == "::1")
        #expect(HostPolicy.Authority(parsing: "[::1]:8080")?.port == 8080)
        for bad in [
            "", ":80", "a:b", "a:", "a:65536", "a:-1", "a:+80", "a b", "user@a", "a/b", "[::1", "[zz]", "a:123456",
        ] {
            #expect(HostPolicy.Authority(parsing: bad) == nil, "\(bad)")
        }
        #expect(HostPolicy.port("99999999999999999999999999") == nil)
        // RemoteEngine writes Host from Foundation's URL.host, which drops an IPv6 address's brackets.
        #expect(HostPolicy.Authority(parsing: "::1:8080") == HostPolicy.Authority(parsing: "[::1]:8080"))
        #expect(HostPolicy.Authority(parsing: "::1:example") == nil)
    }

    @Test(.tags(.small)) func loopbackAddressesAreRecognised() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "LocalHost"] {
            #expect(ServerConfiguration.isLoopback(host), "\(host)")
        }
        for host in ["0.0.0.0", "::", "10.0.0.1", "127.0.0.1.example.com", "127.+0.0.1", "example.com", ""] {
            #expect(!ServerConfiguration.isLoopback(host), "\(host)")
        }
    }

    @Test(.tags(.small)) func listeningBeyondLoopbackNeedsKeysOrTheInsecureFlag() throws {
        let exposed = ServerConfiguration(host: "0.0.0.0")
        #expect(throws: ServerConfiguration.Problem.exposedWithoutAuthentication(host: "0.0.0.0")) {
            try exposed.validate()
        }
        #expect("\(ServerConfiguration.Problem.exposedWithoutAuthentication(host: "0.0.0.0"))".contains("--auth-keys"))
        try exposed.validate(allowUnauthenticatedExposure: true)
        try ServerConfiguration(host: "0.0.0.0", authKeys: AuthKeys(["A": "S"])).validate()
        try ServerConfiguration(host: "127.0.0.1").validate()
        try ServerConfiguration(host: "::1").validate()
        #expect(throws: ServerConfiguration.Problem.self) { try ServerConfiguration(port: 65536).validate() }
        #expect(throws: ServerConfiguration.Problem.self) { try ServerConfiguration(port: -1).validate() }
        #expect(throws: ServerConfiguration.Problem.self) { try ServerConfiguration(maximumBodySize: 0).validate() }
        #expect(throws: ServerConfiguration.Problem.self) {
            try ServerConfiguration(maximumBodySize: Int.max).validate()
        }
        #expect(throws: ServerConfiguration.Problem.self) { try ServerConfiguration(region: "us east").validate() }
        #expect(throws: ServerConfiguration.Problem.self) {
            try ServerConfiguration(allowedHosts: ["https://x.example"]).validate()
        }
        #expect(throws: ServerConfiguration.Problem.self) {
            try ServerConfiguration(corsOrigins: ["app.example.com"]).validate()
        }
        try ServerConfiguration(allowedHosts: ["x.example", "y.example:8443"], corsOrigins: ["http://localhost:3000/"])
            .validate()
    }
}
