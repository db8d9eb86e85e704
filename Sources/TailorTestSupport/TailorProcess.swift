public import Foundation

/// Runs the built `tailor` executable, as a user would.
public enum TailorProcess {
    /// The output of one run.
    public struct Result: Sendable {
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

    /// Runs `tailor arguments...` in `directory` and waits for it.
    public static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        process.environment = env
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

    /// Copies the repository's `examples/NAME` (manifests and scripts, not fetched data or state) to `target`.
    public static func copyExample(_ name: String, to target: URL, file: String = #filePath) throws {
        var root = URL(fileURLWithPath: file)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let source = root.appendingPathComponent("examples/\(name)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for entry in try FileManager.default.contentsOfDirectory(atPath: source.path)
        where entry != "data" && !entry.hasPrefix(".") {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(entry), to: target.appendingPathComponent(entry))
        }
    }
}
