/// The managed children: a dataset's import, a solution's training, a campaign's deployed version.
extension Differ {
    /// Adds the import, training or redeploy a change needs.
    func withManagedSteps(_ change: ResourceChange, prior: StateEntry) -> ResourceChange {
        guard let desired = change.desired else { return change }
        let fresh = change.action == .create || change.action == .replace
        switch desired.spec {
        case .dataset(let spec): return importing(change, spec: spec, prior: fresh ? nil : prior)
        case .solution(let spec): return training(change, spec: spec, prior: fresh ? nil : prior)
        case .campaign(let spec): return fresh ? change : deploying(change, spec: spec, prior: prior)
        case .datasetGroup, .schema, .eventTracker, .filter, .datasetExport, .dataDeletion, .recommender,
            .metricAttribution, .batchInferenceJob, .batchSegmentJob:
            return change
        }
    }

    /// Managed steps of a resource created from scratch.
    func withManagedSteps(_ change: ResourceChange, prior: StateEntry?) -> ResourceChange {
        guard let prior else {
            var change = change
            switch change.desired?.spec {
            case .dataset(let spec)?:
                if let dataImport = spec.dataImport, fetches.contains(change.address) {
                    change = fetching(change, dataImport, prior: nil)
                } else if spec.dataImport != nil, let hash = importHashes[change.address] {
                    change.steps = [.importData(contentHash: hash)]
                }
            case .solution?: change.steps = [.train]
            default: break
            }
            return change
        }
        return withManagedSteps(change, prior: prior)
    }

    private func importing(_ change: ResourceChange, spec: DatasetSpec, prior: StateEntry?) -> ResourceChange {
        if let dataImport = spec.dataImport, fetches.contains(change.address) {
            return fetching(change, dataImport, prior: prior)
        }
        guard let dataImport = spec.dataImport, let hash = importHashes[change.address] else { return change }
        var change = change
        change.steps = [.importData(contentHash: hash)]
        guard let prior else { return change }
        let priorHash = prior.string(StateEntry.Key.importContentHash)
        if prior.map(StateEntry.Key.pendingImport) != nil {
            change.notes.append("re-import: the import started by a previous apply did not finish")
        } else if priorHash == nil {
            change.notes.append("import: \(dataImport.source) was never imported")
        } else if priorHash != hash {
            change.notes.append("re-import: the content of \(dataImport.source) changed")
        } else {
            change.steps = []
            return change
        }
        change.reason = change.reason ?? .updateBecauseDataChanged
        change.fields.append(
            FieldChange(
                path: "import.contentHash", before: priorHash.map { .known(.string($0)) } ?? .absent,
                after: .known(.string(hash))))
        return change
    }

    /// The import of a source that is missing: apply fetches it first (with consent), so its content, and
    /// whether it differs from what was imported, is known only then.
    private func fetching(_ change: ResourceChange, _ dataImport: DatasetImport, prior: StateEntry?) -> ResourceChange {
        var change = change
        change.steps = [.fetchThenImport(command: dataImport.fetchCommand ?? [])]
        change.notes.append(PendingFetch.note(dataImport.fetchCommand ?? [], allowedByProject: manifests.allowFetch))
        let priorHash = prior?.string(StateEntry.Key.importContentHash)
        if prior != nil {
            change.reason = change.reason ?? .updateBecauseDataChanged
            change.notes.append(
                priorHash == nil || prior?.map(StateEntry.Key.pendingImport) != nil
                    ? "import: \(dataImport.source) once fetched"
                    : "re-import: \(dataImport.source) is missing; once fetched, it is imported again only if its "
                        + "content differs from the last import")
        }
        change.fields.append(
            FieldChange(
                path: "import.contentHash", before: priorHash.map { .known(.string($0)) } ?? .absent, after: .unknown))
        return change
    }

    private func training(_ change: ResourceChange, spec: SolutionSpec, prior: StateEntry?) -> ResourceChange {
        var change = change
        change.steps = [.train]
        guard let prior else { return change }
        let trained = prior.string(StateEntry.Key.solutionVersionArn)
        var notes: [String] = []
        if prior.map(StateEntry.Key.pendingVersion) != nil {
            notes.append("retrain: the training started by a previous apply did not finish")
        } else if trained == nil {
            notes.append("train: no version has been trained yet")
        }
        let trainedOn = prior.map(StateEntry.Key.trainedImports) ?? [:]
        for dataset in manifests.datasets(inGroup: spec.datasetGroup) where dataset.spec.dataImport != nil {
            if case .fetchThenImport? = changes[dataset.address]?.steps.first, state[dataset.address] != nil {
                notes.append("retrain: if \(dataset.address) is imported again once fetched")
            } else if changes[dataset.address]?.steps.isEmpty == false {
                notes.append("retrain: \(dataset.address) is imported")
            } else if trained != nil, let job = state[dataset.address]?.string(StateEntry.Key.importJobArn),
                trainedOn[dataset.address.description]?.stringValue != job
            {
                notes.append("retrain: \(dataset.address) was imported after the current version was trained")
            }
        }
        guard !notes.isEmpty else {
            change.steps = []
            return change
        }
        change.notes += notes
        change.reason = change.reason ?? .updateBecauseDataChanged
        change.fields.append(
            FieldChange(
                path: "solutionVersion", before: trained.map { .known(.string($0)) } ?? .absent, after: .unknown))
        return change
    }

    private func deploying(_ change: ResourceChange, spec: CampaignSpec, prior: StateEntry) -> ResourceChange {
        // A following campaign is moved by the engine to every new version, automatic ones included.
        if spec.followLatest == true { return change }
        let solution = ResourceAddress(.solution, spec.solution)
        let retrains = changes[solution].map { $0.action == .create || $0.action == .replace || !$0.steps.isEmpty }
        let heldBack = prior.string(StateEntry.Key.heldBackVersionArn)
        let target: PlanValue
        var note: String
        if retrains == true {
            target = .unknown
            note = "deploy: \(solution) trains a new version"
            if let policy = spec.promote {
                note +=
                    "; it is deployed only if its \(policy.metric) is at least the deployed version's"
                    + (policy.minDelta == 0 ? "" : " + \(policy.minDeltaText)")
            }
        } else if spec.promote != nil, let promotion = promotions[change.address] {
            guard promotion.candidate != heldBack else { return change }
            target = .known(.string(promotion.candidate))
            note = "promote: " + promotion.summary
        } else if let version = state[solution]?.string(StateEntry.Key.solutionVersionArn) {
            guard spec.promote == nil || version != heldBack else { return change }
            target = .known(.string(version))
            note =
                spec.promote == nil
                ? "deploy: the latest version trained by \(solution) is not deployed"
                : "promote: the latest version trained by \(solution) is compared with the deployed one at apply"
        } else {
            target = .unknown
            note = "deploy: \(solution) trains a new version"
        }
        let deployed = prior.string(StateEntry.Key.solutionVersionArn).map { PlanValue.known(.string($0)) } ?? .absent
        guard target != deployed else { return change }
        var change = change
        change.fields.append(FieldChange(path: "solutionVersion", before: deployed, after: target))
        change.notes.append(note)
        change.reason = change.reason ?? .updateBecauseDataChanged
        return change
    }
}
