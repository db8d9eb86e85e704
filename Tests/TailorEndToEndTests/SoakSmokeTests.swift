import Foundation
import TailorTestSupport
import Testing

/// The short version of `Benchmarks/kill-soak`: three trials of kill -9 during a stream of PutEvents against
/// the built `tailor serve`. It fails if the database is corrupt after a kill, an event acknowledged with 200
/// is missing, or anything is left pending.
@Suite(.serialized) struct SoakSmokeTests {
    @Test func threeKillsDuringPutEventsLoseNoAcknowledgedEvent() throws {
        let tailor = try TailorProcess.binary()
        let benchmark = tailor.deletingLastPathComponent().appendingPathComponent("RobustnessBenchmark")
        #expect(FileManager.default.isExecutableFile(atPath: benchmark.path), "swift build first")
        let directory = try TemporaryDirectory("tailor-soak-smoke")
        defer { directory.remove() }
        let process = Process()
        process.executableURL = benchmark
        process.arguments = [
            "soak", "--scenarios", "events", "--trials", "3", "--tailor", tailor.path, "--work",
            directory.url.appendingPathComponent("work").path,
        ]
        let output = directory.url.appendingPathComponent("output.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("events: 3 trials"), "\(text)")
    }
}
