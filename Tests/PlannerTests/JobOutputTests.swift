import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// A job's `output`: a folder or an `s3://` prefix, or `{path, download}`; each mistake reported at its line.
@Suite struct JobOutputTests {
    static func export(_ output: String) -> String {
        ManifestFixtures.document("DatasetExport", "backup", spec: "dataset: shop-interactions\noutput: \(output)\n")
    }

    @Test func theLongFormKeepsTheS3PathAndTheLocalDownloadFolder() throws {
        let directory = try ShopFixtures.directory(adding: [
            "export.yaml": Self.export("{path: \"s3://shop-data/exports/\", download: exports}")
        ])
        defer { directory.remove() }
        let manifests = try ManifestLoader.load(directory: directory.url)
        let resource = try #require(
            manifests.resources.first { $0.address == ResourceAddress(.datasetExport, "backup") })
        guard case .datasetExport(let spec) = resource.spec else {
            Issue.record("not an export")
            return
        }
        #expect(spec.output.path == "s3://shop-data/exports/")
        #expect(spec.output.downloadPath == directory.url.appendingPathComponent("exports").standardizedFileURL.path)
        #expect(
            spec.fields["output"] == .map(["path": .string("s3://shop-data/exports/"), "download": .string("exports")]))
    }

    @Test func theShortFormHashesAsItDidBeforeTheLongFormExisted() throws {
        let directory = try ShopFixtures.directory(adding: ["export.yaml": Self.export("exports/")])
        defer { directory.remove() }
        let manifests = try ManifestLoader.load(directory: directory.url)
        let resource = try #require(
            manifests.resources.first { $0.address == ResourceAddress(.datasetExport, "backup") })
        #expect(resource.spec.fields["output"] == .string("exports/"))
    }

    @Test(arguments: [
        ("{path: exports/, download: copy}", "export.yaml:7:", "is local already"),
        ("{path: \"s3://shop-data/x/\", download: \"s3://shop-data/y/\"}", "export.yaml:7:", "a local folder"),
        ("{download: copy}", "export.yaml:7:", "missing required field 'path'"),
        ("[exports]", "export.yaml:7:", "must be a string or a mapping"),
        ("{path: \"s3://Bad_Bucket/x/\"}", "export.yaml:7:", "not an s3://bucket/key URI"),
    ])
    func mistakesAreReportedAtTheirLine(_ output: String, _ location: String, _ message: String) throws {
        let text = try ShopFixtures.loadErrors(adding: ["export.yaml": Self.export(output)])
        #expect(text.contains(location), "\(text)")
        #expect(text.contains(message), "\(text)")
    }

    /// Manifests come from pull requests: a download writes files, so it stays inside the manifests' folder,
    /// links resolved, and the plan says which resource would leave it.
    @Test(arguments: ["../outside", "/tmp/tailor-elsewhere", "linked/out"])
    func aDownloadOutsideTheManifestsFolderIsRefusedByThePlan(_ download: String) async throws {
        let harness = try EngineBackedHarness()
        defer { harness.directory.remove() }
        try ShopFixtures.write(to: harness.directory)
        try FileManager.default.createSymbolicLink(
            atPath: harness.directory.url.appendingPathComponent("linked").path, withDestinationPath: "/tmp")
        try harness.directory.write(
            "export.yaml", Self.export("{path: \"s3://shop-data/exports/\", download: \"\(download)\"}"))
        let error = await #expect(throws: PlannerError.self) { try await harness.plan() }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("export.yaml:"), "\(text)")
        #expect(text.contains("outside the manifests' folder"), "\(text)")
        // Inside it, the same plan goes through.
        try harness.directory.write(
            "export.yaml", Self.export("{path: \"s3://shop-data/exports/\", download: exports}"))
        _ = try await harness.plan()
    }
}
