import Foundation
import ObjectStore

/// `kind: DatasetExport`: a dataset export job, run once per spec: apply runs it when it is declared and
/// again whenever its spec changes, and waits until it is ACTIVE. Removing the document only forgets the job
/// (the engine keeps finished jobs and the exported files).
///
/// ```yaml
/// kind: DatasetExport
/// metadata: {name: interactions-backup}
/// spec:
///   dataset: interactions
///   ingestionMode: BULK          # BULK (the default), PUT or ALL
///   output: exports/interactions # a folder, relative to this file's folder
/// ```
package struct DatasetExportSpec: KindSpec {
    /// The dataset's name.
    package var dataset: String
    /// `BULK`, `PUT` or `ALL`: which records to export (bulk imports, individual puts, or both).
    package var ingestionMode: String
    /// The output folder as written in the manifest.
    package var output: String
    /// The output folder as an absolute path.
    package var outputPath: String

    static let ingestionModes = ["BULK", "PUT", "ALL"]

    static let definition = KindDefinition(
        kind: .datasetExport,
        fields: [
            FieldDefinition("dataset", .reference(.dataset), required: true, "Dataset to export"),
            FieldDefinition(
                "ingestionMode", .oneOf(ingestionModes), "Records to export: BULK (default), PUT or ALL"),
            FieldDefinition("output", .string, required: true, "Folder to write to, relative to the manifest's folder"),
        ],
        supportsTags: true,
        parse: { spec, context in
            let dataset = context.reference(.dataset, spec, "dataset")
            guard let output = spec.string("output") else { return nil }
            guard let path = LocalPath.resolve(output, at: spec.location("output"), context: &context, what: "output")
            else { return nil }
            guard let dataset else { return nil }
            return .datasetExport(
                DatasetExportSpec(
                    dataset: dataset, ingestionMode: spec.string("ingestionMode") ?? "BULK", output: output,
                    outputPath: path))
        }
    )

    var fields: [String: SpecValue] {
        ["dataset": .string(dataset), "ingestionMode": .string(ingestionMode), "output": .string(output)]
    }
}

/// Local paths written in manifests: relative to the manifest's folder, absolute, or `file://` URLs.
enum LocalPath {
    /// The absolute path `written` names, or `written` itself when it is an `s3://` URI (the engine reads and
    /// writes it in its S3 store); reports at `location` when it is neither.
    static func resolve(
        _ written: String, at location: SourceLocation, context: inout ParseContext, what: String
    ) -> String? {
        if written.hasPrefix("s3://") {
            guard S3Location(written) != nil else {
                context.report(
                    location,
                    "\(what) '\(written)' is not an s3://bucket/key URI (a bucket of 3 to 63 lowercase letters, digits, "
                        + "dots and hyphens)")
                return nil
            }
            return written
        }
        let base = URL(fileURLWithPath: context.folder(of: location), isDirectory: true)
        let url: URL? =
            if written.hasPrefix("file://") {
                URL(string: written)
            } else if written.hasPrefix("/") {
                URL(fileURLWithPath: written)
            } else if written.contains("://") {
                nil
            } else {
                base.appendingPathComponent(written)
            }
        guard let url, url.isFileURL, !written.isEmpty else {
            context.report(location, "\(what) '\(written)' must be a local path, a file:// URL or an s3:// URI")
            return nil
        }
        return url.standardizedFileURL.path
    }
}
