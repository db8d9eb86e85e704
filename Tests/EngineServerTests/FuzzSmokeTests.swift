import Foundation
import TailorTestSupport
import Testing

/// The short version of `Benchmarks/fuzz`: the same fuzzer (`RobustnessBenchmark fuzz`), a few thousand
/// inputs. It fails on any crash, hang or answer of the wrong shape (an HTTP error without an AWS-shaped
/// body, an in-process refusal of the wrong type or without a position); the findings folder it names
/// holds the inputs.
@Suite(.serialized) struct FuzzSmokeTests {
    /// Runs `RobustnessBenchmark arguments...`; returns its exit status and output.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let directory = try TemporaryDirectory("tailor-fuzz-smoke")
        defer { directory.remove() }
        return try TailorProcess.runLogged(
            TailorProcess.robustnessBenchmark(),
            arguments + [
                "--tailor", try TailorProcess.binary().path, "--work",
                directory.url.appendingPathComponent("work").path,
                "--findings", NSTemporaryDirectory() + "tailor-fuzz-findings-\(getpid())",
            ], in: directory.url)
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
