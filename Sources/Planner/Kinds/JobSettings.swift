import Foundation

/// Where a job writes (a batch job's or an export's `output`), and where apply copies what it wrote.
///
/// Written either short, a local folder or an `s3://` prefix, or long, with a local folder apply downloads the
/// job's objects into once the job is ACTIVE:
///
/// ```yaml
/// output: batch/out
/// output: {path: s3://bucket/batch/out/, download: batch/out}
/// ```
///
/// A local folder with a remote engine and a project bucket (`spec.storage.bucket`) works as the long form:
/// the engine writes under the bucket and apply downloads into the folder, so the same manifests run embedded,
/// against a `tailor serve` and against Amazon Personalize.
package struct JobOutput: Hashable, Sendable, Codable {
    /// The location as written in the manifest.
    package var written: String
    /// The location as an absolute path, or the `s3://` URI.
    package var path: String
    /// The download folder as written in the manifest (long form only).
    package var download: String?
    /// The download folder as an absolute path.
    package var downloadPath: String?

    /// Whether the job writes to S3.
    package var isObject: Bool { path.hasPrefix("s3://") }

    /// The field, with `what` saying what the job writes.
    static func field(_ what: String) -> FieldDefinition {
        FieldDefinition(
            "output",
            .stringOrObject([
                FieldDefinition(
                    "path", .string, required: true,
                    "Folder (relative to the manifest's folder) or s3:// prefix the job writes to"),
                FieldDefinition(
                    "download", .string,
                    "Local folder (relative to the manifest's folder) apply copies the job's objects into"),
            ]), required: true,
            "Folder or s3:// prefix to write \(what) to, or {path, download} to copy an s3:// output next to the "
                + "manifests")
    }

    /// The `output` of `spec`; nil (reported) when it is missing or malformed.
    init?(parsing spec: MappingView, context: inout ParseContext) {
        if let long = spec.mapping("output") {
            guard let written = long.string("path"),
                let path = LocalPath.resolve(written, at: long.location("path"), context: &context, what: "output")
            else { return nil }
            self.written = written
            self.path = path
            guard let download = long.string("download") else { return }
            guard !path.hasPrefix("s3://") else {
                guard !download.hasPrefix("s3://"),
                    let downloadPath = LocalPath.resolve(
                        download, at: long.location("download"), context: &context, what: "download folder")
                else {
                    if download.hasPrefix("s3://") {
                        context.report(
                            long.location("download"),
                            "'output.download' is a local folder to copy the job's objects into, not '\(download)'")
                    }
                    return nil
                }
                self.download = download
                self.downloadPath = downloadPath
                return
            }
            context.report(
                long.location("download"),
                "'output.download' copies an s3:// output next to the manifests; '\(written)' is local already")
            return nil
        }
        guard let written = spec.string("output"),
            let path = LocalPath.resolve(written, at: spec.location("output"), context: &context, what: "output")
        else { return nil }
        self.written = written
        self.path = path
    }

    /// The field's value in the spec (and its hash): the short form as a string, so a spec written before the long
    /// form existed hashes as it did.
    var value: SpecValue {
        guard let download else { return .string(written) }
        return .map(["path": .string(written), "download": .string(download)])
    }
}

extension ParseContext {
    /// A job's own `roleArn` (overriding the project's `spec.roleArn`); nil, reported, when it is not an IAM
    /// role's ARN.
    mutating func roleArn(_ spec: MappingView, _ key: String = "roleArn") -> String? {
        guard let role = spec.string(key) else { return nil }
        guard Project.isRoleArn(role) else {
            report(
                spec.location(key),
                "'\(spec.path.isEmpty ? key : "\(spec.path).\(key)")' must be an IAM role's ARN "
                    + "(arn:aws:iam::123456789012:role/NAME), got '\(role)'")
            return nil
        }
        return role
    }
}

extension FieldDefinition {
    /// A job's own IAM role.
    static let roleArn = FieldDefinition(
        "roleArn", .string, "IAM role the service assumes to read and write S3 (default: the project's spec.roleArn)")
}
