import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// The project's `spec.roleArn`: the IAM role jobs pass (none is invented for Amazon Personalize), checked at its
/// line, required by a plan for Amazon Personalize when a job would go without one.
@Suite(.tags(.medium))
struct ProjectRoleTests {
    static let role = "arn:aws:iam::123456789012:role/PersonalizeS3"

    static func project(role: String, storage: String? = nil) -> String {
        """
        apiVersion: tailor/v1
        kind: Project
        metadata: {name: shop}
        spec:
          roleArn: \(role)
        \(storage.map { "  storage: {bucket: \"\($0)\"}" } ?? "")

        """
    }

    static let export = """
        apiVersion: tailor/v1
        kind: DatasetExport
        metadata: {name: backup}
        spec:
          dataset: shop-interactions
          output: exports/

        """

    @Test func jobsPassTheProjectsRole() async throws {
        let harness = try EngineBackedHarness()
        defer { harness.directory.remove() }
        try ShopFixtures.write(to: harness.directory)
        try harness.directory.write("tailor.yaml", Self.project(role: Self.role))
        try harness.directory.write("export.yaml", Self.export)
        #expect(try await harness.apply().succeeded)
        let imports = await harness.engine.sent(CreateDatasetImportJobRequest.self)
        #expect(!imports.isEmpty)
        #expect(imports.allSatisfy { $0.roleArn == Self.role })
        let exports = await harness.engine.sent(CreateDatasetExportJobRequest.self)
        #expect(exports.map(\.roleArn) == [Self.role])
    }

    @Test func aPlanForAmazonPersonalizeRefusesJobsWithoutARoleAtTheirLine() async throws {
        let harness = try EngineBackedHarness()
        defer { harness.directory.remove() }
        try ShopFixtures.write(to: harness.directory)
        try harness.directory.write("export.yaml", Self.export)
        let aws = Planner(service: harness.engine, requiresRoles: true)
        let error = await #expect(throws: PlannerError.self) {
            try await aws.plan(harness.manifests(), state: harness.store.load())
        }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("export.yaml:"))
        #expect(text.contains("shop.yaml:"), "the dataset's import runs a job too")
        #expect(text.contains("spec.roleArn"))
        #expect(await harness.engine.requests.isEmpty, "nothing was sent")
        // Without a bucket, a local export folder cannot reach Amazon Personalize; with one, apply downloads it.
        try harness.directory.write("tailor.yaml", Self.project(role: Self.role))
        let noBucket = await #expect(throws: PlannerError.self) {
            try await aws.plan(harness.manifests(), state: harness.store.load())
        }
        #expect(noBucket.map { "\($0)" }?.contains("export.yaml:") == true)
        #expect(noBucket.map { "\($0)" }?.contains("spec.storage.bucket") == true)
        // A metric attribution's reports are written by the service on its own schedule: never downloaded.
        try harness.directory.write("tailor.yaml", Self.project(role: Self.role, storage: "s3://shop-data/tailor"))
        try harness.directory.write("metrics.yaml", Self.metrics(output: "reports/"))
        let local = await #expect(throws: PlannerError.self) {
            try await aws.plan(harness.manifests(), state: harness.store.load())
        }
        #expect(local.map { "\($0)" }?.contains("metrics.yaml:") == true, "\(String(describing: local))")
        #expect(local.map { "\($0)" }?.contains("export.yaml") == false, "the export's folder is exchanged")
        try harness.directory.write("metrics.yaml", Self.metrics(output: "s3://shop-data/reports/"))
        // The embedded engine takes its placeholder; with the project's role (and a bucket for the local import
        // file), AWS's plan goes through.
        _ = try await Planner(service: harness.engine).plan(harness.manifests(), state: harness.store.load())
        try harness.directory.write("tailor.yaml", Self.project(role: Self.role, storage: "s3://shop-data/tailor"))
        _ = try await aws.plan(harness.manifests(), state: harness.store.load())
    }

    static func metrics(output: String) -> String {
        """
        apiVersion: tailor/v1
        kind: MetricAttribution
        metadata: {name: shop-metrics}
        spec:
          datasetGroup: shop
          metrics:
            - {metricName: clicks, eventType: click, expression: SAMPLECOUNT()}
          output: {path: "\(output)"}

        """
    }

    @Test func aJobsOwnRoleOverridesTheProjects() async throws {
        let harness = try EngineBackedHarness()
        defer { harness.directory.remove() }
        try ShopFixtures.write(to: harness.directory)
        let own = "arn:aws:iam::123456789012:role/Exporter"
        try harness.directory.write("tailor.yaml", Self.project(role: Self.role))
        try harness.directory.write("export.yaml", Self.export + "  roleArn: \(own)\n")
        // The project's role is enough for Amazon Personalize's role check; the export's own wins when it runs.
        #expect(Planner.jobsWithoutRole(try harness.manifests()).isEmpty)
        #expect(try await harness.apply().succeeded)
        #expect(await harness.engine.sent(CreateDatasetExportJobRequest.self).map(\.roleArn) == [own])
        #expect(await harness.engine.sent(CreateDatasetImportJobRequest.self).allSatisfy { $0.roleArn == Self.role })

        // With no project role, only the jobs that have their own pass the check.
        try harness.directory.write("tailor.yaml", "apiVersion: tailor/v1\nkind: Project\nmetadata: {name: shop}\n")
        let missing = Planner.jobsWithoutRole(try harness.manifests()).map(\.address)
        #expect(!missing.contains(ResourceAddress(.datasetExport, "backup")))
        #expect(missing.contains(ResourceAddress(.dataset, "shop-interactions")))
    }

    @Test func aJobsRoleThatIsNotAnIAMRoleARNIsReportedAtItsLine() throws {
        let directory = try ShopFixtures.directory(adding: ["export.yaml": Self.export + "  roleArn: Exporter\n"])
        defer { directory.remove() }
        let text = Fixtures.loadErrors(directory)
        #expect(text.contains("export.yaml:7:"), "\(text)")
        #expect(text.contains("'spec.roleArn' must be an IAM role's ARN"), "\(text)")
    }

    @Test func aRoleThatIsNotAnIAMRoleARNIsReportedAtItsLine() throws {
        let directory = try ShopFixtures.directory(adding: ["tailor.yaml": Self.project(role: "PersonalizeS3")])
        defer { directory.remove() }
        let text = Fixtures.loadErrors(directory)
        #expect(text.contains("tailor.yaml:5:"), "\(text)")
        #expect(text.contains("must be an IAM role's ARN"))
    }
}
