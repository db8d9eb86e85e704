import Foundation

/// Paths inside the repository this benchmark was built from, and running its helper scripts.
enum Repository {
    /// The repository root: three levels above this source file.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Runs a program to completion and returns its standard output; throws with its standard error on failure.
    static func run(_ executable: String, _ arguments: [String], echo: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = echo ? FileHandle.standardError : errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = echo ? Data() : errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).suffix(2000)
            throw BenchmarkError("\(executable) \(arguments.joined(separator: " ")) failed:\n\(message)")
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    /// Makes sure `directory/interactions.csv` exists, running `script arguments…` to create it otherwise.
    static func ensureData(in directory: String, creatingWith script: String, _ arguments: [String]) throws {
        let file = (directory as NSString).appendingPathComponent("interactions.csv")
        guard !FileManager.default.fileExists(atPath: file) else { return }
        print("\(file) is missing; running \(script)…")
        _ = try run("python3", [path(script), directory] + arguments, echo: true)
    }

    /// A fresh path in the temporary folder.
    static func temporaryFile(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "recipes-benchmark-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }
}
