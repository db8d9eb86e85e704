import PersonalizeRules

/// Compares the manifests with state (refreshed from the engine when asked) and decides one action per
/// address. Resources are visited in dependency order, so a resource's decision can depend on its
/// dependencies': cascaded replaces, retraining after re-imports, redeploying new versions.
struct Differ {
    let manifests: ManifestSet
    let state: State
    /// The content hash of each dataset's import file.
    let importHashes: [ResourceAddress: String]
    /// The datasets whose import source is missing and is fetched by apply (its content hash unknown).
    let fetches: Set<ResourceAddress>
    /// What refresh found per state address (nil value: missing in the engine); nil when not refreshed.
    let observations: [ResourceAddress: Observation?]?
    /// The pending promotion of each campaign with a `promote` policy whose solution has a newer version.
    let promotions: [ResourceAddress: Promotion]

    private(set) var changes: [ResourceAddress: ResourceChange] = [:]

    init(
        manifests: ManifestSet, state: State, importHashes: [ResourceAddress: String],
        fetches: Set<ResourceAddress> = [], observations: [ResourceAddress: Observation?]?,
        promotions: [ResourceAddress: Promotion] = [:]
    ) {
        self.fetches = fetches
        self.promotions = promotions
        self.manifests = manifests
        self.state = state
        self.importHashes = importHashes
        self.observations = observations
    }

    /// Diffs every address in the manifests or in state.
    mutating func diff() -> [ResourceChange] {
        for resource in manifests.resources {
            let resolved = resource.resolving(knownValue)
            changes[resource.address] = unknowing(change(for: resolved ?? resource), unresolved: resolved == nil)
        }
        for (address, entry) in state.resources where manifests[address] == nil {
            let fields = entry.spec.keys.sorted().map {
                FieldChange(path: $0, before: entry.spec[$0].map(PlanValue.known) ?? .absent, after: .absent)
            }
            changes[address] = ResourceChange(
                address: address, action: .delete, reason: .deleteBecauseNoResourceConfig,
                notes: ["not in the manifests"], fields: fields, prior: entry, dependencies: entry.dependencies)
        }
        return changes.values.sorted { $0.address < $1.address }
    }

    private func change(for written: ManifestResource) -> ResourceChange {
        let (resource, versionUnknown) = pinningVersion(written)
        let address = resource.address
        let dependencies = Self.dependencies(of: resource, in: manifests)
        var change = ResourceChange(
            address: address, action: .noOp, desired: resource, prior: state[address], dependencies: dependencies)
        guard var prior = state[address] else { return creation(change, versionUnknown: versionUnknown) }
        if let observation = observations?[address] {
            guard let observation else {
                change.prior = nil
                change.reason = .createBecauseMissingInEngine
                change.notes = ["\(address) is in state but no longer exists in the engine"]
                return creation(change, versionUnknown: versionUnknown)
            }
            prior.spec.merge(observation.fields) { _, observed in observed }
            prior.attributes.merge(observation.attributes) { _, observed in observed }
            if case .failed(let status) = observation.status, prior.status != .failed {
                prior.status = .failed
                prior.failureReason = observation.failureReason ?? status
            }
        }
        if address.kind == .filter, case .string(let expression)? = prior.spec["expression"] {
            prior.spec["expression"] = .string(FilterExpressionText.normalised(expression))
        }
        let definition = address.kind.definition
        let desired = resource.fields
        change.fields = desired.keys.sorted().flatMap { key in
            StructuralDiff.changes(
                at: key, before: prior.spec[key], after: desired[key],
                forcesReplacement: definition.updateRule(of: key) == .replace)
        }.filter { !resource.lifecycle.ignores($0.path) }
        if versionUnknown { change = withVersionKnownAfterApply(change, prior: prior) }
        decideReplacement(&change, prior: prior)
        if change.action == .replace { return withManagedSteps(change, prior: prior) }
        if prior.status == .creating {
            change.action = .create
            change.reason = .createBecauseInterrupted
            change.notes.append("a previous apply created it but stopped before it became ACTIVE")
            return withManagedSteps(change, prior: prior)
        }
        change = withManagedSteps(change, prior: prior)
        if change.action == .noOp, !change.fields.isEmpty || !change.steps.isEmpty { change.action = .update }
        return change
    }

    /// Replace when the engine failed it, an immutable field changed, or a dependency is replaced.
    private func decideReplacement(_ change: inout ResourceChange, prior: StateEntry) {
        change.createBeforeDestroy =
            change.desired?.lifecycle.createBeforeDestroy ?? (change.address.kind == .filter)
        if prior.status == .failed {
            change.action = .replace
            change.reason = .replaceBecauseCreateFailed
            change.notes.append("the engine failed to create it: \(prior.failureReason ?? "no reason given")")
            return
        }
        if change.fields.contains(where: \.forcesReplacement) {
            change.action = .replace
            change.reason = .replaceBecauseCannotUpdate
            if change.address.kind.isJob {
                change.notes.append("a new job runs with the new input; the engine keeps the earlier one")
            }
            return
        }
        let replaced = (change.desired?.dependencies ?? []).filter { dependency in
            guard let other = changes[dependency] else { return false }
            return other.action == .replace || (other.action == .create && state[dependency] != nil)
        }
        for dependency in replaced {
            if let field = repointableField(change, to: dependency) {
                change.fields.append(
                    FieldChange(path: field, before: .known(.string(dependency.name)), after: .unknown))
                change.notes.append(
                    "\(dependency) is replaced before it is destroyed: this \(change.address.kind.noun) moves to the "
                        + "replacement in place")
                continue
            }
            change.action = .replace
            change.reason = .replaceBecauseDependencyReplaced
            change.notes.append(
                "\(dependency) is replaced, and the engine cannot delete it while this \(change.address.kind.noun) uses it"
            )
            return
        }
    }

    /// The field of `change` that refers to `dependency`, when the dependency is replaced create-before-destroy
    /// and the field can be changed in place (a campaign's solution, a dataset's schema).
    private func repointableField(_ change: ResourceChange, to dependency: ResourceAddress) -> String? {
        guard changes[dependency]?.createBeforeDestroy == true, changes[dependency]?.action == .replace else {
            return nil
        }
        let fields = (change.desired?.references ?? []).filter { $0.target == dependency }.map(\.field)
        let names = fields.map { $0.hasPrefix("spec.") ? String($0.dropFirst(5)) : $0 }
        let definition = change.address.kind.definition
        guard !names.isEmpty, names.allSatisfy({ definition.updateRule(of: $0) == .inPlace }) else { return nil }
        return names.first
    }

    /// The value of a reference to another resource's attribute, when it is known at plan time: the resource
    /// exists and this plan does not create, replace, retrain or re-import it.
    func knownValue(_ reference: AttributeReference) -> SpecValue? {
        Self.knownValue(reference, state: state, changes: changes)
    }

    /// ``knownValue(_:)`` for a finished diff.
    static func knownValue(
        _ reference: AttributeReference, state: State, changes: [ResourceAddress: ResourceChange]
    ) -> SpecValue? {
        guard let entry = state[reference.target], entry.status == .ready else { return nil }
        switch changes[reference.target]?.action {
        case .noOp?, nil: break
        case .update?:
            let stable = ["arn", "name"].contains(reference.attribute)
            if !stable, changes[reference.target]?.steps.isEmpty == false { return nil }
        case .create?, .replace?, .delete?: return nil
        }
        return entry.attribute(reference.attribute, of: reference.target)
    }

    /// A change whose references could not be resolved: the fields holding them are known after apply.
    private func unknowing(_ change: ResourceChange, unresolved: Bool) -> ResourceChange {
        guard unresolved, let desired = change.desired else { return change }
        var change = change
        for index in change.fields.indices where desired.holdsReference(at: change.fields[index].path) {
            change.fields[index].after = .unknown
        }
        if change.action == .noOp, !change.fields.isEmpty { change.action = .update }
        return change
    }

    private func creation(_ change: ResourceChange, versionUnknown: Bool) -> ResourceChange {
        var change = change
        change.action = .create
        change.fields = (change.desired?.fields ?? [:]).sorted { $0.key < $1.key }.map {
            FieldChange(path: $0.key, before: .absent, after: .known($0.value))
        }
        if versionUnknown { change = withVersionKnownAfterApply(change, prior: nil) }
        return withManagedSteps(change, prior: nil)
    }

    /// The implicit dependencies: a solution or a recommender trains on every dataset of its group, after the
    /// group's data deletions; a data deletion runs after the group's imports.
    static func dependencies(of resource: ManifestResource, in manifests: ManifestSet) -> [ResourceAddress] {
        var dependencies = Set(resource.dependencies)
        switch resource.spec {
        case .solution(let spec):
            dependencies.formUnion(manifests.datasets(inGroup: spec.datasetGroup).map(\.address))
            dependencies.formUnion(manifests.dataDeletions(inGroup: spec.datasetGroup))
        case .recommender(let spec):
            dependencies.formUnion(manifests.datasets(inGroup: spec.datasetGroup).map(\.address))
            dependencies.formUnion(manifests.dataDeletions(inGroup: spec.datasetGroup))
        case .dataDeletion(let spec):
            dependencies.formUnion(manifests.datasets(inGroup: spec.datasetGroup).map(\.address))
        default: break
        }
        return dependencies.sorted()
    }
}
