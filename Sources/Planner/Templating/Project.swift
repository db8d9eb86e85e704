import Foundation
import ObjectStore

/// `tailor.yaml`: a project's variables, environments and outputs, at the root of its manifests folder.
///
/// ```yaml
/// apiVersion: tailor/v1
/// kind: Project
/// metadata: {name: shop}
/// spec:
///   resources: [base]                     # folders or files of manifests (default: the whole folder)
///   variables:
///     tps: {type: integer, default: 1, minimum: 1}
///   environments:
///     prod: {values: [values/prod.yaml], overlays: [overlays/prod]}
///   outputs:
///     campaign-arn: {value: "${campaign.top-picks.arn}"}
///   state: {backend: postgres, url: "${env.TAILOR_STATE_PG_URL}", key: shop}   # default: .tailor/state.json
///   allowFetch: true                      # apply may run the datasets' import.fetch commands
///   roleArn: arn:aws:iam::123456789012:role/PersonalizeS3   # the role jobs pass (required with --endpoint aws)
///   storage: {bucket: s3://my-bucket/tailor}   # where apply uploads local import files for a remote engine
/// ```
package struct Project: Sendable {
    /// The project file's name.
    package static let fileName = "tailor.yaml"
    /// The project file's kind.
    package static let kind = "Project"

    /// One environment: the values files and overlays `--env NAME` selects.
    package struct Environment: Sendable, Hashable {
        /// Values files, relative to the project folder; the right-most wins.
        package var values: [String]
        /// Folders or files of patches, relative to the project folder, applied in order.
        package var overlays: [String]
    }

    /// A declared output: a value computed after apply and kept in state.
    package struct Output: Sendable, Hashable {
        /// The value as written, with `${...}` references.
        package var value: YAMLNode
        package var summary: String?
        /// Whether to treat the value as a secret even if it does not come from one.
        package var sensitive: Bool
    }

    package var name: String?
    /// Folders or files of resource manifests, relative to the project folder.
    package var resources: [String]
    /// The variables, by name.
    package var variables: [String: Variable]
    /// The environments, by name.
    package var environments: [String: Environment]
    /// The outputs, by name.
    package var outputs: [String: Output]
    /// Where the state lives, when not in the state file beside the manifests.
    package var state: StateSettings?
    /// Whether apply may run the datasets' `import.fetch.command`s (as `--allow-fetch` does). The file is
    /// reviewed in git like the commands; `validate` and `plan` never run them.
    package var allowFetch: Bool = false
    /// The IAM role the service assumes to read and write S3 for jobs (imports, exports, batch jobs, data
    /// deletion, metric-attribution reports) that do not name their own; required with `--endpoint aws`.
    package var roleArn: String?
    /// `spec.storage.bucket`: the `s3://` prefix apply uploads local import sources under (content-addressed) when
    /// the engine is remote.
    package var storage: String?
    /// Where `tailor.yaml` is, for messages.
    package var location: SourceLocation

    /// The fields of the project's `spec`, for the validator and the JSON Schema.
    static let fields: [FieldDefinition] = [
        FieldDefinition("resources", .list(.string), "Folders or files of manifests (default: the project folder)"),
        FieldDefinition("variables", .mapOf(.object(Variable.fields)), "Typed variables, by name"),
        FieldDefinition(
            "environments",
            .mapOf(
                .object([
                    FieldDefinition("values", .list(.string), "Values files; the right-most wins"),
                    FieldDefinition("overlays", .list(.string), "Folders or files of patches, applied in order"),
                ])), "Environments, selected with --env NAME"),
        FieldDefinition(
            "outputs",
            .mapOf(
                .object([
                    FieldDefinition("value", .any, required: true, "The value, with ${...} references"),
                    FieldDefinition("description", .string, "What the output is"),
                    FieldDefinition("sensitive", .boolean, "Never store or show the value in clear"),
                ])), "Values recorded in state after apply, printed by tailor output"),
        FieldDefinition("state", .object(StateSettings.fields), "Where the state lives and how it is locked"),
        FieldDefinition(
            "allowFetch", .boolean,
            "Let apply run the datasets' import.fetch commands, as --allow-fetch does (plan and validate never run them)"
        ),
        FieldDefinition(
            "roleArn", .string,
            "IAM role Amazon Personalize assumes to read and write S3 for jobs (required with --endpoint aws)"),
        FieldDefinition(
            "storage",
            .object([
                FieldDefinition(
                    "bucket", .string, required: true,
                    "s3://bucket/prefix where apply uploads local import files for a remote engine")
            ]), "Where local data goes for a remote engine (tailor serve elsewhere, or Amazon Personalize)"),
    ]

    /// Whether `arn` has the shape of an IAM role's ARN: `arn:PARTITION:iam::ACCOUNT:role/NAME`.
    static func isRoleArn(_ arn: String) -> Bool {
        arn.range(of: #"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$"#, options: .regularExpression) != nil
    }

    /// Parses the project document.
    ///
    /// - Parameter node: The document's root.
    /// - Returns: The project (nil when it has errors) and the problems found.
    static func parse(_ node: YAMLNode) -> (project: Project?, diagnostics: [Diagnostic]) {
        var checker = SpecChecker()
        checker.check(
            node,
            fields: [
                FieldDefinition("apiVersion", .oneOf([ManifestLoader.apiVersion]), required: true, "Manifest version"),
                FieldDefinition("kind", .oneOf([kind]), required: true, "Project"),
                FieldDefinition(
                    "metadata", .object([FieldDefinition("name", .name, "The project's name")]), "The project's name"),
                FieldDefinition("spec", .object(fields), "Variables, environments and outputs"),
            ], path: "")
        let root = MappingView(node: node, path: "")
        let spec = root.mapping("spec") ?? MappingView(node: YAMLNode(.map([:]), at: node.location), path: "spec")
        var project = Project(
            name: root.mapping("metadata")?.string("name"),
            resources: spec.list("resources")?.compactMap(\.text) ?? ["."],
            variables: [:], environments: [:], outputs: [:], location: node.location)
        for entry in spec.value("variables")?.entries ?? [] {
            let declaration = MappingView(node: entry.value, path: "spec.variables.\(entry.key)")
            if let variable = Self.variable(entry.key, declaration, at: entry.keyLocation, checker: &checker) {
                project.variables[entry.key] = variable
            }
        }
        for entry in spec.value("environments")?.entries ?? [] {
            let environment = MappingView(node: entry.value, path: "spec.environments.\(entry.key)")
            project.environments[entry.key] = Environment(
                values: environment.list("values")?.compactMap(\.text) ?? [],
                overlays: environment.list("overlays")?.compactMap(\.text) ?? [])
        }
        for entry in spec.value("outputs")?.entries ?? [] {
            let output = MappingView(node: entry.value, path: "spec.outputs.\(entry.key)")
            guard let value = output.value("value") else { continue }
            project.outputs[entry.key] = Output(
                value: value, summary: output.string("description"), sensitive: output.bool("sensitive") ?? false)
        }
        if let state = spec.mapping("state") { project.state = StateSettings.parse(state, checker: &checker) }
        project.allowFetch = spec.bool("allowFetch") ?? false
        if let storage = spec.mapping("storage"), let bucket = storage.string("bucket") {
            if bucket.hasPrefix("s3://"), S3Location(bucket) != nil {
                project.storage = bucket
            } else {
                checker.report(
                    storage.location("bucket"),
                    "'spec.storage.bucket' must be an s3://bucket/prefix URI, got '\(bucket)'")
            }
        }
        if let role = spec.string("roleArn") {
            if isRoleArn(role) {
                project.roleArn = role
            } else {
                checker.report(
                    spec.location("roleArn"),
                    "'spec.roleArn' must be an IAM role's ARN (arn:aws:iam::123456789012:role/NAME), got '\(role)'")
            }
        }
        let diagnostics = checker.diagnostics
        return (diagnostics.containsErrors ? nil : project, diagnostics)
    }

    private static func variable(
        _ name: String, _ declaration: MappingView, at location: SourceLocation, checker: inout SpecChecker
    ) -> Variable? {
        guard let typeName = declaration.string("type"), let type = Variable.ValueType(rawValue: typeName) else {
            return nil
        }
        func number(_ key: String) -> Double? {
            switch declaration.value(key)?.scalar {
            case .int(let value)?: Double(value)
            case .float(let value)?: value
            default: nil
            }
        }
        let variable = Variable(
            name: name, type: type, summary: declaration.string("description"),
            defaultValue: declaration.value("default")?.specValue,
            allowed: declaration.list("allowed")?.map(\.specValue), minimum: number("minimum"),
            maximum: number("maximum"), pattern: declaration.string("pattern"),
            sensitive: declaration.bool("sensitive") ?? false, location: location)
        if let value = variable.defaultValue, let problem = variable.problem(with: value) {
            checker.report(declaration.location("default"), "the default of variable '\(name)' \(problem)")
        }
        return variable
    }
}
