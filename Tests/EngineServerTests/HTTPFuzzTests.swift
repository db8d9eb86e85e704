import Foundation
import HTTPTypes
import HummingbirdTesting
import TailorTestSupport
import Testing

/// A few thousand random and mutated requests over real sockets: the server survives them all, and every
/// answer that is not a success has the AWS error shape (`{"__type": ..., "message": ...}`).
///
/// Deterministic: the seed is fixed (`TAILOR_FUZZ_SEED` picks another, `TAILOR_FUZZ_COUNT` another count), and a
/// failure names the case's index and bytes.
@Suite struct HTTPFuzzTests {
    @Test(.tags(.medium)) func mutatedRequestsAreAnsweredInTheAWSShapeAndTheServerSurvives() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["TAILOR_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x7A11_0001
        let count = environment["TAILOR_FUZZ_COUNT"].flatMap(Int.init) ?? 2000
        let harness = try ServerHarness()
        try await harness.test(.live) { client in
            let port = try #require(client.port)
            let failures = try await RawHTTP.onThread {
                var generator = RequestMutator(seed: seed, port: port)
                var failures: [String] = []
                for index in 0..<count {
                    let bytes = generator.next()
                    let responses: [RawHTTP.Response]
                    do {
                        responses = try RawHTTP.exchangeAll(bytes, port: port)
                    } catch {
                        failures.append("#\(index) (seed \(seed)): \(error) for \(RequestMutator.show(bytes))")
                        continue
                    }
                    for response in responses where !(200..<300).contains(response.status) && !response.hasAWSErrorShape
                    {
                        failures.append(
                            "#\(index) (seed \(seed)): \(response.status) '\(String(decoding: response.body, as: UTF8.self))' "
                                + "for \(RequestMutator.show(bytes))")
                    }
                }
                return failures
            }
            #expect(failures.isEmpty, "\(failures.count) of \(count): \(failures.prefix(5).joined(separator: "\n"))")
            #expect(try await client.control("ListRecipes", "{}").status == .ok)
        }
    }
}

/// Requests of the protocol, mutated: bytes flipped, inserted (NUL, CR, LF, high bytes) and cut, headers
/// repeated or given odd values, lying lengths, broken chunking, odd methods, paths, hosts, origins and types,
/// and numbers beyond 64 bits.
struct RequestMutator {
    private var generator: SplitMix
    let port: Int

    init(seed: UInt64, port: Int) {
        generator = SplitMix(seed: seed)
        self.port = port
    }

    private mutating func random() -> UInt64 { generator.next() }

    private mutating func below(_ bound: Int) -> Int { Int(random() % UInt64(bound)) }

    private mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

    private static let interesting: [UInt8] = [0, 0x0D, 0x0A, 0x3A, 0x20, 0x09, 0x7F, 0x80, 0xFF, 0x22, 0x5C, 0x7B]

    mutating func next() -> [UInt8] {
        var request = template()
        for _ in 0...below(3) { mutate(&request) }
        return RequestMutator.serialize(request)
    }

    private struct Parts {
        var method = "POST"
        var path = "/"
        var version = "HTTP/1.1"
        var headers: [(String, String)] = []
        var body = "{}"
        var fixLength = true
        var raw: [UInt8]? = nil
    }

    private mutating func template() -> Parts {
        var parts = Parts()
        parts.headers = [("Host", "127.0.0.1:\(port)")]
        switch below(3) {
        case 0:
            parts.headers += [
                ("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AmazonPersonalize.ListRecipes"),
            ]
            parts.body = pick(["{}", #"{"maxResults": 5}"#, #"{"recipeProvider": "SERVICE"}"#])
        case 1:
            parts.path = "/recommendations"
            parts.headers += [("Content-Type", "application/json")]
            parts.body = #"{"campaignArn": "arn:aws:personalize:local:0:campaign/x", "userId": "u", "numResults": 10}"#
        default:
            parts.path = "/events"
            parts.headers += [("Content-Type", "application/json")]
            parts.body =
                #"{"trackingId": "t", "sessionId": "s", "eventList": [{"eventType": "click", "sentAt": 1700000000}]}"#
        }
        return parts
    }

    private mutating func mutate(_ parts: inout Parts) {
        switch below(14) {
        case 0: parts.method = pick(["GET", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW", "P\u{0}ST", "", "post"])
        case 1:
            parts.path = pick(["/", "/recommendations", "/events", "/health", "//", "/%00", "/../x", "*", "x", "/?a=b"])
        case 2:
            let index = below(parts.headers.count)
            parts.headers[index].1 += String(UnicodeScalar(pick(Self.interesting)))
        case 3: parts.headers.append(parts.headers[below(parts.headers.count)])
        case 4:
            parts.headers.append(
                ("Content-Length", pick(["-1", "99999999999999999999", "abc", "", "0x10", "1 2", "0", "100000"])))
            parts.fixLength = false
        case 5:
            parts.headers.append(("Transfer-Encoding", "chunked"))
            parts.body = pick(["zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n0\r\n\r\n", "2\r\n{}", "-1\r\n"])
            parts.fixLength = false
        case 6:
            parts.headers.append(
                ("Host", pick(["attacker.example", "localhost:1", "", "[::1]:\(port)", "127.0.0.1:\(port)"])))
            parts.headers.removeFirst()
        case 7: parts.headers.append(("Origin", pick(["https://attacker.example", "null", "http://127.0.0.1"])))
        case 8:
            parts.headers.append(
                ("Content-Type", pick(["text/plain", "application/json", "", "application/x-amz-json-1.1"])))
        case 9:
            let number = pick([
                "12345678901234567890", "-9223372036854775809", "1e400", "-0", String(repeating: "9", count: 300),
            ])
            parts.body = parts.body.replacingOccurrences(of: "10", with: number).replacingOccurrences(
                of: "5}", with: "\(number)}")
        case 10: parts.version = pick(["HTTP/1.0", "HTTP/2.0", "HTTP/1.1 x", "HTTP/1", ""])
        case 11: parts.headers.append(("X-Big", String(repeating: "a", count: pick([100, 10_000, 90_000]))))
        default:
            var bytes = parts.raw ?? Self.serialize(parts)
            switch below(3) {
            case 0: bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: random())
            case 1: bytes.insert(pick(Self.interesting), at: below(bytes.count + 1))
            default: bytes.removeSubrange(below(bytes.count)..<bytes.count)
            }
            parts.raw = bytes
        }
    }

    private static func serialize(_ parts: Parts) -> [UInt8] {
        if let raw = parts.raw { return raw }
        var text = "\(parts.method) \(parts.path) \(parts.version)\r\n"
        for (name, value) in parts.headers { text += "\(name): \(value)\r\n" }
        if parts.fixLength { text += "Content-Length: \(parts.body.utf8.count)\r\n" }
        return Array((text + "\r\n" + parts.body).utf8)
    }

    /// The bytes, printable, for failure messages.
    static func show(_ bytes: [UInt8]) -> String {
        String(bytes.prefix(300).map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "·" })
    }
}
