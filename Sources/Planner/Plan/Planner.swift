package import EngineAPI
import Foundation

/// Makes plans: fetches and hashes import files, refreshes state from the engine, and diffs.
package struct Planner: Sendable {
    let service: any PersonalizeService
    private let fetcher: DataFetcher
    private let onFetch: @Sendable (_ address: ResourceAddress, _ command: [String]) -> Void

    /// A planner.
    ///
    /// - Parameters:
    ///   - service: The engine to refresh state from.
    ///   - fetcher: Runs `import.fetch` commands.
    ///   - onFetch: Told before a fetch command runs (it may take a while: a download).
    package init(
        service: any PersonalizeService, fetcher: DataFetcher = DataFetcher(),
        onFetch: @escaping @Sendable (_ address: ResourceAddress, _ command: [String]) -> Void = { _, _ in }
    ) {
        self.service = service
        self.fetcher = fetcher
        self.onFetch = onFetch
    }

    /// Plans the changes that make the engine match the manifests.
    ///
    /// - Parameters:
    ///   - manifests: The loaded manifests.
    ///   - state: The current state.
    ///   - refresh: Whether to describe every resource in state first, so deleted resources are re-created
    ///     and drift of the fields the engine reports shows as changes.
    /// - Returns: One change per address.
    /// - Throws: ``PlannerError`` when an import source is missing or its fetch fails; the engine's error
    ///   when a refresh request fails.
    package func plan(_ manifests: ManifestSet, state: State, refresh: Bool = true) async throws -> Plan {
        try await plan(manifests, state: state, options: PlanOptions(refresh: refresh))
    }

    /// Plans with Terraform's planning options: refresh or not, refresh only, targets and exclusions.
    ///
    /// - Parameters:
    ///   - manifests: The loaded manifests.
    ///   - state: The current state.
    ///   - options: How to plan.
    /// - Returns: The plan, with the drift the refresh found and the inputs it read.
    /// - Throws: ``PlannerError`` (a missing import source, a failed fetch, an unknown target, a protected
    ///   resource the plan would destroy); the engine's error when a refresh request fails.
    package func plan(_ manifests: ManifestSet, state: State, options: PlanOptions) async throws -> Plan {
        guard options.refresh || !options.refreshOnly else { throw PlannerError.refreshOnlyNeedsRefresh }
        let hashes = options.refreshOnly ? [:] : try await importHashes(manifests)
        let manifests = manifests.withContentHashes(hashes)
        let observations = options.refresh ? try await self.refresh(state) : nil
        let promotions = options.refresh && !options.refreshOnly ? try await self.promotions(manifests, state) : [:]
        let drift = observations.map { Drift.changes(state: state, observations: $0) } ?? []
        var changes: [ResourceChange] = []
        var outputChanges: [OutputChange] = []
        if !options.refreshOnly {
            var differ = Differ(
                manifests: manifests, state: state, importHashes: hashes, observations: observations,
                promotions: promotions)
            let all = differ.diff() + Self.deposedDeletions(state)
            changes = try Targeting.select(all, state: state, targets: options.targets, excludes: options.excludes)
            try LifecycleRules.check(
                LifecycleRules.protectedDestroys(changes), allowed: options.allowDestroy,
                known: Array(Set(changes.map(\.address))).sorted())
            outputChanges = OutputChange.changes(manifests.outputs, state: state, changes: differ.changes)
        }
        var plan = Plan(
            changes: changes, priorSerial: state.serial, priorLineage: state.lineage, options: options, drift: drift,
            refreshed: options.refreshOnly ? observations.map { Drift.refreshed(state, observations: $0) } : nil,
            warnings: Targeting.warning(options).map { [$0] } ?? [],
            inputs: inputs(manifests, importHashes: hashes), priorDigests: Self.digests(of: state))
        plan.outputs = manifests.outputs
        plan.outputChanges = options.isTargeted ? [] : outputChanges
        plan.environment = manifests.environment
        plan.variables = manifests.variables.mapValues { $0.sensitive ? .string(Redaction.placeholder) : $0.value }
        return plan
    }

    /// Describes every resource in state.
    ///
    /// - Returns: What the engine has per address; a nil value when it does not have the resource.
    package func refresh(_ state: State) async throws -> [ResourceAddress: Observation?] {
        var observations: [ResourceAddress: Observation?] = [:]
        for (address, entry) in state.resources {
            observations[address] = .some(try await address.kind.driver.observe(arn: entry.arn, service: service))
        }
        return observations
    }

    /// Fetches missing import sources and hashes every import file, data deletion file and batch input.
    private func importHashes(_ manifests: ManifestSet) async throws -> [ResourceAddress: String] {
        var hashes: [ResourceAddress: String] = [:]
        for resource in manifests.resources {
            if case .dataDeletion(let spec) = resource.spec {
                do {
                    hashes[resource.address] = try SpecHash.ofFile(atPath: spec.path)
                } catch {
                    throw PlannerError.unreadableImportSource(
                        path: spec.path, location: resource.location, reason: error.localizedDescription)
                }
                continue
            }
            if let job = resource.spec.batchJob {
                do {
                    hashes[resource.address] = try BatchJob.contentHash(atPath: job.inputPath)
                } catch {
                    throw PlannerError.unreadableImportSource(
                        path: job.inputPath, location: resource.location, reason: error.localizedDescription)
                }
                continue
            }
            guard case .dataset(let spec) = resource.spec, let dataImport = spec.dataImport else { continue }
            if let command = dataImport.fetchCommand, !FileManager.default.fileExists(atPath: dataImport.path) {
                onFetch(resource.address, command)
            }
            try await fetcher.fetchIfMissing(dataImport)
            do {
                hashes[resource.address] = try SpecHash.ofFile(atPath: dataImport.path)
            } catch {
                throw PlannerError.unreadableImportSource(
                    path: dataImport.path, location: dataImport.location, reason: error.localizedDescription)
            }
        }
        return hashes
    }
}

extension Planner {
    /// Re-plans a saved plan and checks it still holds: the state and inputs are those it was planned against,
    /// and a fresh plan with its options proposes exactly its changes (the engine did not move on).
    ///
    /// - Parameters:
    ///   - file: The saved plan.
    ///   - manifests: The manifests, loaded with the plan's environment and variables.
    ///   - state: The state now.
    /// - Returns: The fresh plan, equal to the saved one, ready to apply (with secrets read again).
    /// - Throws: ``PlannerError/stalePlan(reason:)`` saying what changed; what planning throws.
    package func replan(_ file: PlanFile, manifests: ManifestSet, state: State) async throws -> Plan {
        let fresh =
            file.isDestroy
            ? try destroyPlan(state: state, options: file.options)
            : try await plan(manifests, state: state, options: file.options)
        var reasons = file.staleness(state: state, inputs: file.isDestroy ? file.inputs : fresh.inputs)
        if reasons.isEmpty {
            let moved = file.differences(from: fresh)
            if !moved.isEmpty {
                reasons.append("the engine changed since the plan was made: " + moved.joined(separator: "; "))
            }
        }
        guard reasons.isEmpty else { throw PlannerError.stalePlan(reason: reasons.joined(separator: "; ")) }
        return fresh
    }
}
