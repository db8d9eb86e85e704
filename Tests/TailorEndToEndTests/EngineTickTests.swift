import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

/// `tailor engine tick` through the built binary: nothing is due right after a solution is created;
/// with the clock moved past the first slot (`TAILOR_NOW`) it trains one AUTOTRAIN version and waits
/// for it; a second tick in the same slot starts nothing.
@Suite struct EngineTickTests {
    @Test func tickTrainsWhatIsDueOnce() async throws {
        let data: URL
        let solutionArn: String
        let workspace = try TemporaryDirectory("tailor-tick")
        defer { workspace.remove() }
        do {
            let harness = try EngineHarness(limits: EngineLimits())
            let (group, _, status) = try await harness.importInteractions(
                SyntheticData(users: 120, items: 60).interactionsCSV(perUser: 15))
            #expect(status == "ACTIVE")
            solutionArn =
                try await harness.engine.send(
                    CreateSolutionRequest(
                        name: "daily", recipeArn: ARN.recipe("aws-popularity-count"), datasetGroupArn: group,
                        solutionConfig: SolutionConfig(
                            autoTrainingConfig: AutoTrainingConfig(schedulingExpression: "rate(1 day)")))
                ).solutionArn ?? ""
            data = harness.dataDirectory
        }

        let early = try TailorProcess.run(["engine", "tick", "--data-dir", data.path], in: workspace.url)
        #expect(early.status == 0, "\(early.stderr)")
        #expect(early.stdout.contains("\(solutionArn): not due; next slot"))
        #expect(early.stdout.contains("nothing due"))

        let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2 * 3600))
        let due = try TailorProcess.run(
            ["engine", "tick", "--data-dir", data.path], in: workspace.url, environment: ["TAILOR_NOW": later])
        #expect(due.status == 0, "\(due.stderr)")
        #expect(due.stdout.contains("started automatic training of \(solutionArn): \(solutionArn)/"))
        #expect(due.stdout.contains(": ACTIVE"))

        let again = try TailorProcess.run(
            ["engine", "tick", "--data-dir", data.path], in: workspace.url, environment: ["TAILOR_NOW": later])
        #expect(again.status == 0)
        #expect(again.stdout.contains("nothing due"), "\(again.stdout)")

        let garbled = try TailorProcess.run(
            ["engine", "tick", "--data-dir", data.path], in: workspace.url, environment: ["TAILOR_NOW": "soon"])
        #expect(garbled.status != 0)
        #expect(garbled.stderr.contains("TAILOR_NOW"))

        let engine = try EngineHarness.open(data, limits: EngineLimits())
        let versions = try await engine.send(ListSolutionVersionsRequest(solutionArn: solutionArn)).solutionVersions
        #expect(versions?.count == 1)
        #expect(versions?.first?.trainingMode == .autotrain)
        #expect(versions?.first?.trainingType == .automatic)
        #expect(versions?.first?.status == "ACTIVE")
    }
}
