import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// The service's observable deletion window (`DELETE PENDING`, `DELETE IN_PROGRESS`, then gone).
@Suite struct DeletionWindowTests {
    private static func code(_ error: any Error) -> PersonalizeErrorCode? { (error as? PersonalizeError)?.code }

    /// With a deletion delay, a deleted resource is `DELETE PENDING` for half of it, `DELETE IN_PROGRESS` for the
    /// other half, then gone (the statuses as the engine wrote them, so a loaded machine cannot blur them); a
    /// Describe in the window finds it, Describe afterwards does not, and the name is free again.
    @Test func aDeletionGoesThroughBothPhasesOfTheConfiguredWindow() async throws {
        let harness = try EngineHarness(deletionDelay: 2)
        defer { harness.directory.remove() }
        let engine = harness.engine
        let history = try await StatusHistory(engine)
        let group = try await engine.send(CreateDatasetGroupRequest(name: "window")).datasetGroupArn ?? ""
        let started = Date()
        _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        // A machine that stalls for the whole window (it happens under the full suite) may find it gone already;
        // the statuses the engine wrote, below, are checked either way.
        let first = try? await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: group)).datasetGroup?.status
        let elapsed = Date().timeIntervalSince(started)
        if elapsed < 1 {  // still in the first half (always, unless the machine stalls)
            #expect(first == "DELETE PENDING")
        }
        if elapsed < 2 { #expect(first == "DELETE PENDING" || first == "DELETE IN_PROGRESS") }
        #expect(
            try await EngineHarness.waitUntilGone {
                _ = try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: group))
            })
        #expect(Date().timeIntervalSince(started) >= 2)

        let entries = try await history.entries(group)
        #expect(entries.map(\.status) == ["ACTIVE", "DELETE PENDING", "DELETE IN_PROGRESS", "GONE"])
        if entries.count == 4 {
            #expect(entries[2].at - entries[1].at >= 0.95, "DELETE PENDING lasted half the window")
            #expect(entries[3].at - entries[2].at >= 0.95, "DELETE IN_PROGRESS lasted the other half")
        }
        await #expect { try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: group)) } throws: {
            Self.code($0) == .resourceNotFoundException
        }
        _ = try await engine.send(CreateDatasetGroupRequest(name: "window"))
    }

    /// While the window lasts, the resource is listed in its deleting status, its name is taken and a second
    /// Delete is refused (an hour's window, so that nothing ends it during the test).
    @Test func aResourceInTheWindowIsListedAndHoldsItsName() async throws {
        let harness = try EngineHarness(deletionDelay: 3600)
        defer { harness.directory.remove() }
        let engine = harness.engine
        let group = try await engine.send(CreateDatasetGroupRequest(name: "window")).datasetGroupArn ?? ""
        _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        #expect(try await engine.send(ListDatasetGroupsRequest()).datasetGroups?.map(\.status) == ["DELETE PENDING"])
        await #expect { try await engine.send(CreateDatasetGroupRequest(name: "window")) } throws: {
            Self.code($0) == .resourceAlreadyExistsException
        }
        await #expect { try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group)) } throws: {
            Self.code($0) == .resourceInUseException
        }
    }

    /// A process killed while a deletion is `DELETE IN_PROGRESS` leaves it to the next open, which finishes it.
    @Test func aDeletionInProgressWhenTheProcessDiesIsFinishedOnOpen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appendingPathComponent("data")
        let group: String
        do {
            let engine = try EngineHarness.open(data, deletionDelay: 3600)
            group = try await engine.send(CreateDatasetGroupRequest(name: "cut")).datasetGroupArn ?? ""
            _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
            try await engine.core.database.pool.write { db in
                try ResourceStore.setStatus(db, arn: group, Status.deleteInProgress, at: Date())
            }
            #expect(
                try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: group)).datasetGroup?.status
                    == "DELETE IN_PROGRESS")
        }
        let engine = try EngineHarness.open(data, deletionDelay: 3600)
        await #expect { try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: group)) } throws: {
            Self.code($0) == .resourceNotFoundException
        }
        _ = try await engine.send(CreateDatasetGroupRequest(name: "cut"))
    }

    /// The embedded engine (tests, `tailor apply`) removes at once unless configured; `tailor serve` gives the
    /// service-like window by default.
    @Test func theDeletionWindowIsChosenPerEntryPoint() {
        #expect(EngineConfiguration(dataDirectory: URL(fileURLWithPath: "/tmp/unused")).deletionDelay == 0)
        #expect((1...2).contains(EngineConfiguration.serviceLikeDeletionDelay))
    }
}
