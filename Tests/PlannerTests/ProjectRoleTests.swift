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
        try harness.directory.write("tailor.yaml", Self.project(role: Self.role, storage: "s3://shop-data/tailor"))
        let local = await #expect(throws: PlannerError.self) {
            try await aws.plan(harness.manifests(), state: harness.store.load())
        }
        #expect(
            local.map { "\($0)" }?.contains("export.yaml:") == true,
            "an export to a local folder cannot reach Amazon Personalize")
        try harness.directory.write(
            "export.yaml", Self.export.replacingOccurrences(of: "exports/", with: "s3://shop-data/exports/"))

        // The embedded engine takes its placeholder; with the project's role (and a bucket for the local import
        // file), AWS's plan goes through.
        _ = try await Planner(service: harness.engine).plan(harness.manifests(), state: harness.store.load())
        try harness.directory.write("tailor.yaml", Self.project(role: Self.role, storage: "s3://shop-data/tailor"))
        _ = try await aws.plan(harness.manifests(), state: harness.store.load())
    }

    @Test func aRoleThatIsNotAnIAMRoleARNIsReportedAtItsLine() throws {
        let directory = try ShopFixtures.directory(adding: ["tailor.yaml": Self.project(role: "PersonalizeS3")])
        defer { directory.remove() }
        let text = Fixtures.loadErrors(directory)
        #expect(text.contains("tailor.yaml:5:"), "\(text)")
        #expect(text.contains("must be an IAM role's ARN"))
    }
}
