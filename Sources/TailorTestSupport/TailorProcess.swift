public import Foundation

/// Runs the built `tailor` executable, as a user would.
public enum TailorProcess {
    /// The output of one run.
    public struct Result: Sendable {
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }

        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The `tailor` binary beside the test bundle (SwiftPM builds products and tests into one folder).
    public static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["TAILOR_BINARY"] { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("tailor")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw CocoaError(
            .fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "tailor binary not found; swift build first"])
    }

    /// `tailor arguments...` in `directory`, not yet started, with `NO_COLOR` and `environment` added to this
    /// process's environment.
    private static func tailor(
        _ arguments: [String], in directory: URL, environment: [String: String]
    ) throws -> Process {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        process.environment = env
        return process
    }

    /// Runs `tailor arguments...` in `directory` and waits for it.
    public static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws -> Result {
        let process = try tailor(arguments, in: directory, environment: environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// `RobustnessBenchmark` (the fuzz and kill -9 soak benchmarks) beside the `tailor` binary: SwiftPM builds
    /// every product into one folder.
    public static func robustnessBenchmark() throws -> URL {
        let tailor = try binary()
        let candidate = tailor.deletingLastPathComponent().appendingPathComponent("RobustnessBenchmark")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [
                    NSLocalizedDescriptionKey: "RobustnessBenchmark not found beside \(tailor.path); swift build first"
                ])
        }
        return candidate
    }

    /// Runs `executable arguments...` and waits for it, its standard output and error going to one file in
    /// `directory` (a long run's output does not fill a pipe); returns its exit status and that output.
    public static func runLogged(
        _ executable: URL, _ arguments: [String], in directory: URL
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = directory.appendingPathComponent("output.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    /// Starts `tailor arguments...` in `directory` without waiting, collecting its output as it comes.
    public static func start(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws -> Running {
        let process = try tailor(arguments, in: directory, environment: environment)
        let running = Running(process: process)
        let out = Pipe()
        let err = Pipe()
        out.fileHandleForReading.readabilityHandler = { running.append($0.availableData, error: false) }
        err.fileHandleForReading.readabilityHandler = { running.append($0.availableData, error: true) }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return running
    }

    /// A `tailor` process started by ``start(_:in:environment:)``.
    public final class Running: @unchecked Sendable {  // @unchecked: the buffers are only touched under `lock`.
        private let process: Process
        private let lock = NSLock()
        private var stdout = Data()
        private var stderr = Data()

        init(process: Process) {
            self.process = process
        }

        func append(_ data: Data, error: Bool) {
            lock.lock()
            if error { stderr.append(data) } else { stdout.append(data) }
            lock.unlock()
        }

        /// The process ID.
        public var pid: Int32 { process.processIdentifier }

        /// Whether the process is still running.
        public var isRunning: Bool { process.isRunning }

        /// Standard output so far.
        public var output: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: stdout, as: UTF8.self)
        }

        /// Standard error so far.
        public var errorOutput: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: stderr, as: UTF8.self)
        }

        /// Waits until standard output contains `text` (true), or the process ends or `timeout` seconds pass
        /// without it (false).
        public func waitForOutput(containing text: String, timeout: Double = 120) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if output.contains(text) { return true }
                if !process.isRunning { return output.contains(text) }
                usleep(2_000)
            }
            return false
        }

        /// Sends `signal` (SIGKILL by default) and waits for the process to end.
        public func kill(_ signal: Int32 = SIGKILL) {
            if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
            process.waitUntilExit()
        }

        /// Waits for the process to end and returns its exit status and output.
        public func wait() -> Result {
            process.waitUntilExit()
            usleep(20_000)  // let the readability handlers drain the pipes
            return Result(status: process.terminationStatus, stdout: output, stderr: errorOutput)
        }
    }

    /// Copies the repository's `examples/NAME` (manifests and scripts, not fetched data or state) to `target`.
    public static func copyExample(_ name: String, to target: URL, file: String = #filePath) throws {
        let source = Repository.root(file: file).appendingPathComponent("examples/\(name)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for entry in try FileManager.default.contentsOfDirectory(atPath: source.path)
        where entry != "data" && !entry.hasPrefix(".") {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(entry), to: target.appendingPathComponent(entry))
        }
    }
}
