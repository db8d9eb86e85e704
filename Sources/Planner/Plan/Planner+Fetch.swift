import Foundation

/// Apply's side of fetch commands: consent, running them before anything changes, and planning again with the
/// fetched data.
extension Planner {
    /// Runs the fetch commands `plan` needs, then plans again with the fetched data and checks that the new
    /// plan asks for nothing the approved one did not. It may ask for less: a fetched file identical to the one
    /// imported last is not imported again, and what would have retrained on it is left alone.
    ///
    /// - Parameters:
    ///   - plan: The approved plan.
    ///   - manifests: The manifests it was made from.
    ///   - state: The state it was made against.
    ///   - allowed: Whether the user allowed fetch commands: `--allow-fetch`, or the project's `allowFetch`.
    ///   - fetcher: Runs the commands.
    ///   - onFetch: Told before each command runs (a download may take a while).
    /// - Returns: The plan to apply: `plan` itself when it fetches nothing, else the plan made after fetching.
    /// - Throws: ``PlannerError/fetchNotAllowed(_:)`` without consent, before anything ran;
    ///   ``PlannerError/fetchFailed(command:location:reason:)``; ``PlannerError/fetchChangedPlan(_:)`` when the
    ///   fetched data calls for changes that were not approved; what planning throws.
    package func resolvingFetches(
        _ plan: Plan, manifests: ManifestSet, state: State, allowed: Bool, fetcher: DataFetcher = DataFetcher(),
        onFetch: @Sendable (_ address: ResourceAddress, _ command: [String]) -> Void = { _, _ in }
    ) async throws -> Plan {
        let fetches = plan.pendingFetches
        guard !fetches.isEmpty else { return plan }
        guard allowed else { throw PlannerError.fetchNotAllowed(fetches) }
        // Datasets often share one command that writes every file: it runs once, for the first of them.
        for fetch in fetches where !FileManager.default.fileExists(atPath: fetch.dataImport.path) {
            onFetch(fetch.address, fetch.command)
            try await fetcher.fetchIfMissing(fetch.dataImport)
        }
        let fresh = try await self.plan(manifests, state: state, options: plan.options)
        let unapproved = plan.unapproved(in: fresh)
        guard unapproved.isEmpty else { throw PlannerError.fetchChangedPlan(unapproved) }
        return fresh
    }
}

extension Plan {
    /// What `fresh`, planned once the data was fetched, asks for that this plan did not approve: changes,
    /// steps or field values it did not show. Values this plan showed as known after apply may be anything;
    /// changes may disappear.
    ///
    /// - Returns: One line per difference; empty when `fresh` is within this plan.
    package func unapproved(in fresh: Plan) -> [String] {
        let approved = Dictionary(changes.map { ("\($0.address)\($0.deposed ?? "")", $0) }) { first, _ in first }
        var lines: [String] = []
        for change in fresh.changes where change.action != .noOp {
            guard let before = approved["\(change.address)\(change.deposed ?? "")"] else {
                lines.append(
                    "\(change.address) would be \(change.action.rawValue)d; the approved plan did not change it")
                continue
            }
            guard before.action == change.action, before.createBeforeDestroy == change.createBeforeDestroy else {
                lines.append(
                    "\(change.address): \(PlanJSON.actions(change).joined(separator: ", ")) now, "
                        + "\(PlanJSON.actions(before).joined(separator: ", ")) in the approved plan")
                continue
            }
            for step in change.steps where !before.steps.contains(where: { $0.covers(step) }) {
                lines.append("\(change.address): \(step.summary) was not in the approved plan")
            }
            for field in change.fields where !before.fields.contains(where: { $0.covers(field) }) {
                lines.append(
                    "\(change.address): \(field.path) \(field.before) → \(field.after) was not in the approved plan")
            }
        }
        return lines
    }
}

extension ManagedStep {
    /// Whether approving this step approves `other`: the same step, or the import a fetch turned out to need.
    func covers(_ other: ManagedStep) -> Bool {
        switch (self, other) {
        case (.fetchThenImport, .importData): true
        default: self == other
        }
    }

    /// `import sha256:…`, `train`, for messages.
    var summary: String {
        switch self {
        case .importData(let hash): "import \(hash)"
        case .fetchThenImport(let command): "fetch (\(PendingFetch.display(command))) and import"
        case .train: "train"
        }
    }
}

extension FieldChange {
    /// Whether approving this change approves `other`: the same change, or one whose value this change showed
    /// as known after apply.
    func covers(_ other: FieldChange) -> Bool {
        path == other.path && before == other.before && forcesReplacement == other.forcesReplacement
            && (after == other.after || after == .unknown)
    }
}
