import Foundation
import TailorTestSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes over a plain TCP socket to a server on 127.0.0.1, for requests no HTTP client would send: raw
/// malformed heads, NUL bytes in headers, lying `Content-Length`s.
enum RawHTTP {
    /// A response as read off the socket.
    struct Response {
        let status: Int
        /// Header names lowercased, in order.
        let headers: [(name: String, value: String)]
        let body: Data

        func header(_ name: String) -> String? {
            headers.first { $0.name == name.lowercased() }?.value
        }

        /// The body as a JSON object (nil when it is not one).
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        }

        /// Whether it is an error in the AWS JSON shape: `{"__type": ..., "message": ...}`, both strings.
        var hasAWSErrorShape: Bool {
            guard let json, let type = json["__type"] as? String, !type.isEmpty else { return false }
            return json["message"] is String
        }
    }

    enum Failure: Error {
        case socket(String)
        case unreadable(String)
    }

    /// Sends `bytes`, closes the sending side, and reads until the server closes the connection (waiting up to
    /// `timeout` seconds: the whole suite shares two cores, so an answer may wait seconds for a thread).
    ///
    /// - Returns: The first response, or nil when the server closed without answering.
    static func exchange(_ bytes: [UInt8], port: Int, timeout: Int = 60) throws -> Response? {
        try exchangeAll(bytes, port: port, timeout: timeout).first
    }

    /// Like ``exchange(_:port:timeout:)``, with every response the server wrote, in order.
    static func exchangeAll(_ bytes: [UInt8], port: Int, timeout: Int = 60) throws -> [Response] {
        var received = try roundTrip(bytes, port: port, timeout: timeout)[...]
        var responses: [Response] = []
        while !received.isEmpty {
            let (response, length) = try parse(received)
            responses.append(response)
            received = received.dropFirst(length)
        }
        return responses
    }

    /// Runs the blocking `work` on a thread of its own, off the cooperative pool that the server's handlers need.
    static func onThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }

    /// `text` with `\n` line ends made `\r\n`.
    static func crlf(_ text: String) -> [UInt8] {
        Array(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    private static func roundTrip(_ bytes: [UInt8], port: Int, timeout: Int) throws -> [UInt8] {
        let fd: Int32
        do {
            fd = try LoopbackSocket.connect(port: port)
        } catch {
            throw Failure.socket(error.description)
        }
        defer { close(fd) }
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { break }  // the server may close before reading everything
            sent += written
        }
        shutdown(fd, Int32(SHUT_WR))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 || errno == ECONNRESET {
                break
            } else {
                throw Failure.socket("no answer within \(timeout) s (errno \(errno))")
            }
        }
        return received
    }

    /// The first response in `bytes` (status line, headers, a `Content-Length` body) and how many bytes it took.
    static func parse(_ bytes: ArraySlice<UInt8>) throws -> (Response, Int) {
        let bytes = Array(bytes)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard bytes.count >= 4,
            let end = (0...(bytes.count - 4)).first(where: { bytes[$0..<($0 + 4)].elementsEqual(separator) })
        else { throw Failure.unreadable(String(decoding: bytes.prefix(200), as: UTF8.self)) }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, head[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw Failure.unreadable(head[0])
        }
        let headers = head.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return (line[..<colon].lowercased(), value)
        }
        let bodyStart = end + 4
        let declared = headers.first { $0.name == "content-length" }.flatMap { Int($0.value) }
        let bodyEnd = min(bytes.count, bodyStart + max(0, declared ?? (bytes.count - bodyStart)))
        return (Response(status: status, headers: headers, body: Data(bytes[bodyStart..<bodyEnd])), bodyEnd)
    }
}
