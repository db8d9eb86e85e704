public import Foundation

/// A `tailor serve --port 0` process on a temporary data folder, as a user starts it.
public final class ServeProcess {
    public let port: Int
    public let directory: TemporaryDirectory
    private let process: Process

    /// The URL the server printed.
    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Starts the built `tailor` and waits for the `Listening on URL` line.
    public init(arguments: [String] = [], environment: [String: String] = [:]) throws {
        directory = try TemporaryDirectory("tailor-serve")
        let log = directory.url.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = try TailorProcess.binary()
        process.arguments =
            ["serve", "--port", "0", "--data-dir", directory.url.appendingPathComponent("data").path] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("Listening on http://127.0.0.1:"),
            let port = Int(line.split(separator: ":").last ?? "")
        else {
            process.waitUntilExit()
            let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw ServeError(message: "tailor serve did not start: stdout '\(text)', stderr '\(errors)'")
        }
        self.port = port
    }

    /// Sends SIGTERM, waits for the process to exit and returns its status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends `signal` (e.g. SIGKILL: no chance to clean up) and waits for the process to end.
    public func kill(_ signal: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
        process.waitUntilExit()
    }

    /// What the server wrote to standard error.
    public var log: String {
        (try? String(contentsOf: directory.url.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        directory.remove()
    }
}

public struct ServeError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
