/// Typed reads from a mapping that already passed ``SpecChecker``: a value of the wrong type reads as nil
/// (its problem is already reported), so kind parsers stay short.
struct MappingView: Sendable {
    /// The mapping node.
    let node: YAMLNode
    /// The mapping's dotted path from the document root, for messages.
    let path: String

    /// The value node for `key`, nil when absent or null.
    func value(_ key: String) -> YAMLNode? {
        guard let value = node[key]?.value, !value.isNull else { return nil }
        return value
    }

    /// Where `key`'s value is, or the mapping itself when the key is absent.
    func location(_ key: String) -> SourceLocation {
        value(key)?.location ?? node[key]?.keyLocation ?? node.location
    }

    /// A scalar as written.
    func string(_ key: String) -> String? { value(key)?.text }

    /// An integer.
    func int(_ key: String) -> Int? {
        if case .int(let value) = value(key)?.scalar { return value }
        return nil
    }

    /// A boolean.
    func bool(_ key: String) -> Bool? {
        if case .bool(let value) = value(key)?.scalar { return value }
        return nil
    }

    /// A mapping of scalars, as strings.
    func stringMap(_ key: String) -> [String: String]? {
        guard let entries = value(key)?.entries else { return nil }
        var map: [String: String] = [:]
        for entry in entries {
            if let text = entry.value.text { map[entry.key] = text }
        }
        return map
    }

    /// A nested mapping.
    func mapping(_ key: String) -> MappingView? {
        guard let value = value(key), value.entries != nil else { return nil }
        return MappingView(node: value, path: "\(path).\(key)")
    }

    /// A list's items.
    func list(_ key: String) -> [YAMLNode]? { value(key)?.items }
}

/// What a kind parser needs besides the `spec` mapping, and where it reports problems.
struct ParseContext {
    /// The resource's name (`metadata.name`).
    let name: String
    /// The folder of the manifest file, for resolving relative paths.
    let directory: String
    /// The folder of each file a value may come from (an overlay patch's values are relative to the patch),
    /// keyed by the file as locations name it.
    var folders: [String: String] = [:]

    /// The folder relative paths written at `location` start from.
    func folder(of location: SourceLocation) -> String {
        folders[location.file] ?? directory
    }
    /// Problems found.
    var diagnostics: [Diagnostic] = []
    /// References to other resources, checked once every manifest is loaded.
    var references: [ResourceReference] = []

    /// Reports a problem.
    mutating func report(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(at: location, message))
    }

    /// Records a reference from field `key` of `spec` and returns its name.
    mutating func reference(_ kind: ResourceKind, _ spec: MappingView, _ key: String) -> String? {
        guard let name = spec.string(key) else { return nil }
        references.append(
            ResourceReference(
                target: ResourceAddress(kind, name), field: "\(spec.path).\(key)",
                location: spec.location(key)))
        return name
    }
}

/// A reference by name from one resource to another, with where it is written.
package struct ResourceReference: Hashable, Sendable, Codable {
    /// The referenced resource.
    package var target: ResourceAddress
    /// The field that holds the reference (`spec.datasetGroup`).
    package var field: String
    /// Where the reference is written.
    package var location: SourceLocation
}
