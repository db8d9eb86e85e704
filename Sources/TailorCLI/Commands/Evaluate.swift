import ArgumentParser
import Engine
import EngineAPI
import Foundation
import PersonalizeRules

extension TailorCommand {
    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an HTML report of the solutions' offline metrics, with charts.",
            discussion: """
                For each solution (all of them, or those named with --solution), its latest ACTIVE solution \
                version: metrics at K side by side, coverage, the popularity of recommended items against \
                interacted items, and the training loss per sweep. The page is self-contained (inline SVG).
                """)

        @Option(name: .customLong("solution"), help: "A solution to report on, by name or ARN (repeatable).")
        var solutions: [String] = []

        @Option(name: [.customShort("o"), .customLong("out")], help: "The HTML file to write.")
        var output = "tailor-report.html"

        @OptionGroup var engineOptions: EngineOptions

        func validate() throws {
            try engineOptions.requireEmbedded("evaluate reads the embedded engine's model files")
        }

        func run() async throws {
            let engine = try engineOptions.openEmbeddedEngine()
            let versions = try await CommandErrors.reporting { try await latestVersions(engine) }
            guard !versions.isEmpty else {
                throw ValidationError("no solution has an ACTIVE solution version to report on")
            }
            var reports: [EvaluationReport] = []
            for version in versions {
                reports.append(
                    try await CommandErrors.reporting { try await engine.evaluationReport(solutionVersionArn: version) }
                )
            }
            let html = EvaluationHTML.render(reports, generatedAt: Date())
            let url = URL(fileURLWithPath: output)
            do {
                try Data(html.utf8).write(to: url, options: .atomic)
            } catch {
                throw ValidationError("cannot write \(url.path): \(error.localizedDescription)")
            }
            for report in reports {
                let shown = [
                    ("NDCG@10", "normalized_discounted_cumulative_gain_at_10"), ("coverage", "coverage"),
                    ("AUC", "auc"),
                ].compactMap { label, key in report.metrics[key].map { "\(label) \(String(format: "%.4f", $0))" } }
                print("\(report.solutionName) (\(report.recipe)): \(shown.joined(separator: ", "))")
            }
            print("Wrote \(url.path)")
        }

        /// The newest ACTIVE version of each selected solution.
        private func latestVersions(_ engine: LocalEngine) async throws -> [String] {
            var all: [SolutionSummary] = []
            var token: String?
            repeat {
                let page = try await engine.send(ListSolutionsRequest(nextToken: token, maxResults: 100))
                all += page.solutions ?? []
                token = page.nextToken
            } while token != nil
            var chosen = all
            if !solutions.isEmpty {
                chosen = try solutions.map { wanted in
                    guard let match = all.first(where: { $0.name == wanted || $0.solutionArn == wanted }) else {
                        let names = all.compactMap(\.name).sorted().joined(separator: ", ")
                        throw ValidationError("no solution named '\(wanted)'; solutions: \(names)")
                    }
                    return match
                }
            }
            var versions: [String] = []
            for solution in chosen.sorted(by: { ($0.name ?? "") < ($1.name ?? "") }) {
                let listed =
                    try await engine.send(
                        ListSolutionVersionsRequest(solutionArn: solution.solutionArn, maxResults: 100)
                    ).solutionVersions ?? []
                let active = listed.filter { $0.status == Status.active }
                    .max { ($0.creationDateTime ?? .distantPast) < ($1.creationDateTime ?? .distantPast) }
                if let arn = active?.solutionVersionArn { versions.append(arn) }
            }
            return versions
        }
    }
}
