import Foundation
import ObjectStore
import PersonalizeRules

/// `kind: Dataset`: one dataset of a dataset group, with its schema and, optionally, the file to import.
/// The import is a managed child: apply imports when the dataset is created or the file's content changes.
///
/// ```yaml
/// kind: Dataset
/// metadata: {name: interactions}
/// spec:
///   datasetGroup: movielens
///   type: INTERACTIONS
///   schema: interactions
///   import:
///     source: data/ratings.csv       # relative to this file's folder
///     mode: FULL
///     fetch: {command: [./fetch-movielens.sh]}   # run by apply, with consent, when the source is missing
/// ```
///
/// A fetch command is code from the manifests: `validate` and `plan` never run it; `apply` runs it only with
/// `--allow-fetch` or the project's `spec.allowFetch: true` (see ``Planner/resolvingFetches(_:manifests:state:allowed:fetcher:onFetch:)``).
package struct DatasetSpec: KindSpec {
    /// The dataset group's name.
    package var datasetGroup: String
    /// The schema's name.
    package var schema: String
    /// `INTERACTIONS`, `ITEMS`, `USERS`, `ACTIONS` or `ACTION_INTERACTIONS`.
    package var type: String
    /// The data to import, if any.
    package var dataImport: DatasetImport?

    static let definition = KindDefinition(
        kind: .dataset,
        fields: [
            FieldDefinition("datasetGroup", .reference(.datasetGroup), required: true, "Dataset group it belongs to"),
            FieldDefinition("type", .oneOf(DatasetType.allCases.map(\.rawValue)), required: true, "Dataset type"),
            FieldDefinition("schema", .reference(.schema), required: true, update: .inPlace, "Schema of its records"),
            FieldDefinition(
                "import",
                .object([
                    FieldDefinition(
                        "source", .string, required: true,
                        "CSV file (relative to the manifest's folder), file:// URL, or s3:// object or prefix"),
                    FieldDefinition(
                        "mode", .oneOf(["FULL", "INCREMENTAL"]), "FULL replaces the data; INCREMENTAL adds"),
                    .roleArn,
                    FieldDefinition(
                        "fetch",
                        .object([
                            FieldDefinition(
                                "command", .list(.string), required: true, "Command (argv, no shell) to run")
                        ]), "How to obtain the source when it is missing (run by apply with --allow-fetch)"),
                ]), "Data to import; re-imported when the file's content changes"),
        ],
        supportsTags: true,
        parse: parse
    )

    private static func parse(_ spec: MappingView, _ context: inout ParseContext) -> ResourceSpec? {
        let group = context.reference(.datasetGroup, spec, "datasetGroup")
        let schema = context.reference(.schema, spec, "schema")
        let dataImport = spec.mapping("import").flatMap { DatasetImport(parsing: $0, context: &context) }
        guard let group, let schema, let type = spec.string("type"), DatasetType(rawValue: type) != nil
        else { return nil }
        return .dataset(DatasetSpec(datasetGroup: group, schema: schema, type: type, dataImport: dataImport))
    }

    var fields: [String: SpecValue] {
        ["datasetGroup": .string(datasetGroup), "schema": .string(schema), "type": .string(type)]
    }
}

/// A dataset's `import`: the file, the mode and how to fetch the file when it is missing.
package struct DatasetImport: Hashable, Sendable, Codable {
    /// The source as written in the manifest.
    package var source: String
    /// The source as an absolute path.
    package var path: String
    /// `FULL` or `INCREMENTAL`.
    package var mode: String
    /// The command that fetches the source (argv; run without a shell in ``directory``), if any.
    package var fetchCommand: [String]?
    /// Where `fetch.command` is written.
    package var fetchLocation: SourceLocation?
    /// The manifest's folder: where relative paths start and where the fetch command runs.
    package var directory: String
    /// Where `source` is written.
    package var location: SourceLocation
    /// The import job's own IAM role (else the project's).
    package var roleArn: String?

    /// Whether the source is an `s3://` object or prefix (the engine reads it there; ``path`` is the URI).
    package var isObject: Bool { source.hasPrefix("s3://") }

    init?(parsing spec: MappingView, context: inout ParseContext) {
        guard let source = spec.string("source") else { return nil }
        let command = spec.mapping("fetch")?.list("command")?.compactMap(\.text)
        if let command, command.isEmpty, let fetch = spec.mapping("fetch") {
            context.report(fetch.location("command"), "'\(fetch.path).command' must name a program to run")
        }
        let folder = context.folder(of: spec.location("source"))
        self.roleArn = context.roleArn(spec)
        if source.hasPrefix("s3://") {
            if S3Location(source) == nil {
                context.report(
                    spec.location("source"),
                    "import source '\(source)' is not an s3://bucket/key URI (a bucket of 3 to 63 lowercase letters, "
                        + "digits, dots and hyphens)")
                return nil
            }
            if let fetch = spec.mapping("fetch") {
                context.report(fetch.location("command"), "an s3:// import source has no fetch command")
            }
            self.source = source
            self.path = source
            self.mode = spec.string("mode") ?? "FULL"
            self.fetchCommand = nil
            self.fetchLocation = nil
            self.directory = folder
            self.location = spec.location("source")
            return
        }
        let base = URL(fileURLWithPath: folder, isDirectory: true)
        let url: URL? =
            if source.hasPrefix("file://") {
                URL(string: source)
            } else if source.hasPrefix("/") {
                URL(fileURLWithPath: source)
            } else {
                base.appendingPathComponent(source)
            }
        guard let url, url.isFileURL else {
            context.report(
                spec.location("source"), "import source '\(source)' must be a local path, a file:// URL or an s3:// URI"
            )
            return nil
        }
        self.source = source
        self.path = url.standardizedFileURL.path
        self.mode = spec.string("mode") ?? "FULL"
        self.fetchCommand = command?.isEmpty == true ? nil : command
        self.fetchLocation = spec.mapping("fetch")?.location("command")
        self.directory = folder
        self.location = spec.location("source")
        if fetchCommand == nil, !FileManager.default.fileExists(atPath: path) {
            context.report(
                location,
                "import source '\(source)' does not exist (looked for \(path)); "
                    + "create it or add 'fetch: {command: [...]}' to obtain it")
        }
    }
}
