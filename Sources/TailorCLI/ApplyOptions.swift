import ArgumentParser
import Foundation
import Planner

/// How apply runs and reports: approval, parallelism, and NDJSON progress for machines.
struct ApplyOptions: ParsableArguments {
    @Flag(name: .customLong("auto-approve"), help: "Apply without asking.")
    var autoApprove = false

    @Option(help: "How many operations may run at once (imports, trainings and deployments wait in parallel).")
    var parallelism = 10

    @Flag(
        help: ArgumentHelp(
            "Report progress as NDJSON messages (Terraform's machine-readable UI) instead of lines for people. "
                + "TAILOR_PROGRESS=ndjson does the same."))
    var json = false

    /// Whether progress is NDJSON.
    var isNDJSON: Bool { json || ProcessInfo.processInfo.environment["TAILOR_PROGRESS"] == "ndjson" }

    func validate() throws {
        guard parallelism >= 1 else { throw ValidationError("--parallelism must be at least 1") }
    }
}

/// Writes NDJSON messages to standard output, each stamped with the time.
struct NDJSONWriter: Sendable {
    func write(_ message: SpecValue) {
        guard case .map(var fields) = message else { return }
        fields["@timestamp"] = .string(Date().ISO8601Format(.iso8601.time(includingFractionalSeconds: true)))
        print(SpecValue.map(fields).canonicalJSON)
        fflush(nil)
    }
}
