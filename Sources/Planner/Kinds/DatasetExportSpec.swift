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
///   output: exports/interactions # a folder, relative to this file's folder, or an s3:// prefix
/// ```
package struct DatasetExportSpec: KindSpec {
    /// The dataset's name.
    package var dataset: String
    /// `BULK`, `PUT` or `ALL`: which records to export (bulk imports, individual puts, or both).
    package var ingestionMode: String
    /// Where the job writes, and where apply copies it to.
    package var output: JobOutput
    /// The job's own IAM role (else the project's).
    package var roleArn: String?

    static let ingestionModes = ["BULK", "PUT", "ALL"]

    static let definition = KindDefinition(
        kind: .datasetExport,
        fields: [
            FieldDefinition("dataset", .reference(.dataset), required: true, "Dataset to export"),
            FieldDefinition(
                "ingestionMode", .oneOf(ingestionModes), "Records to export: BULK (default), PUT or ALL"),
            JobOutput.field("the CSV files"),
            .roleArn,
        ],
        supportsTags: true,
        parse: { spec, context in
            let dataset = context.reference(.dataset, spec, "dataset")
            let role = context.roleArn(spec)
            guard let output = JobOutput(parsing: spec, context: &context), let dataset else { return nil }
            return .datasetExport(
                DatasetExportSpec(
                    dataset: dataset, ingestionMode: spec.string("ingestionMode") ?? "BULK", output: output,
                    roleArn: role))
        }
    )

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = [
            "dataset": .string(dataset), "ingestionMode": .string(ingestionMode), "output": output.value,
        ]
        fields["roleArn"] = roleArn.map(SpecValue.string)
        return fields
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
