/// What changed in the engine outside Tailor: the refreshed observations compared with state, over the fields
/// the state records (server-side defaults of fields the manifests never set are not drift).
enum Drift {
    /// One change per drifted address: a delete when the engine no longer has it, an update listing the
    /// fields and attributes that differ.
    static func changes(state: State, observations: [ResourceAddress: Observation?]) -> [ResourceChange] {
        state.addresses.compactMap { address -> ResourceChange? in
            guard let entry = state[address], let observed = observations[address] else { return nil }
            guard let observation = observed else {
                return ResourceChange(
                    address: address, action: .delete, reason: .deleteBecauseMissingInEngine,
                    notes: ["\(address) has been deleted outside Tailor"], prior: entry,
                    dependencies: entry.dependencies)
            }
            var fields = observation.fields.keys.filter { entry.spec[$0] != nil }.sorted().flatMap { key in
                StructuralDiff.changes(
                    at: key, before: entry.spec[key], after: observation.fields[key], forcesReplacement: false)
            }
            let moving = Self.attributesTheEngineMoves(entry)
            fields += observation.attributes.keys.sorted().filter { !moving.contains($0) }.compactMap { key in
                let before = entry.attributes[key]
                let after = observation.attributes[key]
                guard before != after, let after else { return nil }
                return FieldChange(path: key, before: before.map(PlanValue.known) ?? .absent, after: .known(after))
            }
            guard !fields.isEmpty else { return nil }
            return ResourceChange(
                address: address, action: .update, reason: .updateBecauseChangedInEngine,
                notes: ["\(address) has changed outside Tailor"], fields: fields, prior: entry,
                dependencies: entry.dependencies)
        }
    }

    /// Attributes the engine changes by design, which are therefore not drift: the deployed version of a campaign
    /// that follows its solution's latest version (automatic training moves it).
    static func attributesTheEngineMoves(_ entry: StateEntry) -> Set<String> {
        entry.spec["followLatest"] == .bool(true) ? [StateEntry.Key.solutionVersionArn] : []
    }

    /// The state with the observations recorded: vanished entries removed, observed fields and attributes
    /// updated (only the fields the state already records).
    static func refreshed(_ state: State, observations: [ResourceAddress: Observation?]) -> State {
        var next = state
        for (address, observed) in observations {
            guard var entry = state[address] else { continue }
            guard let observation = observed else {
                next[address] = nil
                continue
            }
            for (key, value) in observation.fields where entry.spec[key] != nil { entry.spec[key] = value }
            entry.attributes.merge(observation.attributes) { _, observed in observed }
            entry.specHash = SpecHash.of(entry.spec)
            next[address] = entry
        }
        return next
    }
}
