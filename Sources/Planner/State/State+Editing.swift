/// `tailor state mv` and `tailor state rm`: edits that change what Tailor tracks, never the engine.
extension State {
    /// The state with the object at `source` tracked at `destination` instead; other entries' dependencies
    /// and a solution's record of the imports it trained on follow the move.
    ///
    /// - Throws: ``StateError`` when `source` is absent, `destination` taken, or the kinds differ.
    package func moving(_ source: ResourceAddress, to destination: ResourceAddress) throws(StateError) -> State {
        guard let entry = resources[source] else { throw .noSuchAddress(source, known: addresses) }
        guard source.kind == destination.kind else { throw .kindMismatch(from: source, to: destination) }
        guard resources[destination] == nil else { throw .addressInUse(destination) }
        var next = self
        next.resources[source] = nil
        var moved = entry
        moved.engineName = entry.engineName ?? source.name
        if moved.engineName == destination.name { moved.engineName = nil }
        next.resources[destination] = moved
        if let deposed = next.deposed.removeValue(forKey: source) { next.deposed[destination] = deposed }
        for (address, var other) in next.resources {
            other.dependencies = other.dependencies.map { $0 == source ? destination : $0 }.sorted()
            if var trained = other.map(StateEntry.Key.trainedImports), let job = trained[source.description] {
                trained[source.description] = nil
                trained[destination.description] = job
                other.attributes[StateEntry.Key.trainedImports] = .map(trained)
            }
            next.resources[address] = other
        }
        return next
    }

    /// The state without the objects at `addresses` (the engine keeps them).
    ///
    /// - Throws: ``StateError/noSuchAddress(_:known:)`` for the first address the state does not have.
    package func removing(_ addresses: [ResourceAddress]) throws(StateError) -> State {
        var next = self
        for address in addresses {
            guard next.resources.removeValue(forKey: address) != nil else {
                throw .noSuchAddress(address, known: self.addresses)
            }
            next.deposed[address] = nil
        }
        return next
    }

    /// The addresses matching `pattern`: an address, a kind's prefix (`solution`), or a glob with `*`.
    package func addresses(matching pattern: String) -> [ResourceAddress] {
        addresses.filter { AddressPattern(pattern).matches($0) }
    }
}

/// An address pattern for `--target`, `--exclude` and `state list`: `solution/top-picks`, `solution`
/// (every solution), or a glob (`campaign/*-prod`).
package struct AddressPattern: Sendable, Hashable, CustomStringConvertible {
    package let description: String

    package init(_ pattern: String) {
        description = pattern
    }

    /// Whether `address` matches.
    package func matches(_ address: ResourceAddress) -> Bool {
        if !description.contains("/") { return address.kind.addressPrefix == description }
        return Self.glob(Array(description), Array(address.description))
    }

    private static func glob(_ pattern: [Character], _ text: [Character]) -> Bool {
        var p = 0
        var t = 0
        var star: Int?
        var mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == text[t] || pattern[p] == "?" {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if let star {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
