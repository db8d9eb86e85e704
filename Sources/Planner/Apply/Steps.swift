import EngineAPI
import PersonalizeRules

/// The steps of one resource: delete and wait; create (or adopt, or resume) and wait; update in place;
/// then the managed steps. Each step's result is written to state before the next starts.
struct Steps {
    let context: ApplyContext

    /// Deletes the resource in state at `address` and waits until the engine no longer has it.
    func remove(_ address: ResourceAddress) async throws {
        guard let entry = await context.recorder.entry(address) else { return }
        let driver = address.kind.driver
        if address.kind.isJob {
            context.emit(.step(address, "forgetting the job (the engine keeps finished jobs and what they wrote)"))
        } else if let observed = try await driver.observe(arn: entry.arn, service: context.service) {
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

    /// Deletes a deposed object (the old half of a create-before-destroy replace) and forgets it.
    func removeDeposed(_ address: ResourceAddress, arn: String) async throws {
        let driver = address.kind.driver
        if address.kind.isJob {
            context.emit(.step(address, "forgetting the replaced job \(arn)"))
        } else if let observed = try await driver.observe(arn: arn, service: context.service) {
            if case .deleting = observed.status {
                context.emit(.step(address, "waiting for the deletion of the replaced object already under way"))
            } else {
                context.emit(.step(address, "deleting the replaced object \(arn)"))
                do {
                    try await driver.delete(arn: arn, service: context.service)
                } catch let error as PersonalizeError where error.code == .resourceNotFoundException {}
            }
            try await context.wait(for: .gone, address, arn: arn, what: "deletion", timeout: context.timeouts.delete)
        }
        try await context.recorder.removeDeposed(address, arn: arn)
    }

    /// Creates or updates the resource, then runs its managed steps.
    func ensure(_ change: ResourceChange) async throws {
        if change.action == .replace, change.createBeforeDestroy,
            let current = await context.recorder.entry(change.address), current.arn == change.prior?.arn
        {
            try await context.recorder.depose(change.address)
        }
        guard let planned = change.desired else { return }
        let desired = try await change.address.kind.driver.completing(
            try await resolve(planned, for: change.address), context: context)
        var change = change
        change.desired = desired
        if change.action == .update {
            try await update(change, desired: desired)
        } else {
            try await create(change, desired: desired)
        }
        for step in change.steps {
            switch step {
            case .importData(let hash): try await ImportRunner(context: context).run(change, contentHash: hash)
            case .fetchThenImport:
                // Unreachable: ``Applier/apply(_:events:)`` refuses plans with sources left to fetch.
                throw PlannerError.fetchNotAllowed(
                    Plan(changes: [change], priorSerial: 0, priorLineage: nil).pendingFetches)
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
        if resuming, let entry = await context.recorder.entry(address),
            try await !replaceIfCreateFailed(entry.arn, address: address, driver: driver)
        {
            context.emit(.step(address, "resuming: waiting for the \(address.kind.noun) created by an earlier apply"))
            arn = entry.arn
        } else {
            let deposed = await context.recorder.deposed(address)
            let generation =
                deposed.isEmpty ? 0 : (deposed.map { $0.count(StateEntry.Key.replacementGeneration) }.max() ?? 0) + 1
            var named = desired
            if generation > 0 { named.address.name = "\(address.name.prefix(56))-r\(generation)" }
            context.emit(.step(address, generation > 0 ? "creating the replacement \(named.address.name)" : "creating"))
            arn = try await createOrAdopt(named, driver: driver)
            try await context.recorder.update(address) { entry in
                entry = StateEntry(
                    arn: arn, status: .creating, spec: desired.fields, dependencies: desired.dependencies,
                    engineName: generation > 0 ? named.address.name : nil,
                    preventDestroy: desired.lifecycle.preventDestroy)
                if generation > 0 { entry?.attributes[StateEntry.Key.replacementGeneration] = .int(generation) }
            }
        }
        let observation: Observation?
        do {
            observation = try await context.wait(
                for: .active, address, arn: arn, what: "the \(address.kind.noun) to become ACTIVE",
                timeout: context.timeouts.creating(address.kind))
        } catch let PlannerError.engine(_, _, reason) {
            try await context.recorder.update(address) { entry in
                entry?.status = .failed
                entry?.failureReason = reason
            }
            throw PlannerError.engine(address: address, operation: "create", reason: reason)
        }
        try await driver.finish(desired, observation: observation, context: context)
        try await context.recorder.update(address) { entry in
            entry?.status = .ready
            entry?.attributes.merge(observation?.attributes ?? [:]) { _, observed in observed }
        }
        if change.action == .replace, change.createBeforeDestroy {
            context.emit(
                .step(address, "the replacement is ACTIVE; the replaced object is deleted once what uses it moved"))
        }
        // A resumed create was made from the spec of its time; apply what changed in place since.
        if resuming, !change.fields.isEmpty { try await update(change, desired: desired) }
    }

    private func createOrAdopt(_ desired: ManifestResource, driver: any ResourceDriver) async throws -> String {
        do {
            return try await driver.create(desired, context: context)
        } catch let error as PersonalizeError where error.code == .resourceAlreadyExistsException {
            // The object holding the name may go meanwhile (a deletion finishing): then the name is free, and a
            // second create either succeeds or reports the same conflict.
            guard let arn = try await driver.find(desired, context: context),
                try await driver.observe(arn: arn, service: context.service) != nil
            else { return try await driver.create(desired, context: context) }
            if try await replaceIfCreateFailed(arn, address: desired.address, driver: driver) {
                return try await driver.create(desired, context: context)
            }
            context.emit(.step(desired.address, "adopting the existing \(desired.address.kind.noun) of this name"))
            return arn
        }
    }

    /// Deletes an engine object whose creation failed (an earlier apply or engine process was killed while it
    /// was being created), or lets the deletion of one already being deleted finish (its name stays taken until
    /// then), and waits until it is gone, so that it can be created again. False when the object is missing or
    /// neither failed nor being deleted.
    private func replaceIfCreateFailed(_ arn: String, address: ResourceAddress, driver: any ResourceDriver)
        async throws -> Bool
    {
        guard let observed = try await driver.observe(arn: arn, service: context.service) else { return false }
        if case .deleting(let status) = observed.status {
            context.emit(
                .step(
                    address,
                    "the existing \(address.kind.noun) is \(status); waiting until it is gone to create it again"))
            try await context.wait(for: .gone, address, arn: arn, what: "deletion", timeout: context.timeouts.delete)
            return true
        }
        guard case .failed(let status) = observed.status else { return false }
        context.emit(
            .step(
                address,
                "the existing \(address.kind.noun) is \(status)"
                    + (observed.failureReason.map { " (\($0))" } ?? "") + "; deleting it to create it again"))
        try await driver.delete(arn: arn, service: context.service)
        try await context.wait(for: .gone, address, arn: arn, what: "deletion", timeout: context.timeouts.delete)
        return true
    }

    /// The desired resource with its references to other resources' attributes resolved from state (they
    /// were applied before it).
    private func resolve(_ desired: ManifestResource, for address: ResourceAddress) async throws -> ManifestResource {
        guard !desired.attributeReferences.isEmpty else { return desired }
        let state = await context.recorder.state
        var missing: AttributeReference?
        let resolved = desired.resolving { reference in
            guard let entry = state[reference.target], entry.status == .ready,
                let value = entry.attribute(reference.attribute, of: reference.target)
            else {
                missing = reference
                return nil
            }
            return value
        }
        guard let resolved else {
            throw PlannerError.missingDependency(
                address: address, dependency: missing?.target ?? address, what: missing?.attribute ?? "attribute")
        }
        return resolved
    }

    private func update(_ change: ResourceChange, desired: ManifestResource) async throws {
        guard let entry = await context.recorder.entry(change.address) else {
            throw PlannerError.missingDependency(address: change.address, dependency: change.address, what: "entry")
        }
        try await change.address.kind.driver.update(change, arn: entry.arn, context: context)
        try await context.recorder.update(change.address) { entry in
            let prior = entry?.spec ?? [:]
            entry?.spec = desired.fields
            for key in desired.lifecycle.ignoreChanges where !key.contains(".") { entry?.spec[key] = prior[key] }
            entry?.preventDestroy = desired.lifecycle.preventDestroy
            entry?.dependencies = desired.dependencies
            entry?.status = .ready
        }
    }
}
