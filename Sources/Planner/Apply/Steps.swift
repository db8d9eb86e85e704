import EngineAPI

/// The steps of one resource: delete and wait; create (or adopt, or resume) and wait; update in place;
/// then the managed steps. Each step's result is written to state before the next starts.
struct Steps {
    let context: ApplyContext

    /// Deletes the resource in state at `address` and waits until the engine no longer has it.
    func remove(_ address: ResourceAddress) async throws {
        guard let entry = await context.recorder.entry(address) else { return }
        let driver = address.kind.driver
        if let observed = try await driver.observe(arn: entry.arn, service: context.service) {
            if case .deleting = observed.status {
                context.emit(.step(address, "waiting for a deletion already under way"))
            } else {
                context.emit(.step(address, "deleting"))
                do {
                    try await driver.delete(arn: entry.arn, service: context.service)
                } catch let error as PersonalizeError where error.code == .resourceNotFoundException {}
            }
            try await context.wait(
                for: .gone, address, arn: entry.arn, what: "deletion", timeout: context.timeouts.delete)
        }
        try await context.recorder.update(address) { $0 = nil }
    }

    /// Creates or updates the resource, then runs its managed steps.
    func ensure(_ change: ResourceChange) async throws {
        guard let desired = change.desired else { return }
        if change.action == .update {
            try await update(change, desired: desired)
        } else {
            try await create(change, desired: desired)
        }
        for step in change.steps {
            switch step {
            case .importData(let hash): try await ImportRunner(context: context).run(change, contentHash: hash)
            case .train: try await TrainingRunner(context: context).run(change)
            }
        }
    }

    private func create(_ change: ResourceChange, desired: ManifestResource) async throws {
        let address = change.address
        let driver = address.kind.driver
        let arn: String
        let resuming =
            await context.recorder.entry(address).map { $0.status == .creating } == true
            && change.action == .create
        if resuming, let entry = await context.recorder.entry(address) {
            context.emit(.step(address, "resuming: waiting for the \(address.kind.noun) created by an earlier apply"))
            arn = entry.arn
        } else {
            context.emit(.step(address, "creating"))
            arn = try await createOrAdopt(desired, driver: driver)
            try await context.recorder.update(address) { entry in
                entry = StateEntry(
                    arn: arn, status: .creating, spec: desired.fields, dependencies: desired.dependencies)
            }
        }
        let observation: Observation?
        do {
            observation = try await context.wait(
                for: .active, address, arn: arn, what: "the \(address.kind.noun) to become ACTIVE",
                timeout: context.timeouts.create)
        } catch let PlannerError.engine(_, _, reason) {
            try await context.recorder.update(address) { entry in
                entry?.status = .failed
                entry?.failureReason = reason
            }
            throw PlannerError.engine(address: address, operation: "create", reason: reason)
        }
        try await context.recorder.update(address) { entry in
            entry?.status = .ready
            entry?.attributes.merge(observation?.attributes ?? [:]) { _, observed in observed }
        }
        // A resumed create was made from the spec of its time; apply what changed in place since.
        if resuming, !change.fields.isEmpty { try await update(change, desired: desired) }
    }

    private func createOrAdopt(_ desired: ManifestResource, driver: any ResourceDriver) async throws -> String {
        do {
            return try await driver.create(desired, context: context)
        } catch let error as PersonalizeError where error.code == .resourceAlreadyExistsException {
            guard let arn = try await driver.find(desired, context: context) else { throw error }
            context.emit(.step(desired.address, "adopting the existing \(desired.address.kind.noun) of this name"))
            return arn
        }
    }

    private func update(_ change: ResourceChange, desired: ManifestResource) async throws {
        guard let entry = await context.recorder.entry(change.address) else {
            throw PlannerError.missingDependency(address: change.address, dependency: change.address, what: "entry")
        }
        try await change.address.kind.driver.update(change, arn: entry.arn, context: context)
        try await context.recorder.update(change.address) { entry in
            entry?.spec = desired.fields
            entry?.dependencies = desired.dependencies
            entry?.status = .ready
        }
    }
}
