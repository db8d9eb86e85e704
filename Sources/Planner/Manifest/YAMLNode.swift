/// A YAML node with its source position: the parsed form every validation step reads.
///
/// Yams' `Node` is not `Sendable` and carries tags we do not need; the loader converts each document into
/// this small tree once, keeping the line and column of every node and every mapping key.
package struct YAMLNode: Sendable, Hashable, Codable {
    /// A scalar's resolved YAML type (plain scalars are resolved by YAML 1.1 rules, quoted ones are strings).
    enum Scalar: Sendable, Hashable, Codable {
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
    }

    /// One key of a mapping, with the position of the key itself.
    struct Entry: Sendable, Hashable, Codable {
        var key: String
        var keyLocation: SourceLocation
        var value: YAMLNode
    }

    enum Content: Sendable, Hashable, Codable {
        case scalar(Scalar, text: String)
        case mapping([Entry])
        case sequence([YAMLNode])
    }

    var content: Content
    var location: SourceLocation

    /// The mapping's entries, or nil when the node is not a mapping.
    var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The sequence's items, or nil when the node is not a sequence.
    var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The scalar, or nil when the node is a mapping or a sequence.
    var scalar: Scalar? {
        if case .scalar(let scalar, _) = content { return scalar }
        return nil
    }

    /// The scalar's text as written, or nil when the node is a null, a mapping or a sequence.
    var text: String? {
        if case .scalar(let scalar, let text) = content, scalar != .null { return text }
        return nil
    }

    /// Whether the node is an explicit or implicit null (`key:` with nothing after it).
    var isNull: Bool { scalar == .null }

    /// The entry for `key`, if the node is a mapping that has it.
    subscript(key: String) -> Entry? {
        entries?.first { $0.key == key }
    }

    /// How messages name the node's type: "a mapping", "a string", "an integer", ...
    var typeDescription: String {
        switch content {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar, _):
            switch scalar {
            case .null: "nothing"
            case .bool: "a boolean"
            case .int: "an integer"
            case .float: "a number"
            case .string: "a string"
            }
        }
    }

    /// The files the node and its children come from (more than one after an overlay patched it).
    var files: Set<String> {
        var files: Set<String> = []
        collectFiles(into: &files)
        return files
    }

    /// Adds the files of this node and its children to `files` (one set for the whole tree).
    private func collectFiles(into files: inout Set<String>) {
        files.insert(location.file)
        switch content {
        case .mapping(let entries): for entry in entries { entry.value.collectFiles(into: &files) }
        case .sequence(let items): for item in items { item.collectFiles(into: &files) }
        case .scalar: break
        }
    }
}
