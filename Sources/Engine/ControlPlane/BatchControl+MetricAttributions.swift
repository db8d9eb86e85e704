import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension BatchControl {
    /// The guide's limit on metrics per metric attribution.
    static let maximumAttributionMetrics = 10

    func createMetricAttribution(_ request: CreateMetricAttributionRequest) async throws
        -> CreateMetricAttributionResponse
    {
        try validateName(request.name)
        try checkOutput(request.metricsOutputConfig)
        let arn = arn(.metricAttribution, request.name)
        let date = now
        let groupArn = request.datasetGroupArn
        try await write { db in
            _ = try self.requireExists(db, groupArn, .datasetGroup)
            if let existing = try ResourceStore.rows(db, kind: .metricAttribution, parent: groupArn).first {
                throw PersonalizeError.alreadyExists(
                    "Dataset group \(groupArn) already has a metric attribution (\(existing.arn)); a dataset group "
                        + "can have at most 1.")
            }
            try Self.checkMetrics(db, request.metrics, group: groupArn)
            let attribution = MetricAttribution(
                name: request.name, metricAttributionArn: arn, datasetGroupArn: groupArn,
                metricsOutputConfig: request.metricsOutputConfig, status: Status.createPending,
                creationDateTime: date, lastUpdatedDateTime: date)
            try ResourceStore.insert(
                db, arn: arn, kind: .metricAttribution, name: request.name, parent: groupArn,
                status: Status.createPending, at: date, body: attribution)
            try MetricAttributionStore.setMetrics(db, arn: arn, request.metrics)
        }
        startBackgroundJob(arn) { [self] in
            await activate(MetricAttribution.self, arn, kind: .metricAttribution, from: Self.attributionPending)
        }
        return CreateMetricAttributionResponse(metricAttributionArn: arn)
    }

    func listMetricAttributionMetrics(_ request: ListMetricAttributionMetricsRequest) async throws
        -> ListMetricAttributionMetricsResponse
    {
        guard let arn = request.metricAttributionArn else {
            throw PersonalizeError.invalidInput("metricAttributionArn is required.")
        }
        let metrics = try await read { db in
            _ = try self.requireExists(db, arn, .metricAttribution)
            return try MetricAttributionStore.metrics(db, arn: arn)
        }
        let page = try Pagination.page(
            metrics, listing: "metric-attribution-metrics|\(arn)", nextToken: request.nextToken,
            maxResults: request.maxResults)
        return ListMetricAttributionMetricsResponse(metrics: page.page, nextToken: page.nextToken)
    }

    /// `UpdateMetricAttribution`: removes `removeMetrics` (by name), then adds `addMetrics`, and swaps the output
    /// configuration; refused while the attribution is not ACTIVE.
    func updateMetricAttribution(_ request: UpdateMetricAttributionRequest) async throws
        -> UpdateMetricAttributionResponse
    {
        guard let arn = request.metricAttributionArn else {
            throw PersonalizeError.invalidInput("metricAttributionArn is required.")
        }
        if let output = request.metricsOutputConfig { try checkOutput(output) }
        let date = now
        try await write { db in
            let row = try self.requireExists(db, arn, .metricAttribution)
            guard row.status == Status.active else {
                throw PersonalizeError.inUse(
                    "Metric attribution \(arn) is \(row.status ?? "not ACTIVE"); it can be updated only when ACTIVE.")
            }
            var metrics = try MetricAttributionStore.metrics(db, arn: arn)
            let names = Set(metrics.map(\.metricName))
            for name in request.removeMetrics ?? [] where !names.contains(name) {
                throw PersonalizeError.invalidInput("Metric attribution \(arn) has no metric named \(name).")
            }
            let removed = Set(request.removeMetrics ?? [])
            metrics.removeAll { removed.contains($0.metricName) }
            for metric in request.addMetrics ?? [] where metrics.contains(where: { $0.metricName == metric.metricName })
            {
                throw PersonalizeError.alreadyExists(
                    "Metric attribution \(arn) already has a metric named \(metric.metricName).")
            }
            metrics += request.addMetrics ?? []
            try Self.checkMetrics(db, metrics, group: row.parent ?? "")
            try MetricAttributionStore.setMetrics(db, arn: arn, metrics)
            _ = try ResourceStore.update(
                db, MetricAttribution.self, arn: arn, kind: .metricAttribution, at: date, status: \.status
            ) { attribution in
                if let output = request.metricsOutputConfig { attribution.metricsOutputConfig = output }
                attribution.status = Status.updatePending
                attribution.lastUpdatedDateTime = date
            }
        }
        startBackgroundJob(arn) { [self] in
            await activate(MetricAttribution.self, arn, kind: .metricAttribution, from: Self.attributionPending)
        }
        return UpdateMetricAttributionResponse(metricAttributionArn: arn)
    }

    func deleteMetricAttribution(_ request: DeleteMetricAttributionRequest) async throws -> EmptyResponse {
        let arn = request.metricAttributionArn
        return try await deleteResource(arn, kind: .metricAttribution) { db, row in
            guard !Status.isTransient(row.status) else {
                throw PersonalizeError.inUse(
                    "Metric attribution \(arn) is \(row.status ?? ""); wait until it is ACTIVE.")
            }
        }
    }

    /// The running report totals of metric attribution `arn` (what Personalize sends to CloudWatch): one row
    /// per metric, source and 15-minute window.
    package func metricAttributionReport(arn: String) async throws -> [AttributionReportRow] {
        try await read { db in
            _ = try self.requireExists(db, arn, .metricAttribution)
            return try MetricAttributionStore.report(db, arn: arn)
        }
    }

    /// Checks a list of metrics: 1 to 10, unique names, known event types and expressions over numeric
    /// columns of datasets the group has.
    private static func checkMetrics(_ db: Database, _ metrics: [MetricAttribute], group: String) throws {
        guard (1...maximumAttributionMetrics).contains(metrics.count) else {
            throw PersonalizeError.limitExceeded(
                "A metric attribution has 1 to \(maximumAttributionMetrics) metrics; this one would have "
                    + "\(metrics.count).")
        }
        var names = Set<String>()
        for metric in metrics {
            guard !metric.metricName.isEmpty, names.insert(metric.metricName).inserted else {
                throw PersonalizeError.invalidInput(
                    metric.metricName.isEmpty
                        ? "A metric needs a metricName." : "The metric name \(metric.metricName) appears twice.")
            }
            guard !metric.eventType.isEmpty else {
                throw PersonalizeError.invalidInput("Metric \(metric.metricName) needs an eventType.")
            }
            let expression = try MetricExpression.parse(metric.expression, metric: metric.metricName)
            if let interactions = try? DatasetTable.find(db, group: group, type: .interactions),
                interactions.schema.field("EVENT_TYPE") == nil
            {
                throw PersonalizeError.invalidInput(
                    "The Item interactions dataset of \(group) has no EVENT_TYPE column; metric attribution "
                        + "reports events by type.")
            }
            guard case .sum(let type, let column) = expression else { continue }
            guard let table = try? DatasetTable.find(db, group: group, type: type) else {
                throw PersonalizeError.invalidInput(
                    "Metric \(metric.metricName) sums \(type.recordName).\(column), but dataset group \(group) has no "
                        + "\(type.rawValue) dataset. Create it (and import its data) first.")
            }
            guard let field = table.schema.field(column) else {
                throw PersonalizeError.invalidInput(
                    "Metric \(metric.metricName) sums \(type.recordName).\(column), but the \(type.rawValue) schema "
                        + "has no \(column) field.")
            }
            guard field.type.isNumeric else {
                throw PersonalizeError.invalidInput(
                    "Metric \(metric.metricName) sums \(type.recordName).\(column), a \(field.type.rawValue) field; "
                        + "SUM() applies only to numeric columns.")
            }
        }
    }

    /// The output configuration: a role, and an optional destination for published reports, which must be a
    /// place the engine may write (see ``UserDataStore``).
    private func checkOutput(_ output: MetricAttributionOutput) throws {
        guard let path = output.s3DataDestination?.path else { return }
        if try userData.s3Location(path, invalid: "Invalid s3DataDestination path.") == nil {
            _ = try userData.resolve(path, invalid: "Invalid s3DataDestination path.")
        }
    }
}

extension BatchControl {
    /// The statuses of a metric attribution whose creation or update (checked when requested) is yet to complete.
    static let attributionPending: Set<String> = [Status.createPending, Status.updatePending]
}
