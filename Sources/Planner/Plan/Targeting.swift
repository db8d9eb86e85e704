/// `--target` and `--exclude`: narrow a plan to some addresses, always keeping what they need.
///
/// A target brings in what it depends on (it cannot be created without them) and, when it is deleted or
/// replaced, what is deleted or replaced because of it. An exclusion takes out what depends on the excluded
/// addresses too (they would be applied without it).
enum Targeting {
    /// The changes selected by `targets` (all when empty) minus those excluded by `excludes`.
    ///
    /// - Throws: ``PlannerError/unknownTarget(_:known:)`` when a pattern matches no address.
    static func select(
        _ changes: [ResourceChange], state: State, targets: [String], excludes: [String]
    ) throws(PlannerError) -> [ResourceChange] {
        guard !targets.isEmpty || !excludes.isEmpty else { return changes }
        let addresses = Set(changes.map(\.address))
        var needs: [ResourceAddress: Set<ResourceAddress>] = [:]
        for change in changes {
            needs[change.address, default: []].formUnion(
                change.dependencies + (state[change.address]?.dependencies ?? []))
        }
        var users: [ResourceAddress: Set<ResourceAddress>] = [:]
        for (address, dependencies) in needs {
            for dependency in dependencies { users[dependency, default: []].insert(address) }
        }
        let removing = Set(changes.filter { $0.action == .delete || $0.action == .replace }.map(\.address))
        var selected = addresses
        if !targets.isEmpty {
            selected = try matching(targets, in: addresses)
            var frontier = Array(selected)
            while let next = frontier.popLast() {
                var more = needs[next, default: []].intersection(addresses)
                if removing.contains(next) { more.formUnion(users[next, default: []].intersection(removing)) }
                for address in more where selected.insert(address).inserted { frontier.append(address) }
            }
        }
        var excluded = try matching(excludes, in: addresses)
        var frontier = Array(excluded)
        while let next = frontier.popLast() {
            for user in users[next, default: []] where excluded.insert(user).inserted { frontier.append(user) }
        }
        return changes.filter { selected.contains($0.address) && !excluded.contains($0.address) }
    }

    private static func matching(_ patterns: [String], in addresses: Set<ResourceAddress>) throws(PlannerError)
        -> Set<ResourceAddress>
    {
        var matched = Set<ResourceAddress>()
        for pattern in patterns {
            let matcher = AddressPattern(pattern)
            let hits = addresses.filter(matcher.matches)
            guard !hits.isEmpty else { throw .unknownTarget(pattern, known: addresses.sorted().map(\.description)) }
            matched.formUnion(hits)
        }
        return matched
    }

    /// The warning a narrowed plan carries.
    static func warning(_ options: PlanOptions) -> String? {
        guard options.isTargeted else { return nil }
        let flags = options.targets.map { "--target \($0)" } + options.excludes.map { "--exclude \($0)" }
        return "Resource targeting is in effect (\(flags.joined(separator: " "))): the plan may leave out changes "
            + "the manifests need. Use it for exceptional cases, and run plan without it afterwards."
    }
}
