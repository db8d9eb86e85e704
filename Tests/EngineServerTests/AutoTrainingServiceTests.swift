import Engine
import EngineAPI
import EngineServer
import Foundation
import Logging
import TailorTestSupport
import Testing

/// The scheduler `tailor serve` runs: passes on its timer start what is due, once, and it stops when
/// its task is cancelled (as graceful shutdown does).
@Suite struct AutoTrainingServiceTests {
    @Test(.tags(.medium)) func startsDueTrainingOnItsTimerOnceAndStops() async throws {
        let clock = MovableClock(Date(timeIntervalSince1970: 1_750_000_000))
        let harness = try EngineHarness(clock: clock)
        let engine = harness.engine
        let (group, _, _) = try await harness.importInteractions(SyntheticData().interactionsCSV(perUser: 10))
        let solutionArn =
            try await engine.send(
                CreateSolutionRequest(
                    name: "auto", recipeArn: ARN.recipe("aws-popularity-count"), datasetGroupArn: group)
            ).solutionArn ?? ""
        clock.advance(by: 3601)

        var logger = Logger(label: "tailor.scheduler.test")
        logger.logLevel = .error
        let service = AutoTrainingService(engine: engine, interval: .milliseconds(10), logger: logger)
        let running = Task { try await service.run() }
        let deadline = Date().addingTimeInterval(60)
        var versions: [SolutionVersionSummary] = []
        while Date() < deadline {
            versions =
                try await engine.send(ListSolutionVersionsRequest(solutionArn: solutionArn)).solutionVersions ?? []
            if versions.first?.status == "ACTIVE" { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        // Let a few more passes run over the same slot.
        let passes = Date().addingTimeInterval(0.1)
        while Date() < passes { try await Task.sleep(for: .milliseconds(10)) }
        running.cancel()
        try await running.value
        await engine.waitForBackgroundJobs()

        versions = try await engine.send(ListSolutionVersionsRequest(solutionArn: solutionArn)).solutionVersions ?? []
        #expect(versions.count == 1)
        #expect(versions.first?.trainingMode == .autotrain)
        #expect(versions.first?.status == "ACTIVE")
    }
}
