import ArgumentParser
import Engine
import EngineAPI
import Foundation
import PersonalizeRules

extension TailorCommand {
    struct EngineTick: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tick",
            abstract: "Start the automatic training that is due, wait for it, and print what happened.",
            discussion: """
                For cron or CI when no `tailor serve` runs: solutions with performAutoTraining train on their \
                rate(N days) schedule (the first run one hour after the solution is created or its schedule \
                changes, and only if interaction data arrived since the last training); campaigns with \
                syncWithLatestSolutionVersion then move to the new version. Running it again, or more often \
                than needed, starts nothing twice. Exit 1 if a training it started failed.
                """)

        @OptionGroup var engineOptions: EngineOptions

        func validate() throws {
            try engineOptions.requireEmbedded("engine tick runs the embedded engine")
        }

        func run() async throws {
            let engine = try engineOptions.openEmbeddedEngine()
            let report = try await CommandErrors.reporting { try await engine.runDueAutoTraining() }
            for training in report.trainings {
                print("started automatic training of \(training.solutionArn): \(training.solutionVersionArn)")
            }
            for update in report.campaignUpdates {
                print("updating \(update.campaignArn) to \(update.solutionVersionArn)")
            }
            for recommender in report.recommenderRetrainings {
                print("started the weekly retraining of \(recommender)")
            }
            if engineOptions.verbose || report.trainings.isEmpty {
                for skipped in report.skipped {
                    let next = skipped.next.map { "; next slot \(Self.format($0))" } ?? ""
                    print("\(skipped.solutionArn): \(skipped.reason)\(next)")
                }
            }
            if report.trainings.isEmpty, report.campaignUpdates.isEmpty, report.recommenderRetrainings.isEmpty {
                print("nothing due")
                return
            }
            await engine.waitForBackgroundJobs()
            let failed = try await CommandErrors.reporting { try await Self.printOutcome(report, engine) }
            if failed { throw ExitCode.failure }
        }

        /// Prints the final status of each training and campaign update; returns whether a training failed.
        private static func printOutcome(_ report: AutoTrainingReport, _ engine: LocalEngine) async throws -> Bool {
            var failed = false
            for arn in report.recommenderRetrainings {
                let recommender = try await engine.send(DescribeRecommenderRequest(recommenderArn: arn)).recommender
                print("\(arn): \(recommender?.status ?? "unknown"), retrained")
            }
            var campaigns = report.campaignUpdates.map(\.campaignArn)
            for training in report.trainings {
                let version = try await engine.send(
                    DescribeSolutionVersionRequest(solutionVersionArn: training.solutionVersionArn)
                ).solutionVersion
                let status = version?.status ?? "unknown"
                print("\(training.solutionVersionArn): \(status)\(version?.failureReason.map { ": \($0)" } ?? "")")
                failed = failed || status != Status.active
                let listed = try await engine.send(ListCampaignsRequest(solutionArn: training.solutionArn))
                campaigns += (listed.campaigns ?? []).compactMap(\.campaignArn).filter { !campaigns.contains($0) }
            }
            for arn in campaigns {
                let campaign = try await engine.send(DescribeCampaignRequest(campaignArn: arn)).campaign
                guard let update = campaign?.latestCampaignUpdate, let version = update.solutionVersionArn,
                    report.trainings.contains(where: { $0.solutionVersionArn == version })
                        || report.campaignUpdates.contains(where: { $0.campaignArn == arn })
                else { continue }
                let outcome = update.status == Status.active ? "serves" : "could not move to"
                print("\(arn): \(outcome) \(version)\(update.failureReason.map { ": \($0)" } ?? "")")
            }
            return failed
        }

        private static func format(_ date: Date) -> String {
            ISO8601DateFormatter().string(from: date)
        }
    }
}
