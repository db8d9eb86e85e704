import Foundation

extension EngineHarness {
    /// Runs a batch job (inference or segment) over `lines` and returns its settled status and its output lines,
    /// parsed (lines that are not JSON objects left out).
    ///
    /// - Parameters:
    ///   - input: The input file's path in the harness's folder (its output is `<folder>/out/<file>.out`).
    ///   - lines: The input's JSON Lines.
    ///   - create: Creates the job from the input file's and the output folder's paths; returns its ARN.
    ///   - status: The status of the job `arn` (its Describe operation).
    public func runBatchJob(
        input: String, lines: [String], create: (_ input: String, _ output: String) async throws -> String,
        status: @escaping @Sendable (_ arn: String) async throws -> String?
    ) async throws -> (String?, [[String: Any]]) {
        let inputFile = try directory.write(input, lines.joined(separator: "\n") + "\n")
        let output = inputFile.deletingLastPathComponent().appendingPathComponent("out")
        let arn = try await create(inputFile.path, output.path)
        let settled = try await Self.settle { try await status(arn) }
        let outputFile = output.appendingPathComponent(inputFile.lastPathComponent + ".out")
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        let parsed = text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        return (settled, parsed)
    }
}
