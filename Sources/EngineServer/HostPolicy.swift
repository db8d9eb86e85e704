/// Which `Host` values `tailor serve` answers: the address a connection arrived at (and, on loopback, the
/// loopback names), plus the names given with `--allow-host`.
///
/// A browser page on `attacker.example` whose name is rebound to 127.0.0.1 reaches a loopback server with
/// `Host: attacker.example:PORT`; refusing names the server was not told about keeps such pages out. The port
/// is that of the connection itself, so a server bound to port 0 needs no patching once it knows its port.
struct HostPolicy: Sendable {
    /// The configured listening host, used when a request did not come over a socket (in-process tests).
    let listeningHost: String
    /// The configured port, likewise (0 when it is picked at bind time: then any port is taken as it).
    let listeningPort: Int
    /// `--allow-host` entries.
    let allowed: [Authority]
    /// Whether the configured host is a loopback one.
    private let listensOnLoopback: Bool

    init(configuration: ServerConfiguration) {
        listeningHost = Authority.normalizedName(configuration.host)
        listeningPort = configuration.port
        allowed = configuration.allowedHosts.compactMap(Authority.init(parsing:))
        listensOnLoopback = ServerConfiguration.isLoopback(configuration.host)
    }

    /// Whether a request whose `Host` is `authority` may be answered on a connection accepted at `local`.
    ///
    /// - Parameters:
    ///   - authority: The `Host` header (HTTP/1) or `:authority` (HTTP/2); nil when the request has none.
    ///   - local: The IP address and port the connection was accepted on, when known.
    func permits(authority: String?, local: (address: String, port: Int)?) -> Bool {
        guard let authority, let requested = Authority(parsing: authority) else { return false }
        if allowed.contains(where: { $0.name == requested.name && ($0.port == nil || $0.port == requested.port) }) {
            return true
        }
        let port = local?.port ?? (listeningPort == 0 ? nil : listeningPort)
        if let requestedPort = requested.port, let port, requestedPort != port { return false }
        let address = local.map { Authority.normalizedName($0.address) } ?? listeningHost
        if requested.name == address || requested.name == listeningHost { return true }
        guard Self.loopbackNames.contains(requested.name) else { return false }
        return local == nil ? listensOnLoopback : ServerConfiguration.isLoopback(address)
    }

    /// The names of the loopback interface a loopback listener answers besides its own address.
    private static let loopbackNames: Set<String> = ["127.0.0.1", "localhost", "::1"]

    /// A `Host` value: a name or address and an optional port.
    struct Authority: Sendable, Hashable {
        /// Lowercased, IPv6 addresses without brackets.
        let name: String
        let port: Int?

        /// Reads `name`, `name:port`, `[v6]` or `[v6]:port`; nil for anything else (userinfo, paths, bad ports).
        init?(parsing text: String) {
            let text = text.lowercased()
            let name: Substring
            let rest: Substring
            if text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]") else { return nil }
                name = text[text.index(after: text.startIndex)..<close]
                rest = text[text.index(after: close)...]
                guard !name.isEmpty, name.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
            } else {
                let colon = text.lastIndex(of: ":")
                name = colon.map { text[..<$0] } ?? text[...]
                rest = colon.map { text[$0...] } ?? ""
                // An IPv6 address without brackets, `::1:8080`, as Foundation's `URL.host` gives it to clients that
                // write Host from it (RemoteEngine): only hex digits, colons and dots, so never a DNS name.
                let unbracketedIPv6 = name.contains(":") && name.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
                guard !name.isEmpty,
                    unbracketedIPv6
                        || name.utf8.allSatisfy({
                            HostPolicy.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
                                || $0 == UInt8(ascii: "_")
                        })
                else { return nil }
            }
            if rest.isEmpty {
                port = nil
            } else {
                guard rest.first == ":", let port = HostPolicy.port(rest.dropFirst()) else { return nil }
                self.port = port
            }
            self.name = Self.normalizedName(String(name))
        }

        /// `name` lowercased, without IPv6 brackets, and an IPv4-mapped IPv6 address as its IPv4 address.
        static func normalizedName(_ name: String) -> String {
            var name = name.lowercased()
            if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
            if name.hasPrefix("::ffff:"), name.contains(".") { name = String(name.dropFirst(7)) }
            return name
        }
    }

    /// A port number of 1 to 5 digits up to 65535, read without arithmetic that could overflow.
    static func port(_ digits: Substring) -> Int? {
        guard (1...5).contains(digits.utf8.count), digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let port = Int(digits), port <= 65535
        else { return nil }
        return port
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            false
        }
    }
}
