/// `tailor destroy`, and what every plan records to be checked later: its inputs and the state it read.
extension Planner {
    /// Plans deleting everything in state (`tailor destroy`).
    ///
    /// - Parameter state: The current state.
    /// - Returns: A delete per address.
    package func destroyPlan(state: State) -> Plan {
        (try? destroyPlan(state: state, options: PlanOptions()))
            ?? Plan(changes: [], priorSerial: state.serial, priorLineage: state.lineage)
    }

    /// Plans deleting everything in state, or the targeted part of it. An explicit destroy may delete what
    /// is protected by default (dataset groups), not what a manifest protected (`lifecycle.preventDestroy`),
    /// unless `--allow-destroy` names it.
    ///
    /// - Parameters:
    ///   - state: The current state.
    ///   - options: `targets` and `excludes` narrow what is destroyed.
    /// - Returns: A delete per address, and one per deposed object.
    /// - Throws: ``PlannerError/unknownTarget(_:known:)``; ``PlannerError/preventDestroy(_:)``.
    package func destroyPlan(state: State, options: PlanOptions) throws(PlannerError) -> Plan {
        var changes = state.resources.map { address, entry in
            ResourceChange(
                address: address, action: .delete, reason: .deleteBecauseNoResourceConfig, notes: ["destroy"],
                fields: entry.spec.keys.sorted().map {
                    FieldChange(path: $0, before: entry.spec[$0].map(PlanValue.known) ?? .absent, after: .absent)
                },
                prior: entry, dependencies: entry.dependencies)
        }
        changes += Self.deposedDeletions(state)
        let selected = try Targeting.select(
            changes, state: state, targets: options.targets, excludes: options.excludes)
        let protected = selected.filter { change in
            change.deposed == nil && change.prior?.preventDestroy == true
        }.map { ProtectedDestroy(address: $0.address, why: "destroy deletes it", byDefault: false) }
        try LifecycleRules.check(protected, allowed: options.allowDestroy, known: state.addresses)
        return Plan(
            changes: selected, priorSerial: state.serial, priorLineage: state.lineage, isDestroy: true,
            options: options, warnings: Targeting.warning(options).map { [$0] } ?? [],
            priorDigests: Self.digests(of: state))
    }

    /// The deletions of deposed objects: old halves of create-before-destroy replaces not yet deleted.
    static func deposedDeletions(_ state: State) -> [ResourceChange] {
        state.deposed.sorted { $0.key < $1.key }.flatMap { address, objects in
            objects.map { object in
                ResourceChange(
                    address: address, action: .delete, reason: .deleteBecauseDeposed,
                    notes: ["the object replaced by a previous apply (create before destroy)"], prior: object,
                    dependencies: object.dependencies, deposed: object.arn)
            }
        }
    }

    /// What the plan read, by path relative to the manifests' folder: the manifest files, the import data, the
    /// data deletion files and the batch inputs.
    func inputs(_ manifests: ManifestSet, importHashes: [ResourceAddress: String]) -> [String: String] {
        var inputs = manifests.sourceDigests
        for (address, hash) in importHashes {
            let path: String? =
                switch manifests[address]?.spec {
                case .dataset(let spec)?: spec.dataImport?.path
                case .dataDeletion(let spec)?: spec.path
                case let spec?: spec.batchJob?.inputPath
                case nil: nil
                }
            guard let path else { continue }
            inputs[path.hasPrefix("s3://") ? path : ManifestSet.relativePath(path, to: manifests.directory)] = hash
        }
        return inputs
    }

    /// A digest of each state entry (ARN, status, spec, attributes, dependencies), keyed by address.
    package static func digests(of state: State) -> [String: String] {
        var digests: [String: String] = [:]
        for (address, entry) in state.resources {
            digests[address.description] = SpecHash.of([
                "arn": .string(entry.arn), "status": .string(entry.status.rawValue), "spec": .map(entry.spec),
                "attributes": .map(entry.attributes),
                "dependencies": .list(entry.dependencies.map { .string($0.description) }),
            ])
        }
        for (address, objects) in state.deposed where !objects.isEmpty {
            digests["\(address) (deposed)"] = SpecHash.of(["arns": .list(objects.map { .string($0.arn) })])
        }
        return digests
    }
}
