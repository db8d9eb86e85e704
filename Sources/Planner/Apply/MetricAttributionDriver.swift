import EngineAPI
import PersonalizeRules

/// Metric attributions: created, described (their metrics observed, keyed by name, for drift), updated in
/// place with UpdateMetricAttribution (the metrics to remove and to add computed against the engine's list),
/// deleted.
struct MetricAttributionDriver: ListedDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        guard
            let attribution = try await EngineCalls.resource(
                DescribeMetricAttributionRequest(metricAttributionArn: arn), service: service)
        else { return nil }
        guard let metrics = try await EngineCalls.describe({ try await Self.metrics(of: arn, service: service) })
        else { return nil }
        var observation = Observation(attribution)
        observation.fields["metrics"] = MetricAttributionSpec.metricsValue(
            metrics.map { ($0.metricName, $0.eventType, $0.expression) })
        return observation
    }

    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String {
        guard case .metricAttribution(let spec) = resource.spec else { throw DriverError.wrongKind(resource.address) }
        let group = try await context.arn(of: ResourceAddress(.datasetGroup, spec.datasetGroup), for: resource.address)
        let response = try await context.service.send(
            CreateMetricAttributionRequest(
                name: resource.address.name, datasetGroupArn: group,
                metrics: spec.metrics.map {
                    MetricAttribute(eventType: $0.eventType, metricName: $0.metricName, expression: $0.expression)
                },
                metricsOutputConfig: Self.output(spec, role: context.role(spec.roleArn))))
        return try DriverError.require(response.metricAttributionArn, resource.address, "CreateMetricAttribution")
    }

    func listing(under parentArn: String) -> ListMetricAttributionsRequest {
        ListMetricAttributionsRequest(datasetGroupArn: parentArn)
    }

    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        guard case .metricAttribution(let spec)? = change.desired?.spec else { return }
        if case .inProgress? = try await observe(arn: arn, service: context.service)?.status {
            try await context.wait(
                for: .active, change.address, arn: arn, what: "an earlier metric attribution update",
                timeout: context.timeouts.update)
        }
        let current = try await Self.metrics(of: arn, service: context.service)
        let request = Self.update(
            arn: arn, from: current, to: spec,
            outputChanged: change.fields.contains {
                $0.path == "output" || $0.path.hasPrefix("output.")
            }, role: context.role(spec.roleArn))
        guard request.addMetrics != nil || request.removeMetrics != nil || request.metricsOutputConfig != nil else {
            return
        }
        context.emit(.step(change.address, "updating the metric attribution: " + Self.summary(request)))
        _ = try await context.service.send(request)
        try await context.wait(
            for: .updated, change.address, arn: arn, what: "the metric attribution update",
            timeout: context.timeouts.update)
    }

    func delete(arn: String, service: any PersonalizeService) async throws {
        _ = try await service.send(DeleteMetricAttributionRequest(metricAttributionArn: arn))
    }

    /// The UpdateMetricAttribution that turns the engine's `current` metrics into the manifest's: metrics no
    /// longer declared are removed, new ones added, and a changed one (same name, other event type or
    /// expression) removed and added again; the output only when it changed.
    static func update(
        arn: String, from current: [MetricAttribute], to spec: MetricAttributionSpec, outputChanged: Bool,
        role: String
    ) -> UpdateMetricAttributionRequest {
        let desired = spec.metrics.map {
            MetricAttribute(eventType: $0.eventType, metricName: $0.metricName, expression: $0.expression)
        }
        let existing = Dictionary(current.map { ($0.metricName, $0) }) { first, _ in first }
        let wanted = Dictionary(desired.map { ($0.metricName, $0) }) { first, _ in first }
        let removed = existing.values.filter { metric in
            guard let new = wanted[metric.metricName] else { return true }
            let expression = MetricExpressionText(metric.expression)?.text ?? metric.expression
            return new.eventType != metric.eventType || expression != new.expression
        }.map(\.metricName).sorted()
        let added = desired.filter { existing[$0.metricName] == nil || removed.contains($0.metricName) }
        return UpdateMetricAttributionRequest(
            addMetrics: added.isEmpty ? nil : added, removeMetrics: removed.isEmpty ? nil : removed,
            metricsOutputConfig: outputChanged ? Self.output(spec, role: role) : nil,
            metricAttributionArn: arn)
    }

    /// The output configuration with `role` (the manifest's, the project's or the placeholder the embedded engine
    /// takes: ``ApplyContext/role(_:)``).
    static func output(_ spec: MetricAttributionSpec, role: String) -> MetricAttributionOutput {
        MetricAttributionOutput(s3DataDestination: spec.outputPath.map { S3DataConfig(path: $0) }, roleArn: role)
    }

    private static func metrics(of arn: String, service: any PersonalizeService) async throws -> [MetricAttribute] {
        try await EngineCalls.all(ListMetricAttributionMetricsRequest(metricAttributionArn: arn), service: service).map
        { metric in
            var metric = metric
            metric.expression = MetricExpressionText(metric.expression)?.text ?? metric.expression
            return metric
        }
    }

    private static func summary(_ request: UpdateMetricAttributionRequest) -> String {
        var parts: [String] = []
        if let removed = request.removeMetrics { parts.append("removing " + removed.joined(separator: ", ")) }
        if let added = request.addMetrics { parts.append("adding " + added.map(\.metricName).joined(separator: ", ")) }
        if request.metricsOutputConfig != nil { parts.append("new output") }
        return parts.joined(separator: "; ")
    }
}
