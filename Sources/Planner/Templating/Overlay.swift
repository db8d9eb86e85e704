/// Kustomize-style overlays: each document of an environment's overlay patches the base document with the
/// same `kind` and `metadata.name` (as written), or adds a resource when no base document matches.
///
/// Patches merge strategically: mappings key by key (a `null` value removes the key), lists of mappings that
/// all have a `name` item by item (schema fields), anything else is replaced. A patch document with
/// `$patch: delete` removes the base resource from the environment.
enum Overlay {
    /// The key of a document that removes its base resource.
    static let patchKey = "$patch"

    /// Applies `patches` to `documents`, in order.
    ///
    /// - Returns: The patched documents and the problems found (a `$patch: delete` with nothing to delete).
    static func apply(_ patches: [YAMLNode], to documents: [YAMLNode]) -> (
        documents: [YAMLNode], diagnostics: [Diagnostic]
    ) {
        // Removed documents leave a hole, so the index of every other one stays valid.
        var slots: [YAMLNode?] = documents
        var index: [Identity: Int] = [:]
        for (offset, document) in documents.enumerated() {
            if let key = identity(of: document), index[key] == nil { index[key] = offset }
        }
        var diagnostics: [Diagnostic] = []
        for patch in patches {
            let key = identity(of: patch)
            let slot = key.flatMap { index[$0] }
            let isDelete = patch[patchKey]?.value.text == "delete"
            switch (slot, isDelete) {
            case (let slot?, true):
                slots[slot] = nil
                if let key { index[key] = nil }
            case (nil, true):
                diagnostics.append(
                    Diagnostic(
                        at: patch[patchKey]?.value.location ?? patch.location,
                        "'$patch: delete' matches no base resource \(key.map { "\($0.kind)/\($0.name)" } ?? "")"))
            case (let slot?, false): slots[slot] = slots[slot].map { merge($0, patch) }
            case (nil, false):
                if let key { index[key] = slots.count }
                slots.append(patch)
            }
        }
        return (slots.compactMap { $0 }, diagnostics)
    }

    /// `kind` and `metadata.name` as written.
    static func identity(of document: YAMLNode) -> Identity? {
        guard let kind = document["kind"]?.value.text, let name = document["metadata"]?.value["name"]?.value.text else {
            return nil
        }
        return Identity(kind: kind, name: name)
    }

    struct Identity: Hashable {
        var kind: String
        var name: String
    }

    /// `patch` merged onto `base`.
    static func merge(_ base: YAMLNode, _ patch: YAMLNode) -> YAMLNode {
        switch (base.content, patch.content) {
        case (.mapping(let old), .mapping(let new)):
            // Removed entries leave a hole, so the index of every other one stays valid.
            var entries: [YAMLNode.Entry?] = old
            var index = Dictionary(old.enumerated().map { ($1.key, $0) }) { first, _ in first }
            for entry in new where entry.key != patchKey {
                let existing = index[entry.key]
                if entry.value.isNull {
                    if let existing { entries[existing] = nil }
                    index[entry.key] = nil
                } else if let existing, let current = entries[existing] {
                    entries[existing]?.value = merge(current.value, entry.value)
                } else {
                    index[entry.key] = entries.count
                    entries.append(entry)
                }
            }
            return YAMLNode(content: .mapping(entries.compactMap { $0 }), location: base.location)
        case (.sequence(let old), .sequence(let new)):
            guard let oldNames = names(old), let newNames = names(new) else { return patch }
            var items = old
            var index = Dictionary(oldNames.enumerated().map { ($1, $0) }) { first, _ in first }
            for (item, name) in zip(new, newNames) {
                if let existing = index[name] {
                    items[existing] = merge(items[existing], item)
                } else {
                    index[name] = items.count
                    items.append(item)
                }
            }
            return YAMLNode(content: .sequence(items), location: base.location)
        default:
            return patch
        }
    }

    /// The `name` (a metric's `metricName`) of every item, when every item is a mapping with one.
    private static func names(_ items: [YAMLNode]) -> [String]? {
        let names = items.compactMap { ($0["name"] ?? $0["metricName"])?.value.text }
        return names.count == items.count && !items.isEmpty ? names : nil
    }
}
