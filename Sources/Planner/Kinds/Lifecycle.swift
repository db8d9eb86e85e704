/// `lifecycle:` beside a document's `spec`: how plans may treat the resource.
///
/// ```yaml
/// lifecycle:
///   preventDestroy: true          # any plan that deletes or replaces it fails (default for dataset groups)
///   ignoreChanges: [minProvisionedTPS, tags]
///   createBeforeDestroy: true     # a replace creates the new one (under a new name) before deleting the old
/// ```
package struct Lifecycle: Hashable, Sendable, Codable {
    /// Whether plans may destroy it; nil: the kind's default (dataset groups are protected).
    package var preventDestroy: Bool?
    /// Fields (dotted paths) whose differences are ignored once the resource exists.
    package var ignoreChanges: [String]
    /// Whether a replace creates the new resource before deleting the old one.
    package var createBeforeDestroy: Bool?

    package init(preventDestroy: Bool? = nil, ignoreChanges: [String] = [], createBeforeDestroy: Bool? = nil) {
        self.preventDestroy = preventDestroy
        self.ignoreChanges = ignoreChanges
        self.createBeforeDestroy = createBeforeDestroy
    }

    /// Whether a resource of `kind` with this lifecycle (or with none, for a resource only in state whose
    /// manifest set `recorded`) is protected from destruction.
    package static func isProtected(_ kind: ResourceKind, declared: Bool?) -> Bool {
        declared ?? (kind == .datasetGroup)
    }

    /// Whether `path` is ignored: it is, or is below, one of ``ignoreChanges``.
    package func ignores(_ path: String) -> Bool {
        ignoreChanges.contains { path == $0 || path.hasPrefix($0 + ".") }
    }
}
