import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Automatic training (versions the engine trains on its own are not drift), `followLatest`, and the
/// `promote` quality gate, against the fake engine.
@Suite struct AutoTrainingAndPromotionTests {
    private let solution = ResourceAddress(.solution, "top-picks")
    private let campaign = ResourceAddress(.campaign, "top-picks")

    private func manifests(schedule: String = "rate(7 days)", campaign: String) -> String {
        Fixtures.solution().replacingOccurrences(
            of: "  hyperParameters: {hidden_dimension: 64}",
            with: "  hyperParameters: {hidden_dimension: 64}\n  autoTraining: {schedule: \(schedule)}"
        )
        .replacingOccurrences(of: "  minProvisionedTPS: 1\n", with: "  minProvisionedTPS: 1\n" + campaign)
    }

    private func harness(campaign: String) async throws -> Harness {
        let harness = try Harness()
        try Fixtures.writeMovielens(to: harness.directory)
        try harness.directory.write("solutions.yaml", manifests(campaign: campaign))
        #expect(try await harness.apply().succeeded)
        return harness
    }

    @Test func automaticVersionsAreNotDriftAndTheScheduleUpdatesInPlace() async throws {
        let harness = try await harness(campaign: "")
        defer { harness.directory.remove() }
        let solutionArn = try #require(try harness.state()[solution]?.arn)
        #expect(await harness.engine.resources[solutionArn]?.fields["schedule"] == "rate(7 days)")

        await harness.engine.autoTrain(solutionArn)
        let plan = try await harness.plan()
        #expect(!plan.hasChanges)
        #expect(plan.drift.isEmpty)

        try harness.directory.write("solutions.yaml", manifests(schedule: "rate(3 days)", campaign: ""))
        let update = try await harness.plan()
        #expect(update[solution]?.action == .update)
        #expect(update[solution]?.fields.map(\.path) == ["autoTraining.schedule"])
        #expect(try await harness.apply(update).succeeded)
        #expect(await harness.engine.count("UpdateSolution") == 1)
        #expect(await harness.engine.count("CreateSolution") == 1)
        #expect(await harness.engine.resources[solutionArn]?.fields["schedule"] == "rate(3 days)")
    }

    @Test func aFollowingCampaignIsLeftWhereTheEngineMovedIt() async throws {
        let harness = try await harness(campaign: "  followLatest: true\n")
        defer { harness.directory.remove() }
        let state = try harness.state()
        let campaignArn = try #require(state[campaign]?.arn)
        #expect(await harness.engine.calls.contains { $0.hasPrefix("CreateCampaign") })
        #expect(await harness.engine.resources[campaignArn]?.fields["sync"] == "true")

        let automatic = await harness.engine.autoTrain(try #require(state[solution]?.arn))
        #expect(await harness.engine.resources[campaignArn]?.fields["solutionVersionArn"] == automatic)
        let plan = try await harness.plan()
        #expect(!plan.hasChanges)
        #expect(plan.drift.isEmpty)
        #expect(await harness.engine.count("UpdateCampaign") == 0)
    }

    @Test func theQualityGateHoldsBackWorseVersionsOnceAndPromotesBetterOnes() async throws {
        let policy = "  promote: {metric: normalized_discounted_cumulative_gain_at_10, minDelta: 0.01}\n"
        let harness = try await harness(campaign: policy)
        defer { harness.directory.remove() }
        let state = try harness.state()
        let solutionArn = try #require(state[solution]?.arn)
        let deployed = try #require(state[campaign]?.string(StateEntry.Key.solutionVersionArn))

        // 0.255 is not 0.25 + 0.01: held back.
        let worse = await harness.engine.autoTrain(solutionArn, metric: 0.255)
        let plan = try await harness.plan()
        let change = try #require(plan[campaign])
        #expect(change.action == .update)
        #expect(change.fields.first { $0.path == "solutionVersion" }?.after == .known(.string(worse)))
        #expect(
            change.notes.contains {
                $0.contains("normalized_discounted_cumulative_gain_at_10: candidate 0.2550")
                    && $0.contains("vs deployed 0.2500") && $0.hasSuffix("held back")
            }, "\(change.notes)")
        let summary = try await harness.apply(plan)
        #expect(summary.succeeded)
        #expect(harness.log.events.contains { if case .heldBack(campaign, worse, _) = $0 { true } else { false } })
        #expect(await harness.engine.count("UpdateCampaign") == 0)
        let after = try harness.state()
        #expect(after[campaign]?.string(StateEntry.Key.solutionVersionArn) == deployed)
        #expect(after[campaign]?.string(StateEntry.Key.heldBackVersionArn) == worse)
        #expect(try await !harness.plan().hasChanges)

        // A better one is promoted.
        let better = await harness.engine.autoTrain(solutionArn, metric: 0.3)
        let promotion = try await harness.plan()
        #expect(promotion[campaign]?.notes.contains { $0.hasSuffix(": promote") } == true)
        #expect(try await harness.apply(promotion).succeeded)
        #expect(try harness.state()[campaign]?.string(StateEntry.Key.solutionVersionArn) == better)
        #expect(try harness.state()[campaign]?.string(StateEntry.Key.heldBackVersionArn) == nil)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func promoteAndFollowLatestExcludeEachOther() throws {
        let harness = try Harness.movielens()
        defer { harness.directory.remove() }
        try harness.directory.write(
            "solutions.yaml",
            manifests(campaign: "  followLatest: true\n  promote: {metric: precision_at_1O}\n"))
        #expect {
            try harness.manifests()
        } throws: { error in
            let text = "\(error)"
            return text.contains(
                "solutions.yaml:19:21: error: invalid value 'precision_at_1O' for 'spec.promote.metric'; did you mean 'precision_at_10'?"
            )
                && text.contains("'spec.promote' cannot be combined with 'followLatest: true'")
        }
    }
}
