import Foundation
import TailorTestSupport
import Testing

/// The short version of `Benchmarks/fuzz`: the same fuzzer (`RobustnessBenchmark fuzz`), a few thousand
/// inputs. It fails on any crash, hang or answer of the wrong shape (an HTTP error without an AWS-shaped
/// body, an in-process refusal of the wrong type or without a position); the findings folder it names
/// holds the inputs.
@Suite(.serialized) struct FuzzSmokeTests {
    /// `RobustnessBenchmark` beside the test bundle (SwiftPM builds every product into one folder).
    static func benchmark() throws -> URL {
        let tailor = try TailorProcess.binary()
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

    /// Runs `RobustnessBenchmark arguments...`; returns its exit status and output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let directory = try TemporaryDirectory("tailor-fuzz-smoke")
        defer { directory.remove() }
        let process = Process()
        process.executableURL = try benchmark()
        process.arguments =
            arguments + [
                "--tailor", try TailorProcess.binary().path, "--work",
                directory.url.appendingPathComponent("work").path,
                "--findings", NSTemporaryDirectory() + "tailor-fuzz-findings-\(getpid())",
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
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    @Test(.tags(.medium)) func twoThousandHTTPInputsGetAnAWSShapedAnswerAndNeverCrashOrHang() throws {
        let result = try Self.run(["fuzz", "--targets", "http", "--inputs", "2000", "--seed", "1", "--timeout", "10"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("http "), "\(result.output)")
    }

    @Test(.tags(.medium)) func parsersRefuseThousandsOfInputsInTheirOwnErrors() throws {
        let result = try Self.run([
            "fuzz", "--targets", "csv,filter,schema,manifest,state", "--inputs", "3000", "--seed", "1",
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("manifest "), "\(result.output)")
    }
}
