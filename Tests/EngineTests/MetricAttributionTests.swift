import Engine
import EngineAPI
import Foundation
import PersonalizeRules
import TailorTestSupport
import Testing

/// Metric attributions: the control plane (limits, statuses, update, delete) and the reports of what
/// PutEvents and bulk imports bring in, attributed to the campaign that served each recommendation.
@Suite struct MetricAttributionTests {
    static let interactionsSchema = """
        {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema", "fields": [
          {"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
          {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
          {"name": "EVENT_VALUE", "type": ["null", "float"]},
          {"name": "RECOMMENDATION_ID", "type": ["null", "string"]},
          {"name": "EVENT_ATTRIBUTION_SOURCE", "type": ["null", "string"]}], "version": "1.0"}
        """
    static let itemsSchema = """
        {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "fields": [
          {"name": "ITEM_ID", "type": "string"}, {"name": "GENRE", "type": "string", "categorical": true},
          {"name": "PRICE", "type": "float"}], "version": "1.0"}
        """
    static let role = "arn:aws:iam::000000000000:role/personalize"

    /// Item `i<k>` costs 10k + 5.
    static func price(_ item: Int) -> Double { Double(item) * 10 + 5 }

    /// A dataset group with interactions and items datasets; `csv` (if any) imported FULL before anything else.
    struct Shop {
        let directory: TemporaryDirectory
        let engine: LocalEngine
        let group: String
        let interactions: String
        let items: String

        static var limits: EngineLimits {
            var limits = EngineHarness.smallLimits
            limits.minimumInteractionsPerImport = 1
            return limits
        }

        /// Opens an engine on `directory` (a new one unless given) with a dataset group, its interactions
        /// and items datasets, and 20 items.
        static func open(_ directory: TemporaryDirectory? = nil) async throws -> Shop {
            let directory = try directory ?? TemporaryDirectory("tailor-attribution")
            let engine = try EngineHarness.open(directory.url.appendingPathComponent("data"), limits: limits)
            let group = try await engine.send(CreateDatasetGroupRequest(name: "shop")).datasetGroupArn ?? ""
            func dataset(_ name: String, _ type: String, _ schema: String) async throws -> String {
                try await EngineHarness.createDataset(name, type: type, schema: schema, inGroup: group, on: engine)
            }
            let interactions = try await dataset("interactions", "Interactions", interactionsSchema)
            let items = try await dataset("items", "Items", itemsSchema)
            for batch in stride(from: 0, to: 20, by: 10) {
                let records = (batch..<(batch + 10)).map { item in
                    Item(itemId: "i\(item)", properties: #"{"genre": "g\#(item % 3)", "price": \#(price(item))}"#)
                }
                _ = try await engine.send(PutItemsRequest(datasetArn: items, items: records))
            }
            return Shop(directory: directory, engine: engine, group: group, interactions: interactions, items: items)
        }

        /// Trains a popularity-count version and deploys it; returns the campaign ARN.
        func campaign() async throws -> String {
            let solution =
                try await engine.send(
                    CreateSolutionRequest(
                        name: "popular", recipeArn: ARN.recipe("aws-popularity-count"), datasetGroupArn: group)
                ).solutionArn ?? ""
            let version =
                try await engine.send(CreateSolutionVersionRequest(solutionArn: solution)).solutionVersionArn ?? ""
            await engine.waitForBackgroundJobs()
            let status = try await engine.send(DescribeSolutionVersionRequest(solutionVersionArn: version))
                .solutionVersion?.status
            #expect(status == "ACTIVE")
            let campaign =
                try await engine.send(CreateCampaignRequest(name: "shop", solutionVersionArn: version)).campaignArn
                ?? ""
            await engine.waitForBackgroundJobs()
            return campaign
        }

        /// Imports `csv` into the interactions dataset; returns the job's final status.
        func importInteractions(_ csv: String, name: String, mode: ImportMode, publish: Bool = false) async throws
            -> String?
        {
            let file = try directory.write("\(name).csv", csv)
            let job =
                try await engine.send(
                    CreateDatasetImportJobRequest(
                        jobName: name, datasetArn: interactions, dataSource: DataSource(dataLocation: file.path),
                        importMode: mode, publishAttributionMetricsToS3: publish)
                ).datasetImportJobArn ?? ""
            let engine = self.engine
            return try await EngineHarness.settle {
                try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: job)).datasetImportJob?
                    .status
            }
        }

        /// Creates an attribution and waits until it is ACTIVE.
        func attribution(_ metrics: [MetricAttribute], output: String? = nil) async throws -> String {
            let arn =
                try await engine.send(
                    CreateMetricAttributionRequest(
                        name: "impact", datasetGroupArn: group, metrics: metrics,
                        metricsOutputConfig: MetricAttributionOutput(
                            s3DataDestination: output.map { S3DataConfig(path: $0) }, roleArn: role))
                ).metricAttributionArn ?? ""
            let engine = self.engine
            let status = try await EngineHarness.settle {
                try await engine.send(DescribeMetricAttributionRequest(metricAttributionArn: arn)).metricAttribution?
                    .status
            }
            #expect(status == "ACTIVE")
            return arn
        }
    }

    /// 10 users × 12 items, every third event a purchase, timestamps in the past.
    static func history(start: Int) -> String {
        var lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,RECOMMENDATION_ID,EVENT_ATTRIBUTION_SOURCE"]
        for user in 0..<10 {
            for item in 0..<12 {
                let type = (user + item) % 3 == 0 ? "purchase" : "click"
                lines.append("u\(user),i\(item),\(start + user * 100 + item),\(type),2.5,,")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func window(_ timestamp: Int) -> Int64 { Int64(timestamp - timestamp % 900) }

    /// A report row of the metrics the report test defines: CLICKS counts clicks (SAMPLECOUNT); REVENUE and VALUE
    /// sum over purchases.
    static func row(_ metric: String, _ value: Double, source: String, at window: Int64) -> AttributionReportRow {
        let clicks = metric == "CLICKS"
        return AttributionReportRow(
            metricName: metric, eventType: clicks ? "click" : "purchase", value: value,
            mathFunction: clicks ? "samplecount" : "sum", source: source, timestamp: window)
    }

    @Test func theControlPlaneFollowsTheGuidesRules() async throws {
        let shop = try await Shop.open()
        defer { shop.directory.remove() }
        let engine = shop.engine
        func create(_ metrics: [MetricAttribute], path: String? = nil) async throws {
            _ = try await engine.send(
                CreateMetricAttributionRequest(
                    name: "impact", datasetGroupArn: shop.group, metrics: metrics,
                    metricsOutputConfig: MetricAttributionOutput(
                        s3DataDestination: path.map { S3DataConfig(path: $0) }, roleArn: Self.role)))
        }
        func error(_ body: () async throws -> Void) async -> PersonalizeError? {
            do {
                try await body()
                return nil
            } catch { return error as? PersonalizeError }
        }
        let notNumeric = await error {
            try await create([.init(eventType: "watch", metricName: "m", expression: "SUM(Items.GENRE)")])
        }
        #expect(notNumeric?.code == .invalidInputException)
        #expect(notNumeric?.message.contains("only to numeric columns") == true)
        let usersSum = await error {
            try await create([.init(eventType: "watch", metricName: "m", expression: "SUM(Users.AGE)")])
        }
        #expect(usersSum?.code == .invalidInputException)
        let unknown = await error {
            try await create([.init(eventType: "watch", metricName: "m", expression: "AVG(Items.PRICE)")])
        }
        #expect(unknown?.message.contains("SUM(DatasetType.COLUMN_NAME) or SAMPLECOUNT()") == true)
        let missing = await error {
            try await create([.init(eventType: "watch", metricName: "m", expression: "SUM(Items.WEIGHT)")])
        }
        #expect(missing?.message.contains("no WEIGHT field") == true)
        let eleven = (0..<11).map {
            MetricAttribute(eventType: "click", metricName: "m\($0)", expression: "SAMPLECOUNT()")
        }
        #expect(await error { try await create(eleven) }?.code == .invalidInputException)
        let twice = [MetricAttribute](
            repeating: .init(eventType: "click", metricName: "m", expression: "SAMPLECOUNT()"), count: 2)
        #expect(await error { try await create(twice) }?.code == .invalidInputException)
        let s3 = await error {
            try await create(
                [.init(eventType: "click", metricName: "m", expression: "SAMPLECOUNT()")], path: "s3://bucket/out/")
        }
        #expect(s3?.message.contains("no S3 store") == true)

        let arn = try await shop.attribution([
            .init(eventType: "click", metricName: "CLICKS", expression: "samplecount()"),
            .init(eventType: "purchase", metricName: "REVENUE", expression: "SUM( Items.PRICE )"),
        ])
        #expect(arn.hasSuffix(":metric-attribution/impact"))
        let again = await error {
            try await create([.init(eventType: "click", metricName: "m", expression: "SAMPLECOUNT()")])
        }
        #expect(again?.code == .resourceAlreadyExistsException)
        let listed = try await engine.send(ListMetricAttributionsRequest(datasetGroupArn: shop.group))
        #expect(listed.metricAttributions?.map(\.metricAttributionArn) == [arn])

        let first = try await engine.send(ListMetricAttributionMetricsRequest(metricAttributionArn: arn, maxResults: 1))
        #expect(first.metrics?.map(\.metricName) == ["CLICKS"])
        let second = try await engine.send(
            ListMetricAttributionMetricsRequest(metricAttributionArn: arn, nextToken: first.nextToken, maxResults: 1))
        #expect(second.metrics?.map(\.metricName) == ["REVENUE"])
        #expect(second.nextToken == nil)

        let badRemove = await error {
            _ = try await engine.send(
                UpdateMetricAttributionRequest(removeMetrics: ["NOPE"], metricAttributionArn: arn))
        }
        #expect(badRemove?.code == .invalidInputException)
        _ = try await engine.send(
            UpdateMetricAttributionRequest(
                addMetrics: [
                    .init(eventType: "purchase", metricName: "VALUE", expression: "SUM(Interactions.EVENT_VALUE)")
                ],
                removeMetrics: ["CLICKS"], metricAttributionArn: arn))
        let updating = try await engine.send(DescribeMetricAttributionRequest(metricAttributionArn: arn))
        #expect(["UPDATE PENDING", "ACTIVE"].contains(updating.metricAttribution?.status))
        await engine.waitForBackgroundJobs()
        let after = try await engine.send(ListMetricAttributionMetricsRequest(metricAttributionArn: arn))
        #expect(after.metrics?.map(\.metricName) == ["REVENUE", "VALUE"])
        #expect(
            try await engine.send(DescribeMetricAttributionRequest(metricAttributionArn: arn)).metricAttribution?.status
                == "ACTIVE")

        let groupInUse = await error {
            _ = try await engine.send(DeleteDatasetGroupRequest(datasetGroupArn: shop.group))
        }
        #expect(groupInUse?.code == .resourceInUseException)
        _ = try await engine.send(DeleteMetricAttributionRequest(metricAttributionArn: arn))
        await engine.waitForBackgroundJobs()
        let gone = await error {
            _ = try await engine.send(DescribeMetricAttributionRequest(metricAttributionArn: arn))
        }
        #expect(gone?.code == .resourceNotFoundException)
    }

    /// Expects the attribution's report to be `expected`; a difference names the rows (it failed once under load).
    private func expectReport(
        _ engine: LocalEngine, _ arn: String, _ expected: Set<AttributionReportRow>, now: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let reported = Set(try await engine.metricAttributionReport(arn: arn))
        let extra = reported.subtracting(expected)
        let missing = expected.subtracting(reported)
        #expect(
            reported == expected, "reported, not expected: \(extra); expected, missing: \(missing); now \(now)",
            sourceLocation: sourceLocation)
    }

    @Test func eventsAndIncrementalImportsAreReportedPerSourceAndWindow() async throws {
        let shop = try await Shop.open()
        defer { shop.directory.remove() }
        let engine = shop.engine
        let now = Int(Date().timeIntervalSince1970)
        // Imported before the attribution exists: never reported.
        #expect(
            try await shop.importInteractions(Self.history(start: now - 86_400), name: "history", mode: .full)
                == "ACTIVE")
        let campaign = try await shop.campaign()
        let trackingID =
            try await engine.send(CreateEventTrackerRequest(name: "shop", datasetGroupArn: shop.group)).trackingId ?? ""
        let reports = shop.directory.url.appendingPathComponent("reports")
        let arn = try await shop.attribution(
            [
                .init(eventType: "click", metricName: "CLICKS", expression: "SAMPLECOUNT()"),
                .init(eventType: "purchase", metricName: "REVENUE", expression: "SUM(Items.PRICE)"),
                .init(eventType: "purchase", metricName: "VALUE", expression: "SUM(Interactions.EVENT_VALUE)"),
            ], output: "file://" + reports.path)

        let recommendation = try await engine.send(GetRecommendationsRequest(campaignArn: campaign, userId: "u1"))
        let rid = try #require(recommendation.recommendationId)
        #expect(rid.count <= 40)
        let sent = Date(timeIntervalSince1970: TimeInterval(now))
        let old = Date(timeIntervalSince1970: TimeInterval(now - 20 * 86_400))
        _ = try await engine.send(
            PutEventsRequest(
                trackingId: trackingID, userId: "u1", sessionId: "s1",
                eventList: [
                    Event(eventId: "e1", eventType: "click", itemId: "i3", sentAt: sent, recommendationId: rid),
                    Event(
                        eventId: "e2", eventType: "click", itemId: "i4", sentAt: sent.addingTimeInterval(1),
                        recommendationId: rid),
                    Event(
                        eventId: "e3", eventType: "purchase", eventValue: 3, itemId: "i4",
                        sentAt: sent.addingTimeInterval(2), recommendationId: rid,
                        metricAttribution: EventsMetricAttribution(eventAttributionSource: "newsletter")),
                    Event(
                        eventId: "e4", eventType: "purchase", eventValue: 1, itemId: "i2",
                        sentAt: sent.addingTimeInterval(3)),
                    Event(eventId: "e5", eventType: "click", itemId: "i9", sentAt: old),
                    Event(eventId: "e6", eventType: "view", itemId: "i9", sentAt: sent),
                ]))
        let window = Self.window(now)
        let undefined = "SOURCE_NAME_UNDEFINED"
        var expected: Set<AttributionReportRow> = [
            Self.row("CLICKS", 2, source: campaign, at: window),
            Self.row("REVENUE", Self.price(4), source: "newsletter", at: window),
            Self.row("REVENUE", Self.price(2), source: undefined, at: window),
            Self.row("VALUE", 3, source: "newsletter", at: window),
            Self.row("VALUE", 1, source: undefined, at: window),
        ]
        try await expectReport(engine, arn, expected, now: now)

        // An INCREMENTAL import adds to the totals and, with publishAttributionMetricsToS3, writes its own report.
        let bulk = """
            USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,RECOMMENDATION_ID,EVENT_ATTRIBUTION_SOURCE
            u2,i5,\(now),click,,\(rid),
            u3,i6,\(now),purchase,4,,partner
            u4,i6,\(now - 3 * 86_400),purchase,4,,partner

            """
        #expect(try await shop.importInteractions(bulk, name: "more", mode: .incremental, publish: true) == "ACTIVE")
        expected.remove(Self.row("CLICKS", 2, source: campaign, at: window))
        let earlier = Self.window(now - 3 * 86_400)
        expected.formUnion([
            Self.row("CLICKS", 3, source: campaign, at: window),
            Self.row("REVENUE", Self.price(6), source: "partner", at: window),
            Self.row("VALUE", 4, source: "partner", at: window),
            Self.row("REVENUE", Self.price(6), source: "partner", at: earlier),
            Self.row("VALUE", 4, source: "partner", at: earlier),
        ])
        try await expectReport(engine, arn, expected, now: now)

        let files = try FileManager.default.contentsOfDirectory(atPath: reports.path)
        #expect(files.count == 1)
        let file = try #require(files.first)
        #expect(file.hasPrefix("AggregatedAttributionMetrics - BULK - ") && file.hasSuffix(".csv"))
        let lines = try String(contentsOf: reports.appendingPathComponent(file), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(lines.first == "METRIC_NAME,EVENT_TYPE,VALUE,MATH_FUNCTION,EVENT_ATTRIBUTION_SOURCE,TIMESTAMP")
        #expect(
            Set(lines.dropFirst()) == [
                "CLICKS,CLICK,1.0,samplecount,\(campaign),\(window)",
                "REVENUE,PURCHASE,\(Self.price(6)),sum,partner,\(window)",
                "REVENUE,PURCHASE,\(Self.price(6)),sum,partner,\(earlier)",
                "VALUE,PURCHASE,4.0,sum,partner,\(window)",
                "VALUE,PURCHASE,4.0,sum,partner,\(earlier)",
            ])

        // A FULL import publishes its report but does not add to the running totals.
        #expect(
            try await shop.importInteractions(
                Self.history(start: now - 3600), name: "replace", mode: .full, publish: true) == "ACTIVE")
        try await expectReport(engine, arn, expected, now: now)
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path).count >= 1)
    }

    @Test func theAttributionSurvivesARestartAndItsTotalsAreKept() async throws {
        let directory = try TemporaryDirectory("tailor-attribution")
        defer { directory.remove() }
        let arn: String
        do {
            let shop = try await Shop.open(directory)
            #expect(
                try await shop.importInteractions(Self.history(start: 1_700_000_000), name: "history", mode: .full)
                    == "ACTIVE")
            let tracker =
                try await shop.engine.send(CreateEventTrackerRequest(name: "shop", datasetGroupArn: shop.group))
                .trackingId ?? ""
            arn = try await shop.attribution([
                .init(eventType: "click", metricName: "CLICKS", expression: "SAMPLECOUNT()")
            ])
            _ = try await shop.engine.send(
                PutEventsRequest(
                    trackingId: tracker, userId: "u1", sessionId: "s1",
                    eventList: [Event(eventType: "click", itemId: "i1", sentAt: Date())]))
        }
        let reopened = try EngineHarness.open(directory.url.appendingPathComponent("data"), limits: Shop.limits)
        let report = try await reopened.metricAttributionReport(arn: arn)
        #expect(report.map(\.value) == [1])
        #expect(report.first?.source == "SOURCE_NAME_UNDEFINED")
        let status = try await reopened.send(DescribeMetricAttributionRequest(metricAttributionArn: arn))
            .metricAttribution?.status
        #expect(status == "ACTIVE")
    }
}
