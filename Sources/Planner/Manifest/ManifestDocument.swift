import PersonalizeRules

/// One YAML document read as a manifest: the envelope (`apiVersion`, `kind`, `metadata`) checked, the
/// `spec` checked against its kind's fields and parsed into a typed spec.
struct ManifestDocument: Sendable {
    /// The declared address, when `kind` and `metadata.name` are readable (even if the spec has problems,
    /// so references to it do not also fail).
    var address: ResourceAddress?
    /// Where `metadata.name` is written, or the document start.
    var location: SourceLocation
    /// The parsed resource, when the document has no problems.
    var resource: ManifestResource?
    /// The references the document makes (also when it has problems, so all dangling ones are reported).
    var references: [ResourceReference] = []
    /// The problems found.
    var diagnostics: [Diagnostic]

    /// Parses a document.
    ///
    /// - Parameters:
    ///   - node: The document's root node.
    ///   - directory: The absolute folder of its file.
    ///   - folders: The folder of each file that wrote part of it (overlay patches), by file as locations name it.
    static func parse(_ node: YAMLNode, directory: String, folders: [String: String] = [:]) -> ManifestDocument {
        var checker = SpecChecker()
        guard node.entries != nil else {
            checker.report(
                node.location,
                "a manifest must be a mapping with apiVersion, kind, metadata and spec; "
                    + "found \(node.typeDescription)")
            return ManifestDocument(location: node.location, diagnostics: checker.diagnostics)
        }
        let kind = readKind(node, checker: &checker)
        let definition = kind?.definition
        let specType: FieldType = definition.map { .object($0.fields) } ?? .any
        let specRequired = definition?.fields.contains(where: \.isRequired) ?? false
        checker.check(node, fields: envelope(spec: specType, specRequired: specRequired), path: "")

        let metadata = MappingView(node: node["metadata"]?.value ?? node, path: "metadata")
        let name = metadata.string("name")
        let location = name != nil ? metadata.location("name") : node.location
        guard let kind, let definition else {
            return ManifestDocument(location: location, diagnostics: checker.diagnostics)
        }
        let validName = name.flatMap { ResourceName.isValid($0) ? $0 : nil }
        let address = validName.map { ResourceAddress(kind, $0) }
        let tags = metadata.stringMap("tags") ?? [:]
        if !tags.isEmpty, !definition.supportsTags {
            checker.report(metadata.location("tags"), "\(kind.rawValue) does not support tags")
        }
        let empty = YAMLNode(content: .mapping([]), location: node.location)
        let specNode = node["spec"].map(\.value).flatMap { $0.entries != nil ? $0 : nil } ?? empty
        var context = ParseContext(name: validName ?? "", directory: directory, folders: folders)
        let parsed = definition.parse(MappingView(node: specNode, path: "spec"), &context)
        let lifecycle = node["lifecycle"].map {
            Self.lifecycle(MappingView(node: $0.value, path: "lifecycle"), definition, &checker)
        }
        let diagnostics = checker.diagnostics + context.diagnostics
        guard let address, let parsed, !diagnostics.containsErrors else {
            return ManifestDocument(
                address: address, location: location, references: context.references, diagnostics: diagnostics)
        }
        var resource = ManifestResource(
            address: address, tags: tags, spec: parsed, references: context.references, location: location)
        resource.lifecycle = lifecycle ?? Lifecycle()
        resource.folders = [location.file: directory]
        for file in node.files where file != location.file { resource.folders[file] = folders[file] }
        return ManifestDocument(
            address: address, location: location, resource: resource, references: context.references,
            diagnostics: diagnostics)
    }

    /// The fields of `lifecycle:`.
    static let lifecycleFields: [FieldDefinition] = [
        FieldDefinition(
            "preventDestroy", .boolean, "Fail any plan that deletes or replaces it (default: true for dataset groups)"),
        FieldDefinition("ignoreChanges", .list(.string), "Fields whose differences are ignored once it exists"),
        FieldDefinition(
            "createBeforeDestroy", .boolean, "Create the replacement (under a new name) before deleting the old one"),
    ]

    private static func lifecycle(_ view: MappingView, _ definition: KindDefinition, _ checker: inout SpecChecker)
        -> Lifecycle
    {
        let ignored = view.list("ignoreChanges")?.compactMap(\.text) ?? []
        let known = definition.fields.map(\.name) + (definition.supportsTags ? ["tags"] : [])
        for (index, path) in ignored.enumerated() {
            let top = String(path.split(separator: ".").first ?? "")
            guard !known.contains(top) else { continue }
            let location = view.list("ignoreChanges")?[index].location ?? view.node.location
            checker.report(
                location,
                "'lifecycle.ignoreChanges' names '\(path)', which is not a field of \(definition.kind.rawValue)"
                    + Suggestion.didYouMean(top, in: known))
        }
        if view.bool("createBeforeDestroy") == true, let reason = Self.cannotCreateBeforeDestroy(definition.kind) {
            checker.report(
                view.location("createBeforeDestroy"),
                "a \(definition.kind.rawValue) cannot be created before its replaced one is destroyed: \(reason)")
        }
        return Lifecycle(
            preventDestroy: view.bool("preventDestroy"), ignoreChanges: ignored,
            createBeforeDestroy: view.bool("createBeforeDestroy"))
    }

    /// Why a kind cannot be replaced create-before-destroy, or nil when it can.
    private static func cannotCreateBeforeDestroy(_ kind: ResourceKind) -> String? {
        switch kind {
        case .datasetGroup: "its datasets and solutions cannot move to another dataset group"
        case .dataset: "a dataset group holds one dataset of each type"
        case .eventTracker: "a dataset group has one event tracker"
        case .metricAttribution: "a dataset group has one metric attribution"
        case .datasetExport, .dataDeletion, .batchInferenceJob, .batchSegmentJob:
            "a job is never deleted; a change runs a new job"
        case .schema, .solution, .campaign, .filter, .recommender: nil
        }
    }

    /// The fields of every resource document: `apiVersion`, `kind`, `metadata`, `spec` and `lifecycle`.
    static func envelope(spec: FieldType, specRequired: Bool, kind: FieldType = .any) -> [FieldDefinition] {
        [
            FieldDefinition("apiVersion", .oneOf([ManifestLoader.apiVersion]), required: true, "Manifest version"),
            FieldDefinition("kind", kind, required: true, "Resource kind"),
            FieldDefinition(
                "metadata",
                .object([
                    FieldDefinition("name", .name, required: true, "Name, also the resource's name in the engine"),
                    FieldDefinition("tags", .stringMap, "Tags to put on the resource"),
                ]), required: true, "Name and tags"),
            FieldDefinition("spec", spec, required: specRequired, "The kind's settings"),
            FieldDefinition("lifecycle", .object(lifecycleFields), "How plans may treat the resource"),
        ]
    }

    private static func readKind(_ node: YAMLNode, checker: inout SpecChecker) -> ResourceKind? {
        guard let value = node["kind"]?.value, !value.isNull else { return nil }
        guard let text = value.text else {
            checker.report(value.location, "'kind' must be a string, found \(value.typeDescription)")
            return nil
        }
        if let kind = ResourceKind(rawValue: text) { return kind }
        let known = ResourceKind.allCases.map(\.rawValue)
        let hint = Suggestion.didYouMean(text, in: known)
        checker.report(
            value.location, "unknown kind '\(text)'\(hint) (expected one of: \(known.joined(separator: ", ")))")
        return nil
    }
}
