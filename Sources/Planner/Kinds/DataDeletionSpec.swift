import Foundation

/// `kind: DataDeletion`: a data deletion job that removes the users listed in a CSV file (a `USER_ID`
/// column) from every dataset of the group. Like a dataset import, it runs once per content of the file:
/// apply runs it when it is declared and again when the file's content changes, and waits until it is
/// COMPLETED. Removing the document only forgets the job.
///
/// ```yaml
/// kind: DataDeletion
/// metadata: {name: gdpr-requests}
/// spec:
///   datasetGroup: shop
///   source: data/deleted-users.csv   # relative to this file's folder
/// ```
package struct DataDeletionSpec: KindSpec {
    /// The dataset group's name.
    package var datasetGroup: String
    /// The CSV file as written in the manifest.
    package var source: String
    /// The CSV file as an absolute path.
    package var path: String
    /// `sha256:` of the file's content, set when planning (nil while only validating).
    package var contentHash: String?
    /// The job's own IAM role (else the project's).
    package var roleArn: String?

    static let definition = KindDefinition(
        kind: .dataDeletion,
        fields: [
            FieldDefinition("datasetGroup", .reference(.datasetGroup), required: true, "Dataset group to delete from"),
            FieldDefinition(
                "source", .string, required: true,
                "CSV file with a USER_ID column (relative to the manifest's folder), or s3:// object or prefix; "
                    + "re-run when its content changes"),
            .roleArn,
        ],
        supportsTags: true,
        parse: { spec, context in
            let group = context.reference(.datasetGroup, spec, "datasetGroup")
            let role = context.roleArn(spec)
            guard let source = spec.string("source"),
                let path = LocalPath.resolve(source, at: spec.location("source"), context: &context, what: "source")
            else { return nil }
            if !path.hasPrefix("s3://"), !FileManager.default.fileExists(atPath: path) {
                context.report(
                    spec.location("source"), "data deletion source '\(source)' does not exist (looked for \(path))")
            }
            guard let group else { return nil }
            return .dataDeletion(DataDeletionSpec(datasetGroup: group, source: source, path: path, roleArn: role))
        }
    )

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = ["datasetGroup": .string(datasetGroup), "source": .string(source)]
        fields["contentHash"] = contentHash.map(SpecValue.string)
        fields["roleArn"] = roleArn.map(SpecValue.string)
        return fields
    }
}
