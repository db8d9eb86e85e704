package import EngineAPI
package import Foundation
package import GRDB
import PersonalizeRules

/// One aggregated line of a metric attribution's report: the guide's S3 CSV columns.
package struct AttributionReportRow: Sendable, Hashable, Codable {
    package var metricName: String
    package var eventType: String
    package var value: Double
    package var mathFunction: String
    package var source: String
    /// The start of the 15-minute window, in epoch seconds.
    package var timestamp: Int64

    package init(
        metricName: String, eventType: String, value: Double, mathFunction: String, source: String, timestamp: Int64
    ) {
        self.metricName = metricName
        self.eventType = eventType
        self.value = value
        self.mathFunction = mathFunction
        self.source = source
        self.timestamp = timestamp
    }

    package static let csvHeader = "METRIC_NAME,EVENT_TYPE,VALUE,MATH_FUNCTION,EVENT_ATTRIBUTION_SOURCE,TIMESTAMP"

    /// The row as the guide's reports print it: event type upper-cased, one decimal at least.
    package var csvLine: String {
        let number = value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : "\(value)"
        return [metricName, eventType.uppercased(), number, mathFunction, source, String(timestamp)]
            .map(Self.csvField).joined(separator: ",")
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// How records reached a dataset: the `ImportMethod` part of a report's file name.
package enum AttributionIngestion: String, Sendable {
    case put = "PUT"
    case bulk = "BULK"
}

/// Aggregates newly ingested interactions into the dataset group's metric attribution, as Personalize
/// does: per metric, per event attribution source and per 15-minute window.
///
/// Sources resolve as the guide says: `EVENT_ATTRIBUTION_SOURCE` when given, else the campaign or recommender
/// that served the `RECOMMENDATION_ID`, else `SOURCE_NAME_UNDEFINED`. Only what arrives after the attribution
/// is ACTIVE is reported; the running totals (Personalize's CloudWatch side) skip records more than 14 days
/// old, and at most 100 distinct sources are kept per attribution.
package enum AttributionRecorder {
    package static let windowSeconds: Int64 = 900
    package static let undefinedSource = "SOURCE_NAME_UNDEFINED"
    package static let maximumSources = 100
    static let reportingAge: TimeInterval = 14 * 24 * 3600

    /// The active (or updating) attribution of dataset group `group`, with its metrics, if any.
    package static func activeAttribution(_ db: Database, group: String) throws -> (
        arn: String, attribution: MetricAttribution, metrics: [MetricAttribute]
    )? {
        guard
            let row = try ResourceStore.rows(db, kind: .metricAttribution, parent: group).first,
            row.status == Status.active || row.status == Status.updatePending
        else { return nil }
        let attribution = try ResourceStore.decode(MetricAttribution.self, row)
        return (row.arn, attribution, try MetricAttributionStore.metrics(db, arn: row.arn))
    }

    /// Aggregates the rows of interactions `table` (of dataset group `group`) inserted after `watermark`.
    ///
    /// - Parameters:
    ///   - accumulate: Whether to add the result to the attribution's running totals (PutEvents and
    ///     incremental imports; a FULL import only publishes its own report).
    /// - Returns: The aggregated rows (empty without an active attribution), for a report file.
    @discardableResult
    package static func record(
        _ db: Database, group: String, table: DatasetTable, after watermark: Int64, accumulate: Bool, now: Date
    ) throws -> [AttributionReportRow] {
        guard table.type == .interactions, table.schema.field("EVENT_TYPE") != nil,
            let (arn, _, metrics) = try activeAttribution(db, group: group), !metrics.isEmpty
        else { return [] }
        let sources = try SourceResolver(db)
        var totals: [AttributionKey: Double] = [:]
        for metric in metrics {
            guard let expression = try? MetricExpression.parse(metric.expression, metric: metric.metricName)
            else { continue }
            try table.forEachAttributedValue(
                db, of: expression, group: group, eventType: metric.eventType, after: watermark
            ) { timestamp, recommendationID, explicitSource, amount in
                let window = timestamp - ((timestamp % windowSeconds) + windowSeconds) % windowSeconds
                let key = AttributionKey(
                    metricName: metric.metricName, eventType: metric.eventType,
                    mathFunction: expression.mathFunction,
                    source: sources.resolve(recommendationID: recommendationID, explicit: explicitSource),
                    window: window)
                totals[key, default: 0] += amount
            }
        }
        let report = totals.map { key, value in
            AttributionReportRow(
                metricName: key.metricName, eventType: key.eventType, value: value, mathFunction: key.mathFunction,
                source: key.source, timestamp: key.window)
        }.sorted { ($0.metricName, $0.timestamp, $0.source) < ($1.metricName, $1.timestamp, $1.source) }
        if accumulate {
            try MetricAttributionStore.add(
                db, arn: arn, report.filter { Double($0.timestamp) >= now.timeIntervalSince1970 - reportingAge })
        }
        return report
    }
}

private struct AttributionKey: Hashable {
    var metricName: String
    var eventType: String
    var mathFunction: String
    var source: String
    var window: Int64
}

/// Maps a recommendation ID back to the campaign or recommender that issued it.
private struct SourceResolver {
    private var byKey: [String: String] = [:]

    init(_ db: Database) throws {
        for kind in [ResourceType.campaign, .recommender] {
            for row in try ResourceStore.rows(db, kind: kind) {
                byKey[RecommendationID.sourceKey(of: row.arn)] = row.arn
            }
        }
    }

    func resolve(recommendationID: String?, explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let recommendationID, let key = RecommendationID.sourceKey(inID: recommendationID), let arn = byKey[key] {
            return arn
        }
        return AttributionRecorder.undefinedSource
    }
}

/// Recommendation IDs that name their source: `RID-` + 8 hex digits of the campaign's or recommender's ARN
/// + `-` + 24 random hex digits (37 characters, within the service's 40), so that an event carrying one is
/// attributed without a lookup table.
package enum RecommendationID {
    /// `RID-<source key>-<24 hex digits>`: the source's key (``sourceKey(of:)``) and 96 bits from ``UniqueIDs``.
    package static func make(source: String) -> String {
        let key = sourceHash(of: source)
        let (high, low) = UniqueIDs.next()
        return String(unsafeUninitializedCapacity: 37) { buffer in
            var at = 0
            for byte in "RID-".utf8 {
                buffer[at] = byte
                at += 1
            }
            UniqueIDs.hex(UInt64(key), digits: 8, into: buffer, at: &at)
            buffer[at] = UInt8(ascii: "-")
            at += 1
            UniqueIDs.hex(high, digits: 16, into: buffer, at: &at)
            UniqueIDs.hex(low, digits: 8, into: buffer, at: &at)
            return at
        }
    }

    /// The 8 hex digits (FNV-1a) that stand for `arn` in its recommendation IDs.
    package static func sourceKey(of arn: String) -> String {
        String(unsafeUninitializedCapacity: 8) { buffer in
            var at = 0
            UniqueIDs.hex(UInt64(sourceHash(of: arn)), digits: 8, into: buffer, at: &at)
            return at
        }
    }

    private static func sourceHash(of arn: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in arn.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// The source key inside a recommendation ID this engine issued, or nil.
    package static func sourceKey(inID id: String) -> String? {
        let parts = id.split(separator: "-")
        guard parts.count == 3, parts[0] == "RID", parts[1].count == 8, parts[2].count == 24 else { return nil }
        return String(parts[1])
    }
}

/// Writes a metric attribution report file, named as the guide names them:
/// `AggregatedAttributionMetrics - ImportMethod - Timestamp.csv`, into the attribution's output folder.
package enum AttributionPublisher {
    /// Writes `rows` (header included, even when empty) whole into the output folder `destination`, through
    /// `store` (so only into an allowed folder).
    package static func write(
        _ rows: [AttributionReportRow], to destination: String, method: AttributionIngestion, at date: Date,
        store: UserDataStore
    ) async throws {
        let folder = try store.outputFolder(at: destination, invalid: "Invalid s3DataDestination path.")
        try folder.write(fileName(method: method, at: date)) { sink in try sink.write(text(rows)) }
        try await folder.publish()
    }

    /// Writes `rows` into the local folder `destination` that the user named on the command line (no store:
    /// the user at the terminal chose it).
    ///
    /// - Returns: The file written.
    @discardableResult
    package static func write(
        _ rows: [AttributionReportRow], to destination: String, method: AttributionIngestion, at date: Date
    ) throws -> URL {
        let path = destination.hasPrefix("file://") ? (URL(string: destination)?.path ?? destination) : destination
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        let file = folder.appendingPathComponent(fileName(method: method, at: date))
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text(rows).utf8).write(to: file, options: .atomic)
        } catch {
            throw PersonalizeError.invalidInput(
                "Cannot write the metric attribution report \(file.path): \(error.localizedDescription)")
        }
        return file
    }

    private static func fileName(method: AttributionIngestion, at date: Date) -> String {
        "AggregatedAttributionMetrics - \(method.rawValue) - \(Int64(date.timeIntervalSince1970)).csv"
    }

    private static func text(_ rows: [AttributionReportRow]) -> String {
        ([AttributionReportRow.csvHeader] + rows.map(\.csvLine)).joined(separator: "\n") + "\n"
    }
}
