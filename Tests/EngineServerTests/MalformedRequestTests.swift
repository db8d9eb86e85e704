import EngineServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TailorTestSupport
import Testing

/// Requests NIO's HTTP/1 decoder cannot read are answered in the AWS error shape too, not with an empty 400.
@Suite struct MalformedRequestTests {
    /// A valid control-plane call with `extraHeaders` added to its head.
    static func listRecipes(port: Int, extraHeaders: String = "", target: String = "AmazonPersonalize.ListRecipes")
        -> [UInt8]
    {
        RawHTTP.crlf("POST / HTTP/1.1\nHost: 127.0.0.1:\(port)\nContent-Type: application/x-amz-json-1.1\n")
            + Array("X-Amz-Target: \(target)\r\n".utf8) + RawHTTP.crlf(extraHeaders)
            + RawHTTP.crlf("Content-Length: 2\n\n{}")
    }

    static func cases(port: Int) -> [(name: String, bytes: [UInt8])] {
        let head = "Host: 127.0.0.1:\(port)\nContent-Type: application/json\n"
        return [
            ("NUL at the end of X-Amz-Target", listRecipes(port: port, target: "AmazonPersonalize.ListRecipes\u{0}")),
            ("a bare CR in a header", listRecipes(port: port, target: "AmazonPersonalize.List\rRecipes")),
            ("a header name with a space", listRecipes(port: port, extraHeaders: "Bad Header: 1\n")),
            ("no request line", RawHTTP.crlf("HELLO\n\n")),
            ("an unknown method", RawHTTP.crlf("BREW / HTTP/1.1\n\(head)\n")),
            (
                "a Content-Length that is not a number",
                RawHTTP.crlf("POST /events HTTP/1.1\n\(head)Content-Length: abc\n\n")
            ),
            (
                "a Content-Length beyond 64 bits",
                RawHTTP.crlf("POST /events HTTP/1.1\n\(head)Content-Length: 99999999999999999999999\n\n{}")
            ),
            ("a negative Content-Length", RawHTTP.crlf("POST /events HTTP/1.1\n\(head)Content-Length: -1\n\n{}")),
            (
                "two different Content-Lengths",
                RawHTTP.crlf("POST /events HTTP/1.1\n\(head)Content-Length: 2\nContent-Length: 3\n\n{}")
            ),
            (
                "a bad chunk size after the head",
                RawHTTP.crlf("POST /events HTTP/1.1\n\(head)Transfer-Encoding: chunked\n\nzz\n{}\n0\n\n")
            ),
            ("a body cut short", RawHTTP.crlf("POST /events HTTP/1.1\n\(head)Content-Length: 100\n\n{\"trackingId\"")),
            ("a head cut short", RawHTTP.crlf("POST / HTTP/1.1\nHost: 127.0.0.1:\(port)\nContent-")),
            (
                "a 100 kB header",
                listRecipes(port: port, extraHeaders: "X-Big: \(String(repeating: "a", count: 100_000))\n")
            ),
            ("a version that is not HTTP/1", RawHTTP.crlf("POST / HTTP/9.9\n\(head)Content-Length: 0\n\n")),
            // NIO reads nothing after a CONNECT head: unanswered, the connection would wait forever.
            ("a CONNECT request", RawHTTP.crlf("CONNECT / HTTP/1.1\n\(head)Content-Length: 2\n\n{}")),
            ("a CONNECT to an authority", RawHTTP.crlf("CONNECT 127.0.0.1:443 HTTP/1.1\nHost: 127.0.0.1:\(port)\n\n")),
        ]
    }

    @Test(.tags(.medium)) func everyUnreadableRequestGetsTheAWSErrorShape() async throws {
        let harness = try ServerHarness()
        try await harness.test(.live) { client in
            let port = try #require(client.port)
            let outcomes = try await RawHTTP.onThread {
                try Self.cases(port: port).map { ($0.name, try RawHTTP.exchangeAll($0.bytes, port: port)) }
            }
            for (name, responses) in outcomes {
                let response = try #require(responses.first, "\(name): no answer")
                #expect((400..<500).contains(response.status), "\(name): \(response.status)")
                if name.contains("CONNECT") {
                    // NIO sends an answer to CONNECT without a body (RFC 9112 §6.3): the type is in the header.
                    #expect(response.header("x-amzn-ErrorType") == "SerializationException", "\(name)")
                } else {
                    #expect(response.hasAWSErrorShape, "\(name): \(String(decoding: response.body, as: UTF8.self))")
                }
                #expect(response.header("x-amzn-RequestId") != nil, "\(name)")
                #expect(responses.count == 1, "\(name): \(responses.map(\.status))")
            }
            let big = try #require(outcomes.first { $0.0 == "a 100 kB header" }?.1.first)
            #expect(big.status == 431, "\(String(decoding: big.body, as: UTF8.self))")
            let nul = try #require(outcomes.first?.1.first)
            #expect(nul.json?["__type"] as? String == "SerializationException")
            let healthy = try await RawHTTP.onThread { try RawHTTP.exchange(Self.listRecipes(port: port), port: port) }
            #expect(healthy?.status == 200)
        }
    }

    @Test(.tags(.medium)) func aValidRequestAfterAMalformedOneOnAnotherConnectionIsServed() async throws {
        let harness = try ServerHarness()
        try await harness.test(.live) { client in
            let port = try #require(client.port)
            let pipelined = try await RawHTTP.onThread {
                try RawHTTP.exchangeAll(
                    Self.listRecipes(port: port) + Self.listRecipes(port: port, target: "Amazon\u{0}"), port: port)
            }
            #expect(pipelined.map(\.status) == [200, 400])
            #expect(pipelined.last?.hasAWSErrorShape == true)
            #expect(try await client.control("ListRecipes", "{}").status == .ok)
        }
    }

    /// An answer to HEAD carries no body, so a control-plane error names itself in `x-amzn-ErrorType` there.
    @Test(.tags(.medium)) func anErrorAnsweringHEADNamesItselfInTheHeader() async throws {
        let harness = try ServerHarness()
        try await harness.test(.live) { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-amz-json-1.1"
            headers[.amzTarget] = "AmazonPersonalize.DescribeFilter"
            let response = try await client.execute(
                uri: "/", method: .head, headers: headers, body: ByteBuffer(string: #"{"filterArn": "nope"}"#))
            #expect(response.status.code >= 400)
            #expect(response.headers[.amznErrorType]?.isEmpty == false, "\(response.headers)")
        }
    }
}
