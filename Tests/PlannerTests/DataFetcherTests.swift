import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// The fetch command itself, as apply runs it once allowed: in the manifest's folder, without a shell, with
/// its output in the message when it fails.
@Suite struct DataFetcherTests {
    private func writeDataset(_ directory: TemporaryDirectory, command: String) throws {
        try directory.write("group.yaml", Fixtures.group)
        try directory.write(
            "dataset.yaml",
            Fixtures.fetchingDataset(command: command))
    }

    /// Plans (which never fetches), then resolves the plan's fetches with consent, as apply does.
    private func fetchAtApply(_ harness: Harness) async throws -> Plan {
        let manifests = try harness.manifests()
        let state = try harness.state()
        let planner = Planner(service: harness.engine)
        let plan = try await planner.plan(manifests, state: state)
        return try await planner.resolvingFetches(plan, manifests: manifests, state: state, allowed: true)
    }

    @Test func runsTheFetchCommandInTheManifestFolderWhenTheSourceIsMissing() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try writeDataset(
            harness.directory,
            command: #"[sh, -c, "mkdir -p data && printf 'USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n' > data/ratings.csv"]"#)

        let plan = try await fetchAtApply(harness)

        #expect(harness.directory.exists("data/ratings.csv"))
        let hash = try SpecHash.ofFile(atPath: harness.directory.url.appendingPathComponent("data/ratings.csv").path)
        #expect(plan[ResourceAddress(.dataset, "interactions")]?.steps == [.importData(contentHash: hash)])
    }

    @Test func reportsAFailingFetchWithItsOutput() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try writeDataset(harness.directory, command: #"[sh, -c, "echo licence not accepted >&2; exit 3"]"#)

        let error = await #expect(throws: PlannerError.self) { try await fetchAtApply(harness) }

        let message = try #require(error).description
        #expect(
            message.contains(
                "dataset.yaml:9:13: error: fetch command 'sh -c echo licence not accepted >&2; exit 3' failed: "
                    + "exit status 3"
            ))
        #expect(message.contains("licence not accepted"))
    }

    @Test func reportsASourceStillMissingAfterTheFetch() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try writeDataset(harness.directory, command: "[\"true\"]")

        let error = await #expect(throws: PlannerError.self) { try await fetchAtApply(harness) }

        #expect(try #require(error).description.contains("it succeeded but"))
    }
}
