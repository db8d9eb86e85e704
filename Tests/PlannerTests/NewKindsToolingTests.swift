import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// The tools over the metric attribution and batch job kinds on the embedded engine: `tailor import` adopts
/// them (and a data deletion) with nothing left to do, and the graph, the JSON plan and `state show` name
/// them and their attributes.
@Suite struct NewKindsToolingTests {
    static let manifests =
        ShopFixtures.popular + """
            ---
            apiVersion: tailor/v1
            kind: BatchInferenceJob
            metadata: {name: weekly}
            spec: {solution: popular, input: batch, output: batch-out, numResults: 4}
            ---
            apiVersion: tailor/v1
            kind: MetricAttribution
            metadata: {name: shop-metrics}
            spec:
              datasetGroup: shop
              metrics: [{metricName: revenue, eventType: purchase, expression: SUM(Items.PRICE)}]
            ---
            apiVersion: tailor/v1
            kind: DataDeletion
            metadata: {name: forget}
            spec: {datasetGroup: shop, source: deleted.csv}

            """

    private func harness() throws -> EngineBackedHarness {
        let harness = try EngineBackedHarness()
        try ShopFixtures.write(to: harness.directory)
        try harness.directory.write("kinds.yaml", Self.manifests)
        try harness.directory.write("deleted.csv", "USER_ID\nu1\n")
        try harness.directory.write("batch/a.jsonl", #"{"userId": "u2"}"# + "\n")
        try harness.directory.write("batch/b.json", #"{"userId": "u3"}"# + "\n")
        return harness
    }

    @Test func importedObjectsPlanNoChanges() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        #expect(try await harness.apply().succeeded)
        #expect(try harness.directory.read("batch-out/a.jsonl.out").split(separator: "\n").count == 1)
        #expect(harness.directory.exists("batch-out/b.json.out"))
        let applied = try harness.state()
        try harness.store.write(applied.removing(applied.addresses))
        var state = try harness.state()
        let importer = Importer(service: harness.engine)
        let manifests = try harness.manifests()
        for address in applied.addresses {
            let result = try await importer.importing(
                address, arn: try #require(applied[address]?.arn), manifests: manifests, state: state)
            state = try harness.store.write(result.state)
        }
        let job = ResourceAddress(.batchInferenceJob, "weekly")
        #expect(state[job]?.spec["solutionVersion"] == applied[job]?.spec["solutionVersion"])
        #expect(state[job]?.spec["contentHash"] == applied[job]?.spec["contentHash"])
        let plan = try await harness.plan()
        #expect(!plan.hasChanges, "\(plan.changes.filter { $0.action != .noOp })")

        // A changed file in the input folder runs the job again.
        try harness.directory.write("batch/b.json", #"{"userId": "u4"}"# + "\n")
        #expect(try await harness.plan()[job]?.action == .replace)
    }

    @Test func graphJSONPlanAndStateShowNameTheNewKinds() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        let manifests = try harness.manifests()
        let dot = GraphRenderer.dot(manifests)
        #expect(dot.contains(#""batch-inference-job/weekly" -> "solution/popular";"#))
        #expect(dot.contains(#""metric-attribution/shop-metrics" -> "dataset/shop-items";"#))

        let plan = try await harness.plan()
        let json = PlanJSON.value(plan)
        let changes = json.mapValue?["resource_changes"]?.listValue ?? []
        let job = changes.first { $0.mapValue?["address"] == .string("batch-inference-job/weekly") }?.mapValue
        #expect(job?["type"] == .string("BatchInferenceJob"))
        let change = job?["change"]?.mapValue
        #expect(change?["after_unknown"]?.mapValue?["solutionVersion"] == .bool(true))
        #expect(change?["actions"] == .list([.string("create")]))

        #expect(try await harness.apply(plan).succeeded)
        let address = ResourceAddress(.batchInferenceJob, "weekly")
        let entry = try #require(try harness.state()[address])
        let shown = StateRenderer.show(entry, at: address)
        #expect(shown.contains("# batch-inference-job/weekly"))
        #expect(shown.contains("outputPath"))
        #expect(shown.contains("solutionVersion"))
    }
}
