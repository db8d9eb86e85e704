import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Event trackers, filters, dataset exports and data deletions against the fake engine.
@Suite struct NewKindsTests {
    static let kinds = """
        apiVersion: tailor/v1
        kind: EventTracker
        metadata: {name: events}
        spec: {datasetGroup: movielens}
        ---
        apiVersion: tailor/v1
        kind: Filter
        metadata: {name: unseen}
        spec:
          datasetGroup: movielens
          expression: EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch")
        ---
        apiVersion: tailor/v1
        kind: DatasetExport
        metadata: {name: backup}
        spec: {dataset: interactions, ingestionMode: BULK, output: exports/interactions}
        ---
        apiVersion: tailor/v1
        kind: DataDeletion
        metadata: {name: forget-users}
        spec: {datasetGroup: movielens, source: data/deleted.csv}

        """

    private func harness() throws -> Harness {
        let harness = try Harness()
        try Fixtures.writeMovielens(to: harness.directory)
        try harness.directory.write("kinds.yaml", Self.kinds)
        try harness.directory.write("data/deleted.csv", "USER_ID\n1\n")
        return harness
    }

    @Test func createsEveryKindAndThenHasNothingToDo() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        let summary = try await harness.apply()
        #expect(summary.succeeded)
        let state = try harness.state()
        let tracker = try #require(state[ResourceAddress(.eventTracker, "events")])
        #expect(tracker.string(StateEntry.Key.trackingId)?.hasPrefix("tracking-") == true)
        let export = try #require(state[ResourceAddress(.datasetExport, "backup")])
        #expect(export.string(StateEntry.Key.exportPath)?.hasSuffix("/exports/interactions") == true)
        let deletion = try #require(state[ResourceAddress(.dataDeletion, "forget-users")])
        #expect(deletion.status == .ready)
        #expect(deletion.attributes[StateEntry.Key.numDeleted] == .int(2))
        let calls = await harness.engine.operations
        // The deletion runs after the import and before training; the filter after the datasets.
        let order = ["CreateDatasetImportJob", "CreateDataDeletionJob", "CreateSolutionVersion"]
        #expect(order.compactMap { calls.firstIndex(of: $0) } == order.compactMap { calls.firstIndex(of: $0) }.sorted())
        #expect(calls.firstIndex(of: "CreateFilter")! > calls.firstIndex(of: "CreateDataset")!)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func jobsRunAgainOnlyWhenTheirInputChanges() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        try await harness.apply()

        // Same content, other whitespace in the filter: nothing to do.
        try harness.directory.write(
            "kinds.yaml",
            Self.kinds.replacingOccurrences(
                of: #"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch")"#,
                with: #"exclude itemid  where interactions.EVENT_TYPE in ( "watch" )"#))
        #expect(try await !harness.plan().hasChanges)

        try harness.directory.write("data/deleted.csv", "USER_ID\n1\n2\n")
        try harness.directory.write("kinds.yaml", Self.kinds.replacingOccurrences(of: "BULK", with: "ALL"))
        let plan = try await harness.plan()
        let deletion = try #require(plan[ResourceAddress(.dataDeletion, "forget-users")])
        #expect(deletion.action == .replace)
        #expect(deletion.fields.map(\.path) == ["contentHash"])
        let export = try #require(plan[ResourceAddress(.datasetExport, "backup")])
        #expect(export.action == .replace)
        #expect(export.notes.contains { $0.contains("a new job runs") })
        #expect(plan.changes.filter { $0.action != .noOp }.count == 2)
        #expect(try await harness.apply(plan).succeeded)
        #expect(await harness.engine.count("CreateDataDeletionJob") == 2)
        #expect(await harness.engine.count("CreateDatasetExportJob") == 2)
        #expect(try await !harness.plan().hasChanges)

        // Removing a job only forgets it.
        try harness.directory.write("kinds.yaml", "")
        let removal = try await harness.plan()
        #expect(removal[ResourceAddress(.datasetExport, "backup")]?.action == .delete)
        let before = await harness.engine.resources.count
        #expect(try await harness.apply(removal).succeeded)
        #expect(try harness.state()[ResourceAddress(.datasetExport, "backup")] == nil)
        #expect(await harness.engine.resources.count == before - 2)  // the tracker and the filter
    }

    @Test func aChangedFilterIsCreatedBeforeTheOldOneIsDeleted() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        try await harness.apply()
        try harness.directory.write(
            "kinds.yaml", Self.kinds.replacingOccurrences(of: #"("watch")"#, with: #"("click")"#))
        let plan = try await harness.plan()
        let filter = try #require(plan[ResourceAddress(.filter, "unseen")])
        #expect(filter.action == .replace)
        #expect(filter.createBeforeDestroy)
        #expect(try await harness.apply(plan).succeeded)
        let calls = await harness.engine.calls
        let create = try #require(calls.lastIndex { $0.hasPrefix("CreateFilter") })
        let delete = try #require(calls.lastIndex { $0.hasPrefix("DeleteFilter") })
        #expect(create < delete)
        #expect(calls[create] == "CreateFilter unseen-r1")
    }

    @Test func trackingIdsInterpolateAndEachGroupHasOneTracker() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        try harness.directory.write(
            "solutions.yaml",
            Fixtures.solution().replacingOccurrences(
                of: "  minProvisionedTPS: 1", with: "  minProvisionedTPS: 1\n"
            )
            .replacingOccurrences(
                of: "kind: Campaign\nmetadata:\n  name: top-picks",
                with:
                    "kind: Campaign\nmetadata:\n  name: top-picks\n  tags: {tracker: '${eventTracker.events.trackingId}'}"
            ))
        let plan = try await harness.plan()
        #expect(
            plan[ResourceAddress(.campaign, "top-picks")]?.dependencies.contains(
                ResourceAddress(.eventTracker, "events")) == true)
        #expect(try await harness.apply(plan).succeeded)
        let state = try harness.state()
        let trackingId = try #require(
            state[ResourceAddress(.eventTracker, "events")]?.string(StateEntry.Key.trackingId))
        #expect(state[ResourceAddress(.campaign, "top-picks")]?.spec["tags"] == .map(["tracker": .string(trackingId)]))

        try harness.directory.write(
            "second.yaml",
            "apiVersion: tailor/v1\nkind: EventTracker\nmetadata: {name: more}\nspec: {datasetGroup: movielens}\n")
        #expect {
            try harness.manifests()
        } throws: { error in
            "\(error)".contains(
                "second.yaml:3:18: error: dataset group 'movielens' already has an event tracker ('events'")
        }
    }
}
