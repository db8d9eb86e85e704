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

    /// With a deletion delay, a deleted resource is described `DELETE PENDING`, then `DELETE IN_PROGRESS`,
    /// then is gone; its name stays taken until then.
    @Test func aDeletionIsObservableForTheConfiguredWindow() async throws {
        // Seconds, not milliseconds: each phase must outlast a Describe on a loaded machine.
        let harness = try EngineHarness(deletionDelay: 6)
        defer { harness.directory.remove() }
        let engine = harness.engine
        let group = try await engine.send(CreateDatasetGroupRequest(name: "window")).datasetGroupArn ?? ""
        let started = Date()
        _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group))
        let first = try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: group)).datasetGroup?.status
        #expect(first == "DELETE PENDING")
        let listed = try await engine.send(ListDatasetGroupsRequest()).datasetGroups?.map(\.status) ?? []
        #expect(listed == ["DELETE PENDING"] || listed == ["DELETE IN_PROGRESS"], "\(listed)")
        await #expect { try await engine.send(CreateDatasetGroupRequest(name: "window")) } throws: {
            Self.code($0) == .resourceAlreadyExistsException
        }
        await #expect { try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: group)) } throws: {
            Self.code($0) == .resourceInUseException
        }
        var seen = [first ?? ""]
        var goneAfter: Double?
        while Date().timeIntervalSince(started) < 60 {
            do {
                let status =
                    try await engine.send(DescribeDatasetGroupRequest(datasetGroupArn: group)).datasetGroup?.status
                    ?? ""
                if seen.last != status { seen.append(status) }
            } catch let error as PersonalizeError where error.code == .resourceNotFoundException {
                goneAfter = Date().timeIntervalSince(started)
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(seen == ["DELETE PENDING", "DELETE IN_PROGRESS"])
        #expect((goneAfter ?? 0) >= 5.5, "gone after \(goneAfter ?? -1) s")
        _ = try await engine.send(CreateDatasetGroupRequest(name: "window"))
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
