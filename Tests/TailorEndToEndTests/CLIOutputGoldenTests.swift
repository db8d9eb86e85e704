import Foundation
import TailorTestSupport
import Testing

/// The `tailor` binary's human output (with `NO_COLOR`), word for word, against the golden files in
/// `Golden/`: validation errors with their positions, a fresh plan, apply's progress lines, the plan after
/// apply, and a few errors.
///
/// When the output changes on purpose, rewrite the goldens and review their diff:
///
///     TAILOR_UPDATE_GOLDEN=1 swift test --skip-build --filter CLIOutputGoldenTests
///
/// Only what varies from run to run is normalised (see ``GoldenTranscript/normalise(_:)``).
@Suite(.tags(.large)) struct CLIOutputGoldenTests {
    /// ``SmallProject`` with a popularity solution and its campaign: trains in well under a second.
    static let project = SmallProject.manifests + "---\n" + popular()

    /// Three mistakes in three documents, each reported at its line and column.
    static let invalidProject = """
        apiVersion: tailor/v1
        kind: DatasetGroup
        metadata: {name: small}
        ---

        """ + popular(recipe: "aws-popularity-cont", performAutoTraining: "maybe", campaignOf: "small-unpopular")

    /// The popularity solution `small-popular` on the dataset group `small` and its campaign, serving the
    /// solution `campaignOf`.
    static func popular(
        recipe: String = "aws-popularity-count", performAutoTraining: String = "false",
        campaignOf solution: String = "small-popular"
    ) -> String {
        """
        apiVersion: tailor/v1
        kind: Solution
        metadata: {name: small-popular}
        spec:
          datasetGroup: small
          recipe: \(recipe)
          performAutoTraining: \(performAutoTraining)
        ---
        apiVersion: tailor/v1
        kind: Campaign
        metadata: {name: small-popular}
        spec:
          solution: \(solution)
          minProvisionedTPS: 1

        """
    }

    @Test func validateReportsEveryErrorAtItsPosition() throws {
        let workspace = try TemporaryDirectory("tailor-golden")
        defer { workspace.remove() }
        try workspace.write("m/resources.yaml", Self.invalidProject)

        try GoldenTranscript.check("validate-errors", ["validate", "m"], in: workspace)
    }

    @Test func planApplyAndPlanAgain() throws {
        let workspace = try TemporaryDirectory("tailor-golden")
        defer { workspace.remove() }
        try workspace.write("m/data/interactions.csv", SyntheticData().interactionsCSV())
        try workspace.write("m/resources.yaml", Self.project)

        try GoldenTranscript.check("plan-fresh", ["plan", "m"], in: workspace)
        try GoldenTranscript.check("apply-progress", ["apply", "--auto-approve", "m"], in: workspace)
        try GoldenTranscript.check("plan-no-changes", ["plan", "m"], in: workspace)
    }

    @Test func anUnknownFlagShowsTheUsage() throws {
        let workspace = try TemporaryDirectory("tailor-golden")
        defer { workspace.remove() }
        try workspace.write("m/resources.yaml", Self.project)

        try GoldenTranscript.check("error-unknown-flag", ["plan", "--frobnicate", "m"], in: workspace)
    }

    @Test func aMissingFolderIsAnError() throws {
        let workspace = try TemporaryDirectory("tailor-golden")
        defer { workspace.remove() }

        try GoldenTranscript.check("error-missing-folder", ["apply", "--auto-approve", "nowhere"], in: workspace)
    }
}

/// One run of `tailor` written as a transcript (command, exit status, standard output, standard error) and
/// compared with `Golden/<name>.txt`, or written there when `TAILOR_UPDATE_GOLDEN=1`.
enum GoldenTranscript {
    /// Runs `tailor arguments` in `workspace` and compares its normalised transcript with the golden file.
    static func check(
        _ name: String, _ arguments: [String], in workspace: TemporaryDirectory,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try TailorProcess.run(arguments, in: workspace.url)
        let transcript = normalise(
            """
            $ tailor \(arguments.joined(separator: " "))
            exit status: \(result.status)
            --- stdout
            \(result.stdout)--- stderr
            \(result.stderr)
            """
            .replacingOccurrences(of: workspace.path, with: "<workspace>"))
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Golden/\(name).txt")
        if ProcessInfo.processInfo.environment["TAILOR_UPDATE_GOLDEN"] == "1" {
            try transcript.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(
            transcript == expected,
            "\(name): the output differs from Golden/\(name).txt (TAILOR_UPDATE_GOLDEN=1 rewrites it)",
            sourceLocation: sourceLocation)
    }

    /// What varies between runs of the same command, made fixed:
    /// - durations such as `(0.1s)` become `(<duration>)`;
    /// - the in-between statuses a wait happens to observe (`…: CREATE IN_PROGRESS (0.0s)`) are dropped: how
    ///   many polls a wait takes depends on timing, the final status does not;
    /// - apply's progress lines are grouped by resource, in plan order: resources that do not depend on each
    ///   other are applied concurrently, so their lines interleave differently from run to run (the order of
    ///   each resource's own lines is kept).
    static func normalise(_ transcript: String) -> String {
        var lines = transcript.components(separatedBy: "\n")
            .map { $0.replacing(/\(\d+(\.\d+)?s\)/, with: "(<duration>)") }
            .filter { $0.firstMatch(of: /: [A-Z]+ (PENDING|IN_PROGRESS) \(<duration>\)$/) == nil }

        // The plan lists each resource as `  # <address> will be …`; progress lines start `<address>: `.
        let order = lines.compactMap { line in
            line.firstMatch(of: #/^  # (\S+) will be /#).map { String($0.output.1) }
        }
        let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        func address(_ line: String) -> Int? {
            line.firstMatch(of: #/^(\S+): /#).flatMap { rank[String($0.output.1)] }
        }
        var start = 0
        while start < lines.count {
            guard address(lines[start]) != nil else {
                start += 1
                continue
            }
            var end = start
            while end < lines.count, address(lines[end]) != nil { end += 1 }
            let block = lines[start..<end].enumerated()
                .map { (rank: address($0.element) ?? 0, offset: $0.offset, line: $0.element) }
                .sorted { ($0.rank, $0.offset) < ($1.rank, $1.offset) }
            lines.replaceSubrange(start..<end, with: block.map(\.line))
            start = end
        }
        return lines.joined(separator: "\n")
    }
}
