import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// `tailor import`: adopting engine objects into an empty state, after which plan shows nothing to do.
@Suite struct ImporterTests {
    @Test func adoptedObjectsPlanNoChangesAndBadImportsAreRefused() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        let applied = try harness.state()
        // Forget everything, as if the objects had been created by hand.
        try FileManager.default.removeItem(at: harness.directory.url.appendingPathComponent(".tailor"))
        var state = try harness.state()
        #expect(state.resources.isEmpty)

        let importer = Importer(service: harness.engine)
        let manifests = try harness.manifests()
        for address in applied.addresses {
            let arn = try #require(applied[address]?.arn)
            let result = try await importer.importing(address, arn: arn, manifests: manifests, state: state)
            state = try harness.store.write(result.state)
        }
        let plan = try await harness.plan()
        #expect(!plan.hasChanges, "\(plan.changes.filter { $0.action != .noOp })")
        #expect(state[ResourceAddress(.campaign, "top-picks")]?.string(StateEntry.Key.solutionVersionArn) != nil)

        let campaign = ResourceAddress(.campaign, "top-picks")
        let arn = try #require(applied[campaign]?.arn)
        await #expect(throws: PlannerError.self) {
            try await importer.importing(campaign, arn: arn, manifests: manifests, state: state)
        }
        do {
            _ = try await importer.importing(
                ResourceAddress(.campaign, "top-pick"), arn: arn, manifests: manifests, state: .empty)
            Issue.record("an undeclared address was imported")
        } catch {
            #expect(
                "\(error)".contains(
                    "the manifests do not declare campaign/top-pick; did you mean 'campaign/top-picks'?"))
        }
        do {
            _ = try await importer.importing(campaign, arn: arn + "-gone", manifests: manifests, state: .empty)
            Issue.record("a missing ARN was imported")
        } catch {
            #expect("\(error)".contains("the engine has no campaign"))
        }
        do {
            _ = try await importer.importing(
                campaign, arn: try #require(applied[ResourceAddress(.solution, "top-picks")]?.arn),
                manifests: manifests, state: .empty)
            Issue.record("a solution ARN was imported as a campaign")
        } catch {
            #expect("\(error)".contains("not the ARN of a campaign"))
        }
    }
}
