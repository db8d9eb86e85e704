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
    static func parse(_ node: YAMLNode, directory: String) -> ManifestDocument {
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
        let validName = name.flatMap { SpecChecker.nameProblem($0) == nil ? $0 : nil }
        let address = validName.map { ResourceAddress(kind, $0) }
        let tags = metadata.stringMap("tags") ?? [:]
        if !tags.isEmpty, !definition.supportsTags {
            checker.report(metadata.location("tags"), "\(kind.rawValue) does not support tags")
        }
        let empty = YAMLNode(content: .mapping([]), location: node.location)
        let specNode = node["spec"].map(\.value).flatMap { $0.entries != nil ? $0 : nil } ?? empty
        var context = ParseContext(name: validName ?? "", directory: directory)
        let parsed = definition.parse(MappingView(node: specNode, path: "spec"), &context)
        let diagnostics = checker.diagnostics + context.diagnostics
        guard let address, let parsed, !diagnostics.containsErrors else {
            return ManifestDocument(
                address: address, location: location, references: context.references, diagnostics: diagnostics)
        }
        let resource = ManifestResource(
            address: address, tags: tags, spec: parsed, references: context.references, location: location)
        return ManifestDocument(
            address: address, location: location, resource: resource, references: context.references,
            diagnostics: diagnostics)
    }

    private static func envelope(spec: FieldType, specRequired: Bool) -> [FieldDefinition] {
        [
            FieldDefinition("apiVersion", .oneOf([ManifestLoader.apiVersion]), required: true, "Manifest version"),
            FieldDefinition("kind", .any, required: true, "Resource kind"),
            FieldDefinition(
                "metadata",
                .object([
                    FieldDefinition("name", .name, required: true, "Name, also the resource's name in the engine"),
                    FieldDefinition("tags", .stringMap, "Tags to put on the resource"),
                ]), required: true, "Name and tags"),
            FieldDefinition("spec", spec, required: specRequired, "The kind's settings"),
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
