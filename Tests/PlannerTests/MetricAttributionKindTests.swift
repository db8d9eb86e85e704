import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// The MetricAttribution kind on the embedded engine: metrics diffed by name, each change one exact
/// UpdateMetricAttribution, another dataset group replacing it, and the checks that need other manifests.
@Suite struct MetricAttributionKindTests {
    static let revenue = "{metricName: revenue, eventType: purchase, expression: SUM(Items.PRICE)}"
    static let clicks = "{metricName: clicks, eventType: click, expression: SAMPLECOUNT()}"

    static func attribution(_ metrics: [String], group: String = "shop", output: String = "{path: reports}")
        -> String
    {
        """
        apiVersion: tailor/v1
        kind: MetricAttribution
        metadata: {name: shop-metrics}
        spec:
          datasetGroup: \(group)
          metrics:
        \(metrics.map { "    - \($0)" }.joined(separator: "\n"))
          output: \(output)

        """
    }

    private func harness() throws -> EngineBackedHarness {
        let harness = try EngineBackedHarness()
        try ShopFixtures.write(to: harness.directory)
        try harness.directory.write("attribution.yaml", Self.attribution([Self.revenue, Self.clicks]))
        return harness
    }

    private func metrics(_ harness: EngineBackedHarness) async throws -> [String: MetricAttribute] {
        let arn = try harness.arn(ResourceAddress(.metricAttribution, "shop-metrics"))
        let listed = try await harness.local.send(ListMetricAttributionMetricsRequest(metricAttributionArn: arn))
        return Dictionary(uniqueKeysWithValues: (listed.metrics ?? []).map { ($0.metricName, $0) })
    }

    /// Writes `metrics`, checks the plan updates exactly `paths` in place, applies it and returns the one
    /// UpdateMetricAttribution apply sent.
    private func update(
        _ harness: EngineBackedHarness, _ metrics: [String], output: String = "{path: reports}", paths: [String]
    ) async throws -> UpdateMetricAttributionRequest? {
        try harness.directory.write("attribution.yaml", Self.attribution(metrics, output: output))
        let plan = try await harness.plan()
        let change = plan[ResourceAddress(.metricAttribution, "shop-metrics")]
        #expect(change?.action == .update)
        #expect(change?.fields.map(\.path) == paths)
        #expect(plan.changes.filter { $0.action != .noOp }.count == 1)
        await harness.engine.reset()
        #expect(try await harness.apply(plan).succeeded)
        #expect(try await !harness.plan().hasChanges)
        let sent = await harness.engine.requests
        #expect(sent.count == 1, "\(sent)")
        return sent.first as? UpdateMetricAttributionRequest
    }

    @Test func eachMetricChangeIsOneExactUpdate() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        let address = ResourceAddress(.metricAttribution, "shop-metrics")
        let created = try await harness.plan()
        #expect(created[address]?.dependencies.contains(ResourceAddress(.dataset, "shop-items")) == true)
        #expect(try await harness.apply(created).succeeded)
        let requests = await harness.engine.requests.map { "\(type(of: $0))" }
        let attribution = try #require(requests.firstIndex(of: "CreateMetricAttributionRequest"))
        #expect(requests.lastIndex(of: "CreateDatasetImportJobRequest").map { $0 < attribution } == true)
        #expect(try await metrics(harness).keys.sorted() == ["clicks", "revenue"])
        let arn = try harness.arn(address)
        let described = try await harness.local.send(DescribeMetricAttributionRequest(metricAttributionArn: arn))
        #expect(
            described.metricAttribution?.metricsOutputConfig?.s3DataDestination?.path
                == harness.directory.url.appendingPathComponent("reports").standardizedFileURL.path)

        // Order and spelling of expressions are no change.
        try harness.directory.write(
            "attribution.yaml",
            Self.attribution([
                Self.clicks, "{metricName: revenue, eventType: purchase, expression: 'sum( items.PRICE )'}",
            ]))
        #expect(try await !harness.plan().hasChanges)

        let purchases = "{metricName: purchases, eventType: purchase, expression: SAMPLECOUNT()}"
        let added = try await update(harness, [Self.revenue, Self.clicks, purchases], paths: ["metrics.purchases"])
        #expect(added?.addMetrics?.map(\.metricName) == ["purchases"])
        #expect(added?.removeMetrics == nil)
        #expect(added?.metricsOutputConfig == nil)
        #expect(try await metrics(harness).keys.sorted() == ["clicks", "purchases", "revenue"])

        let removed = try await update(harness, [Self.revenue, purchases], paths: ["metrics.clicks"])
        #expect(removed?.removeMetrics == ["clicks"])
        #expect(removed?.addMetrics == nil)
        #expect(try await metrics(harness).keys.sorted() == ["purchases", "revenue"])

        let views = "{metricName: revenue, eventType: view, expression: SUM(Items.PRICE)}"
        let changed = try await update(harness, [views, purchases], paths: ["metrics.revenue.eventType"])
        #expect(changed?.removeMetrics == ["revenue"])
        #expect(
            changed?.addMetrics == [
                MetricAttribute(eventType: "view", metricName: "revenue", expression: "SUM(Items.PRICE)")
            ])
        #expect(try await metrics(harness)["revenue"]?.eventType == "view")

        let moved = try await update(
            harness, [views, purchases], output: "{path: other-reports, roleArn: 'arn:aws:iam::111111111111:role/r'}",
            paths: ["output.path", "output.roleArn"])
        #expect(moved?.addMetrics == nil && moved?.removeMetrics == nil)
        #expect(moved?.metricsOutputConfig?.roleArn == "arn:aws:iam::111111111111:role/r")
        #expect(moved?.metricsOutputConfig?.s3DataDestination?.path.hasSuffix("/other-reports") == true)

        // A metric removed outside Tailor is drift, and apply adds it back.
        _ = try await harness.local.send(
            UpdateMetricAttributionRequest(removeMetrics: ["purchases"], metricAttributionArn: arn))
        let drifted = try await harness.plan()
        #expect(drifted.drift.first?.fields.map(\.path) == ["metrics.purchases"])
        #expect(drifted[address]?.action == .update)
        await harness.engine.reset()
        #expect(try await harness.apply(drifted).succeeded)
        let restored = await harness.engine.sent(UpdateMetricAttributionRequest.self)
        #expect(restored.first?.addMetrics?.map(\.metricName) == ["purchases"])
        #expect(restored.first?.removeMetrics == nil)
        #expect(try await metrics(harness).keys.sorted() == ["purchases", "revenue"])
    }

    @Test func anotherDatasetGroupReplacesItAndDestroyDeletesIt() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        try harness.directory.write(
            "other.yaml", "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata: {name: other}\n")
        try harness.directory.write("attribution.yaml", Self.attribution([Self.clicks]))
        #expect(try await harness.apply().succeeded)
        let address = ResourceAddress(.metricAttribution, "shop-metrics")
        let first = try harness.arn(address)

        try harness.directory.write("attribution.yaml", Self.attribution([Self.clicks], group: "other"))
        let plan = try await harness.plan()
        #expect(plan[address]?.action == .replace)
        #expect(plan[address]?.fields.map(\.path) == ["datasetGroup"])
        #expect(try await harness.apply(plan).succeeded)
        let other = try harness.arn(ResourceAddress(.datasetGroup, "other"))
        let listed = try await harness.local.send(ListMetricAttributionsRequest(datasetGroupArn: other))
        #expect(listed.metricAttributions?.map(\.name) == ["shop-metrics"])
        let shop = try harness.arn(ResourceAddress(.datasetGroup, "shop"))
        #expect(
            try await harness.local.send(ListMetricAttributionsRequest(datasetGroupArn: shop)).metricAttributions?
                .isEmpty == true)
        let moved = try await harness.local.send(DescribeMetricAttributionRequest(metricAttributionArn: first))
        #expect(moved.metricAttribution?.datasetGroupArn == other)
        #expect(await harness.engine.sent(DeleteMetricAttributionRequest.self).count == 1)
        #expect(try await !harness.plan().hasChanges)

        #expect(try await harness.destroy().succeeded)
        #expect(try await harness.local.send(ListMetricAttributionsRequest()).metricAttributions?.isEmpty == true)
    }

    @Test func anOverlayPatchesMetricsByName() throws {
        let project = ManifestFixtures.project(
            """
            resources: [shop.yaml, items.yaml, attribution.yaml]
            environments: {prod: {overlays: [prod]}}

            """, name: "shop")
        let overlay = """
            apiVersion: tailor/v1
            kind: MetricAttribution
            metadata: {name: shop-metrics}
            spec:
              metrics:
                - {metricName: clicks, eventType: view}
                - {metricName: purchases, eventType: purchase, expression: SAMPLECOUNT()}

            """
        let directory = try ShopFixtures.directory(adding: [
            "tailor.yaml": project, "attribution.yaml": Self.attribution([Self.revenue, Self.clicks]),
            "prod/attribution.yaml": overlay,
        ])
        defer { directory.remove() }
        let prod = try ManifestLoader.load(directory: directory.url, options: LoadOptions(environment: "prod"))
        guard case .metricAttribution(let spec)? = prod[ResourceAddress(.metricAttribution, "shop-metrics")]?.spec
        else {
            Issue.record("no metric attribution")
            return
        }
        #expect(spec.metrics.map(\.metricName) == ["clicks", "purchases", "revenue"])
        #expect(spec.metrics.map(\.eventType) == ["view", "purchase", "purchase"])
        #expect(spec.metrics.first?.expression == "SAMPLECOUNT()")
    }

    @Test func metricsAreCheckedAgainstTheGroupsDatasets() throws {
        func document(_ name: String, _ metrics: [String]) -> String {
            Self.attribution(metrics).replacingOccurrences(of: "name: shop-metrics", with: "name: \(name)")
        }
        let attributions = [
            document(
                "shop-metrics",
                [
                    "{metricName: a, eventType: buy, expression: SUM(Items.PRCE)}",
                    "{metricName: b, eventType: buy, expression: SUM(Items.GENRE)}",
                ]),
            document("second", [Self.clicks]),
            document(
                "broken",
                [
                    Self.clicks, Self.clicks, "{metricName: c, eventType: buy, expression: COUNT(Items.PRICE)}",
                    "{metricName: d, eventType: buy, expression: SUM(Users.AGE)}",
                ]),
        ].joined(separator: "---\n")
        let errors = try ShopFixtures.loadErrors(adding: ["attribution.yaml": attributions])
        #expect(
            errors.contains(
                "attribution.yaml:7:51: error: metric 'a' sums PRCE, which schema 'shop-items' does not have; "
                    + "did you mean 'PRICE'?"))
        #expect(
            errors.contains(
                "attribution.yaml:8:51: error: metric 'b' sums GENRE, a string field of schema 'shop-items'; "
                    + "SUM() applies only to numeric columns"))
        #expect(
            errors.contains(
                "attribution.yaml:13:18: error: dataset group 'shop' already has a metric attribution "
                    + "('shop-metrics', declared at"))
        #expect(errors.contains("attribution.yaml:27:20: error: duplicate metric 'clicks'; first declared at"))
        #expect(
            errors.contains("attribution.yaml:28:51: error: invalid expression 'COUNT(Items.PRICE)' for metric 'c'"))
        #expect(errors.contains("attribution.yaml:29:51: error: invalid expression 'SUM(Users.AGE)' for metric 'd'"))
    }
}
