import EngineAPI
import Foundation
import GRDB
import PersonalizeRules
import TailorTestSupport
import Testing

@testable import Engine

/// `GetSolutionMetrics` as the service reports it.
@Suite struct SolutionMetricsRoundingTests {

    /// GetSolutionMetrics reports 4 decimals, as the service does.
    @Test func solutionMetricsHaveFourDecimals() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        let (group, _, imported) = try await harness.importInteractions(
            SyntheticData(users: 120, items: 90, clusters: 3).interactionsCSV(perUser: 13))
        try #require(imported == "ACTIVE")
        let (version, trained) = try await harness.train(group: group, name: "pop", recipe: "aws-popularity-count")
        try #require(trained == "ACTIVE")
        let metrics = try await engine.send(GetSolutionMetricsRequest(solutionVersionArn: version)).metrics ?? [:]
        try #require(!metrics.isEmpty)
        for (name, value) in metrics {
            #expect(((value * 10_000).rounded() / 10_000) == value, "\(name) = \(value)")
        }
        // Stored at full precision: at least one metric of this data has more than 4 decimals.
        let stored = try await engine.core.database.pool.read { db in
            try SolutionMetricsTable.metrics(db, versionArn: version)
        }
        let full = try JSONDecoder().decode([String: Double].self, from: try #require(stored))
        #expect(full.values.contains { ($0 * 10_000).rounded() / 10_000 != $0 }, "\(full)")
    }
}
