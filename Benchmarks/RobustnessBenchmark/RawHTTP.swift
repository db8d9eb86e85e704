import Foundation
import TailorTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP response as read off the socket.
struct RawResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Whether the server said it will close the connection.
    var closes: Bool { header("connection")?.lowercased() == "close" }
}

/// How reading an answer ended.
enum ReadOutcome {
    case response(RawResponse)
    /// The connection closed (or was reset) before a whole response arrived.
    case closed(partial: [UInt8])
    case timeout
}

/// A blocking TCP connection to 127.0.0.1 that sends any bytes and reads HTTP/1.1 responses, so that the
/// fuzzer can send what no HTTP library would (NUL bytes in headers, wrong Content-Length, garbage).
final class RawConnection {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var isOpen = true

    init(port: Int, timeout: Double = 5) throws {
        do {
            descriptor = try LoopbackSocket.connect(port: port)
        } catch {
            throw RawHTTPError(error.description)
        }
    }

    deinit { close() }

    func close() {
        if isOpen {
            isOpen = false
            Glibc.close(descriptor)
        }
    }

    /// Writes all of `bytes`; false when the peer closed or reset the connection first (the server may
    /// answer before reading a whole body, so the caller still reads).
    @discardableResult
    func send(_ bytes: [UInt8], timeout: Double) -> Bool {
        var offset = 0
        let deadline = Date().addingTimeInterval(timeout)
        while offset < bytes.count {
            guard wait(for: Int16(POLLOUT), until: deadline) else { return false }
            let written = bytes.withUnsafeBytes { raw in
                Glibc.send(
                    descriptor, raw.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Tells the server no more bytes will come.
    func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads one response (a HEAD request's has no body).
    func readResponse(timeout: Double, head: Bool = false) -> ReadOutcome {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let response = parse(head: head) { return .response(response) }
            guard wait(for: Int16(POLLIN), until: deadline) else { return .timeout }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, 65_536, Int32(MSG_DONTWAIT)) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            if count <= 0 {
                // A response delimited by the end of the connection.
                if let response = parse(head: head, atEnd: true) { return .response(response) }
                return .closed(partial: buffer)
            }
            buffer += chunk[0..<count]
        }
    }

    private func wait(for event: Int16, until deadline: Date) -> Bool {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return false }
            var descriptorSet = pollfd(fd: descriptor, events: event, revents: 0)
            let ready = poll(&descriptorSet, 1, Int32(min(remaining * 1000, 1000)) + 1)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return true }  // let the read or write report the error
        }
    }

    /// A whole response at the start of the buffer (removed from it), if one has arrived.
    private func parse(head: Bool, atEnd: Bool = false) -> RawResponse? {
        guard let headerEnd = find([13, 10, 13, 10], in: buffer) else { return nil }
        let lines = String(decoding: buffer[0..<headerEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            return atEnd ? RawResponse(status: 0, headers: [], body: buffer) : nil
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = RawResponse(status: status, headers: headers, body: [])
        let bodyStart = headerEnd + 4
        if head || status == 204 || status == 304 || (100..<200).contains(status) {
            buffer.removeSubrange(0..<bodyStart)
            if (100..<200).contains(status) { return parse(head: head, atEnd: atEnd) }
            return response
        }
        if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
            guard let (body, end) = dechunk(from: bodyStart) else { return nil }
            response.body = body
            buffer.removeSubrange(0..<end)
            return response
        }
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            guard buffer.count >= bodyStart + length else { return nil }
            response.body = Array(buffer[bodyStart..<bodyStart + length])
            buffer.removeSubrange(0..<bodyStart + length)
            return response
        }
        guard atEnd else { return nil }
        response.body = Array(buffer[bodyStart...])
        buffer.removeAll()
        return response
    }

    private func dechunk(from start: Int) -> ([UInt8], Int)? {
        var body: [UInt8] = []
        var position = start
        while true {
            guard let lineEnd = find([13, 10], in: buffer, from: position) else { return nil }
            let sizeText = String(decoding: buffer[position..<lineEnd], as: UTF8.self).split(separator: ";").first
            guard let size = Int(sizeText.map(String.init) ?? "", radix: 16) else { return (body, buffer.count) }
            position = lineEnd + 2
            if size == 0 {
                guard let end = find([13, 10], in: buffer, from: position) else { return nil }
                return (body, end + 2)
            }
            guard buffer.count >= position + size + 2 else { return nil }
            body += buffer[position..<position + size]
            position += size + 2
        }
    }
}

func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
    guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    var index = start
    while index <= haystack.count - needle.count {
        if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle { return index }
        index += 1
    }
    return nil
}

struct RawHTTPError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
