/// Structural changes to a JSON body: a value replaced by a nasty one, a member dropped, doubled or added,
/// a value wrapped.
enum JSONMutation {
    static func apply(_ value: FuzzJSON, _ random: inout SplitMix) -> FuzzJSON {
        switch value {
        case .object(var members):
            if members.isEmpty || random.oneIn(4) {
                switch random.below(4) {
                case 0:
                    members.append(
                        (
                            key: random.pick(["x", "", "__type", "numResults", "\\u0000", "é"]),
                            value: Nasty.value(&random)
                        ))
                case 1 where !members.isEmpty: members.append(members[random.below(members.count)])  // a duplicate key
                case 2 where !members.isEmpty: members.remove(at: random.below(members.count))
                default: return random.oneIn(2) ? .array([value]) : Nasty.value(&random)
                }
                return .object(members)
            }
            let index = random.below(members.count)
            members[index].value = random.oneIn(2) ? Nasty.value(&random) : apply(members[index].value, &random)
            return .object(members)
        case .array(var elements):
            if elements.isEmpty || random.oneIn(3) { return Nasty.value(&random) }
            let index = random.below(elements.count)
            elements[index] = apply(elements[index], &random)
            return .array(elements)
        default:
            return Nasty.value(&random)
        }
    }
}

/// Changes to the bytes of a body: flips, insertions, deletions, truncation.
enum ByteMutation {
    static let interesting: [UInt8] = [
        0x00, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x0A, 0x0D, 0x80, 0xC0, 0xFF,
    ]

    static func apply(_ bytes: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<(random.below(4) + 1) {
            let at = random.below(bytes.count + 1)
            switch random.below(6) {
            case 0 where at < bytes.count: bytes[at] ^= UInt8(1 << random.below(8))
            case 1: bytes.insert(random.pick(interesting), at: at)
            case 2 where at < bytes.count: bytes.removeSubrange(at..<min(bytes.count, at + random.below(16) + 1))
            case 3: bytes = Array(bytes.prefix(at))
            case 4: bytes.insert(contentsOf: random.bytes(random.below(16) + 1), at: at)
            default:
                let end = min(bytes.count, at + random.below(32))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: at)
            }
        }
        return bytes
    }
}

/// The parts of a request before it is written, so that each can be broken separately.
struct RequestParts {
    enum Length {
        case correct
        case omitted
        case value(String)
        case duplicate(String)
        case chunked(valid: Bool)
        /// Announces more than is sent.
        case longer(Int)
    }

    var method: String
    var target: String
    var version = "HTTP/1.1"
    var headers: [(name: [UInt8], value: [UInt8])] = []
    var body: [UInt8]
    var length = Length.correct
    var fresh = false

    init(method: String, target: String, contentType: String, amzTarget: String?, body: [UInt8], port: Int) {
        self.method = method
        self.target = target
        self.body = body
        headers.append((Array("Host".utf8), Array("127.0.0.1:\(port)".utf8)))
        headers.append((Array("Content-Type".utf8), Array(contentType.utf8)))
        if let amzTarget { headers.append((Array("X-Amz-Target".utf8), Array(amzTarget.utf8))) }
    }

    /// The message as bytes, with its framing.
    func input(summary: String) -> HTTPInput {
        var out = Array("\(method) \(target) \(version)\r\n".utf8)
        for header in headers {
            out += header.name + Array(": ".utf8) + header.value + [13, 10]
        }
        var payload = body
        var framing: HTTPInput.Framing = fresh ? .fresh : .keepAlive
        switch length {
        case .correct: out += Array("Content-Length: \(body.count)\r\n".utf8)
        case .omitted: framing = .fresh
        case .value(let value):
            out += Array("Content-Length: \(value)\r\n".utf8)
            framing = .incomplete
        case .duplicate(let value):
            out += Array("Content-Length: \(body.count)\r\nContent-Length: \(value)\r\n".utf8)
            framing = .incomplete
        case .chunked(let valid):
            out += Array("Transfer-Encoding: chunked\r\n".utf8)
            payload = valid ? Self.chunked(body) : Array(String(body.count + 5, radix: 16).utf8) + [13, 10] + body
            framing = .incomplete
        case .longer(let extra):
            out += Array("Content-Length: \(body.count + extra)\r\n".utf8)
            framing = .incomplete
        }
        out += [13, 10]
        out += payload
        // Answers to HEAD and CONNECT carry no body (NIO frames them so): their error type is in x-amzn-ErrorType.
        return HTTPInput(bytes: out, framing: framing, head: method == "HEAD" || method == "CONNECT", summary: summary)
    }

    private static func chunked(_ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        while offset < body.count {
            let size = min(7, body.count - offset)
            out += Array(String(size, radix: 16).utf8) + [13, 10] + body[offset..<offset + size] + [13, 10]
            offset += size
        }
        return out + Array("0\r\n\r\n".utf8)
    }
}

/// Changes to the request line, the headers and the framing.
enum HeaderMutation {
    static let targets = [
        "AmazonPersonalize.", "AmazonPersonalize.Nope", "amazonpersonalize.ListCampaigns",
        "AmazonPersonalize.ListCampaigns\u{0}",
        "AmazonPersonalize.ListCampaigns ", " AmazonPersonalize.ListCampaigns",
        "AmazonPersonalizeRuntime.GetRecommendations",
        "AmazonPersonalize.ListCampaigns.ListCampaigns", "AmazonPersonalize.__proto__",
        "AmazonPersonalize.Get Recommendations",
        "AmazonPersonalize." + repeatedString("A", 10_000), "", "é",
    ]
    static let contentTypes = [
        "application/json", "application/x-amz-json-1.0", "application/x-amz-json-1.1", "text/plain", "",
        "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/x-amz-json-1.1\u{0}",
    ]
    static let paths = [
        "/", "/recommendations", "/recommendations/", "//recommendations", "/recommendations?x=1&x=2",
        "/%72ecommendations", "/RECOMMENDATIONS", "/events/../recommendations", "/nope", "*", "http://127.0.0.1/",
        "/" + repeatedString("a", 100_000), "/recommendations#frag", "/metrics", "/health", "",
        "/recommendations\u{0}", "/%00", "/%", "/%zz", "/\u{FF}",
    ]
    static let methods = [
        "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "FOO", "post", "", "P O",
    ]
    static let versions = ["HTTP/1.0", "HTTP/2.0", "HTTP/1.1x", "http/1.1", "HTTP/1", "", "HTTP/1.12", "HTTP/0.9"]

    /// Applies one change; returns its name.
    static func apply(_ request: inout RequestParts, _ random: inout SplitMix) -> String {
        request.fresh = true
        switch random.below(16) {
        case 0:
            setHeader(&request, "X-Amz-Target", random.pick(targets))
            return "target"
        case 1:
            setHeader(&request, "Content-Type", random.pick(contentTypes))
            return "content-type"
        case 2:
            let name = Array(random.pick(["Host", "Content-Type", "X-Amz-Target"]).utf8)
            request.headers.removeAll { $0.name == name }
            return "header-removed"
        case 3:
            let value: [UInt8] = random.pick([
                [0x00], [0x0D], [0x0A], [0x0D, 0x0A, 0x20, 0x78], [0x7F], [0xFF, 0xFE], [0x09],
            ])
            request.headers.append((Array("X-Fuzz".utf8), Array("a".utf8) + value + Array("b".utf8)))
            return "header-control-byte"
        case 4:
            let size = random.pick([8_192, 65_536, 1 << 20])
            request.headers.append((Array("X-Fuzz".utf8), [UInt8](repeating: UInt8(ascii: "a"), count: size)))
            return "header-huge-\(size)"
        case 5:
            let count = random.pick([100, 1_000, 10_000])
            for index in 0..<count { request.headers.append((Array("X-F\(index)".utf8), Array("v".utf8))) }
            return "headers-\(count)"
        case 6:
            request.length = random.pick([
                .value("abc"), .value("-1"), .value("99999999999999999999"), .value("+5"), .value("0x10"), .value(""),
                .value("1e3"), .value(" \(request.body.count) "),
            ])
            return "content-length-bad"
        case 7:
            request.length = .duplicate("\(request.body.count + 1)")
            return "content-length-duplicate"
        case 8:
            request.length = .chunked(valid: random.oneIn(2))
            return "chunked"
        case 9:
            request.length = random.oneIn(2) ? .longer(random.pick([1, 100, 1 << 20])) : .omitted
            return "content-length-short-or-missing"
        case 10:
            request.method = random.pick(methods)
            return "method-\(request.method)"
        case 11:
            request.target = random.pick(paths)
            return "path"
        case 12:
            request.version = random.pick(versions)
            return "version"
        case 13:
            request.headers.append((Array("Expect".utf8), Array("100-continue".utf8)))
            return "expect-continue"
        case 14:
            let name = random.pick(["Authorization", "X-Amz-Date", "X-Amz-Content-Sha256", "X-Amz-Security-Token"])
            let value = random.pick([
                "AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/personalize/aws4_request, SignedHeaders=host, Signature=00",
                "AWS4-HMAC-SHA256", "Bearer x", "", "20240101T000000Z", "garbage", repeatedString("=", 5000),
            ])
            request.headers.append((Array(name.utf8), Array(value.utf8)))
            return "auth-header"
        default:
            let name = random.pick([
                Array("X Fuzz".utf8), Array("X-Fuzz\u{0}".utf8), [], Array(":".utf8), [0xFF], Array("Host".utf8),
            ])
            request.headers.append((name, Array("v".utf8)))
            return "header-name-bad"
        }
    }

    private static func setHeader(_ request: inout RequestParts, _ name: String, _ value: String) {
        let key = Array(name.utf8)
        request.headers.removeAll { $0.name == key }
        request.headers.append((key, Array(value.utf8)))
    }
}
