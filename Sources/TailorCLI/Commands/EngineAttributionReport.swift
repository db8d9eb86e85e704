import ArgumentParser
import Engine
import Foundation

extension TailorCommand {
    struct EngineAttributionReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attribution-report",
            abstract: "Print a metric attribution's running totals as CSV (what Personalize sends to CloudWatch).",
            discussion: """
                One line per metric, event attribution source and 15-minute window, in the columns of the \
                guide's S3 reports: METRIC_NAME, EVENT_TYPE, VALUE, MATH_FUNCTION, EVENT_ATTRIBUTION_SOURCE, \
                TIMESTAMP. PutEvents and INCREMENTAL imports add to them once the attribution is ACTIVE; \
                records older than 14 days are left out. With --out FOLDER the report is written there as \
                'AggregatedAttributionMetrics - PUT - <time>.csv' instead.
                """)

        @OptionGroup var engineOptions: EngineOptions

        @Argument(help: "The metric attribution's ARN.")
        var metricAttributionArn: String

        @Option(name: .customLong("out"), help: "Write the report file into this folder instead of printing it.")
        var folder: String?

        func validate() throws {
            try engineOptions.requireEmbedded("engine attribution-report reads the embedded engine")
        }

        func run() async throws {
            let engine = try engineOptions.openEmbeddedEngine()
            let rows = try await CommandErrors.reporting {
                try await engine.metricAttributionReport(arn: metricAttributionArn)
            }
            if let folder {
                let date = engine.core.now
                let file = try await CommandErrors.reporting {
                    try AttributionPublisher.write(rows, to: folder, method: .put, at: date)
                }
                print("wrote \(rows.count) rows to \(file.path)")
                return
            }
            print(AttributionReportRow.csvHeader)
            for row in rows { print(row.csvLine) }
        }
    }
}
