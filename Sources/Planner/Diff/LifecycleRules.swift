/// `lifecycle.preventDestroy`: a plan that would destroy a protected resource fails, naming each one, unless
/// `--allow-destroy` names it. Dataset groups are protected by default, even once their manifest is removed.
enum LifecycleRules {
    /// Throws when any of `protected` is not allowed.
    ///
    /// - Parameters:
    ///   - protected: The protected resources the plan destroys.
    ///   - allowed: `--allow-destroy` patterns.
    ///   - known: The addresses patterns may name.
    /// - Throws: ``PlannerError/preventDestroy(_:)``; ``PlannerError/unknownTarget(_:known:)`` for a pattern
    ///   that names nothing.
    static func check(_ protected: [ProtectedDestroy], allowed: [String], known: [ResourceAddress]) throws(PlannerError)
    {
        for pattern in allowed where !known.contains(where: AddressPattern(pattern).matches) {
            throw .unknownTarget(pattern, known: known.map(\.description))
        }
        let refused = protected.filter { item in !allowed.contains { AddressPattern($0).matches(item.address) } }
        guard refused.isEmpty else { throw .preventDestroy(refused.sorted { $0.address < $1.address }) }
    }

    /// The protected resources a plan destroys: deletes and replaces of resources whose manifest (or, once
    /// removed, whose state entry) protects them.
    static func protectedDestroys(_ changes: [ResourceChange]) -> [ProtectedDestroy] {
        changes.compactMap { change in
            guard change.deposed == nil, change.action == .delete || change.action == .replace else { return nil }
            let declared = change.desired?.lifecycle.preventDestroy ?? change.prior?.preventDestroy
            guard Lifecycle.isProtected(change.address.kind, declared: declared) else { return nil }
            let why =
                change.action == .delete
                ? "it is no longer in the manifests"
                : "it must be replaced (\(change.reason?.rawValue ?? "replace"))"
            return ProtectedDestroy(address: change.address, why: why, byDefault: declared == nil)
        }
    }
}
