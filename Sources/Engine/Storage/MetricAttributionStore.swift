package import EngineAPI
import Foundation
package import GRDB

/// The metrics of each metric attribution, and its running report totals (what Personalize sends to
/// CloudWatch), in the engine database.
package enum MetricAttributionStore {
    /// The metrics of attribution `arn`, in the order they were added.
    package static func metrics(_ db: Database, arn: String) throws -> [MetricAttribute] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT metric_name, event_type, expression FROM attribution_metric
                WHERE attribution_arn = ? ORDER BY position
                """,
            arguments: [arn]
        ).map { MetricAttribute(eventType: $0[1], metricName: $0[0], expression: $0[2]) }
    }

    /// Replaces the metrics of attribution `arn` with `metrics`.
    package static func setMetrics(_ db: Database, arn: String, _ metrics: [MetricAttribute]) throws {
        try db.execute(sql: "DELETE FROM attribution_metric WHERE attribution_arn = ?", arguments: [arn])
        for (position, metric) in metrics.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO attribution_metric (attribution_arn, metric_name, position, event_type, expression)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [arn, metric.metricName, position, metric.eventType, metric.expression])
        }
    }

    /// Adds `rows` to the running totals of attribution `arn`; rows of a source beyond the 100th are dropped.
    package static func add(_ db: Database, arn: String, _ rows: [AttributionReportRow]) throws {
        var sources = Set(
            try String.fetchAll(
                db, sql: "SELECT DISTINCT source FROM attribution_report WHERE attribution_arn = ?", arguments: [arn]))
        for row in rows {
            if !sources.contains(row.source) {
                guard sources.count < AttributionRecorder.maximumSources else { continue }
                sources.insert(row.source)
            }
            try db.execute(
                sql: """
                    INSERT INTO attribution_report
                        (attribution_arn, metric_name, source, window_start, event_type, math_function, value)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (attribution_arn, metric_name, source, window_start)
                    DO UPDATE SET value = value + excluded.value
                    """,
                arguments: [arn, row.metricName, row.source, row.timestamp, row.eventType, row.mathFunction, row.value])
        }
    }

    /// The running totals of attribution `arn`, oldest window first.
    package static func report(_ db: Database, arn: String) throws -> [AttributionReportRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT metric_name, event_type, value, math_function, source, window_start FROM attribution_report
                WHERE attribution_arn = ? ORDER BY window_start, metric_name, source
                """,
            arguments: [arn]
        ).map {
            AttributionReportRow(
                metricName: $0[0], eventType: $0[1], value: $0[2], mathFunction: $0[3], source: $0[4], timestamp: $0[5])
        }
    }

    /// Forgets the metrics and totals of a deleted attribution.
    package static func remove(_ db: Database, arn: String) throws {
        try db.execute(sql: "DELETE FROM attribution_metric WHERE attribution_arn = ?", arguments: [arn])
        try db.execute(sql: "DELETE FROM attribution_report WHERE attribution_arn = ?", arguments: [arn])
    }

    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE attribution_metric (
                    attribution_arn TEXT NOT NULL,
                    metric_name TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    event_type TEXT NOT NULL,
                    expression TEXT NOT NULL,
                    PRIMARY KEY (attribution_arn, metric_name)
                ) WITHOUT ROWID;
                CREATE TABLE attribution_report (
                    attribution_arn TEXT NOT NULL,
                    metric_name TEXT NOT NULL,
                    source TEXT NOT NULL,
                    window_start INTEGER NOT NULL,
                    event_type TEXT NOT NULL,
                    math_function TEXT NOT NULL,
                    value REAL NOT NULL,
                    PRIMARY KEY (attribution_arn, metric_name, source, window_start)
                ) WITHOUT ROWID;
                """)
    }
}
