package import EngineAPI
package import Foundation

/// Where the three Personalize services answer.
package struct Endpoints: Sendable, Hashable {
    /// The control plane (`personalize.REGION.amazonaws.com`).
    package var controlPlane: URL
    /// Personalize Runtime (`personalize-runtime.REGION.amazonaws.com`).
    package var runtime: URL
    /// Personalize Events (`personalize-events.REGION.amazonaws.com`).
    package var events: URL

    /// One URL for all three services, as `tailor serve` answers them.
    package static func single(_ url: URL) -> Endpoints {
        Endpoints(controlPlane: url, runtime: url, events: url)
    }

    /// Amazon Personalize's hosts in `region`.
    package static func aws(region: String) -> Endpoints {
        func host(_ prefix: String) -> URL {
            URL(string: "https://\(prefix).\(region).amazonaws.com") ?? URL(fileURLWithPath: "/")
        }
        return Endpoints(
            controlPlane: host("personalize"), runtime: host("personalize-runtime"),
            events: host("personalize-events"))
    }

    /// The endpoint of `service`.
    package func url(for service: ServiceKind) -> URL {
        switch service {
        case .controlPlane: controlPlane
        case .runtime: runtime
        case .events: events
        }
    }
}

/// The URL, path and headers of one operation's request, before signing.
struct WireRequest {
    let url: String
    /// The path as sent (the signature covers it).
    let path: String
    let headers: [(name: String, value: String)]

    init(info: OperationInfo, endpoint: URL) {
        let base = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
        path = base + (info.service == .controlPlane ? "/" : info.path)
        // Foundation's `host` drops an IPv6 literal's brackets; the URL and the Host header need them back.
        let name = endpoint.host ?? "localhost"
        var host = name.contains(":") && !name.hasPrefix("[") ? "[\(name)]" : name
        var origin = "\(endpoint.scheme ?? "https")://\(host)"
        if let port = endpoint.port {
            origin += ":\(port)"
            host += ":\(port)"
        }
        url = origin + path
        var headers: [(name: String, value: String)] = [("Host", host)]
        if info.service == .controlPlane {
            headers.append(("Content-Type", "application/x-amz-json-1.1"))
            headers.append(("X-Amz-Target", "AmazonPersonalize.\(info.name)"))
        } else {
            headers.append(("Content-Type", "application/json"))
        }
        self.headers = headers
    }
}
