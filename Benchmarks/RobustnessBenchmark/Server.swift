import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `tailor serve` child on a data folder, and the calls the benchmarks make to it.
final class Server {
    let child: Child
    let port: Int
    let dataDirectory: String
    let log: String

    /// Starts `tailor serve --port 0 --data-dir DIR` and waits for its `Listening on` line.
    init(
        tailor: String, dataDirectory: String, log: String, extraArguments: [String] = [], directory: String? = nil,
        environment: [String: String] = [:], timeout: Double = 120
    ) throws {
        self.dataDirectory = dataDirectory
        self.log = log
        let stdout = log + ".stdout"
        unlink(stdout)
        child = try Child(
            tailor,
            ["serve", "--port", "0", "--data-dir", dataDirectory, "--schedule-interval", "0"] + extraArguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, stdout: stdout, stderr: log,
            directory: directory)
        let deadline = Date().addingTimeInterval(timeout)
        var found: Int?
        while Date() < deadline, found == nil {
            if let text = try? String(contentsOfFile: stdout, encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Listening on http://") })
            {
                found = Int(line.split(separator: ":").last ?? "")
            } else if let ending = child.poll() {
                let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.suffix(2000) ?? ""
                throw RawHTTPError("tailor serve \(ending.description) before listening: \(tail)")
            } else {
                usleep(5_000)
            }
        }
        guard let found else {
            child.stop()
            throw RawHTTPError("tailor serve did not print its URL within \(Int(timeout)) s; see \(log)")
        }
        port = found
    }

    /// The data folder's SQLite database.
    var database: String { dataDirectory + "/engine.sqlite" }

    /// Calls a control-plane operation with a well-formed request; returns the status and the JSON object.
    func control(_ operation: String, _ body: [String: Any], timeout: Double = 60) throws -> (Int, [String: Any]) {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try call(
            "/", data, contentType: "application/x-amz-json-1.1",
            extra: "X-Amz-Target: AmazonPersonalize.\(operation)\r\n", timeout: timeout)
    }

    /// Calls a REST-JSON route (runtime and events) with a well-formed request.
    func rest(_ path: String, _ body: [String: Any], timeout: Double = 60) throws -> (Int, [String: Any]) {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try call(path, data, contentType: "application/json", extra: "", timeout: timeout)
    }

    private func call(_ path: String, _ body: Data, contentType: String, extra: String, timeout: Double) throws -> (
        Int, [String: Any]
    ) {
        let connection = try RawConnection(port: port)
        defer { connection.close() }
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\n\(extra)"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        connection.send(Array(head.utf8) + Array(body), timeout: timeout)
        switch connection.readResponse(timeout: timeout) {
        case .response(let response):
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            return (response.status, object)
        case .closed: throw RawHTTPError("\(path): the connection closed without an answer")
        case .timeout: throw RawHTTPError("\(path): no answer within \(Int(timeout)) s")
        }
    }

    /// Calls `operation` and fails unless it answers 200.
    @discardableResult
    func must(_ operation: String, _ body: [String: Any]) throws -> [String: Any] {
        let (status, object) = try control(operation, body)
        guard status == 200 else { throw RawHTTPError("\(operation) answered \(status): \(object)") }
        return object
    }

    /// The status (`?` when none) and failure reason (empty when none) that `describe` (a Describe operation,
    /// whose request names the resource by `key` and whose response holds it in `member`) reports of `arn`.
    func status(
        _ describe: String, key: String, arn: String, member: String
    ) throws -> (status: String, reason: String) {
        let resource = try must(describe, [key: arn])[member] as? [String: Any]
        return (resource?["status"] as? String ?? "?", resource?["failureReason"] as? String ?? "")
    }

    /// Polls `Describe<kind>` until the resource's status is terminal; returns it.
    func waitUntilTerminal(
        _ describe: String, key: String, arn: String, member: String, timeout: Double = 600
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let status = try self.status(describe, key: key, arn: arn, member: member).status
            if status != "?", !status.contains("PENDING"), !status.contains("IN_PROGRESS") { return status }
            usleep(50_000)
        }
        throw RawHTTPError("\(arn) is not terminal after \(Int(timeout)) s")
    }

    /// Whether `GET /health` answers 200 within `timeout` seconds.
    func healthy(timeout: Double) -> Bool {
        guard let connection = try? RawConnection(port: port) else { return false }
        defer { connection.close() }
        let request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        guard connection.send(Array(request.utf8), timeout: timeout) else { return false }
        if case .response(let response) = connection.readResponse(timeout: timeout) { return response.status == 200 }
        return false
    }

    /// The Swift runtime's crash report in the log (from `*** Signal`), if the server crashed.
    var crashReport: String? {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8), let start = text.range(of: "*** Signal")
        else { return nil }
        return String(text[start.lowerBound...].prefix(6000))
    }

    /// The last `count` bytes of the server's standard error.
    func logTail(_ count: Int = 4000) -> String {
        String((try? String(contentsOfFile: log, encoding: .utf8))?.suffix(count) ?? "")
    }
}
