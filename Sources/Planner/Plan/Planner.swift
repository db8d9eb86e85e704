package import EngineAPI
import Foundation
import PersonalizeRules

/// Makes plans: hashes import files, refreshes state from the engine, and diffs.
///
/// Planning never runs anything a manifest names: a dataset whose source is missing and that has an
/// `import.fetch.command` is planned as fetched and imported by apply (``ManagedStep/fetchThenImport(command:)``,
/// its content hash known after apply); ``resolvingFetches(_:manifests:state:allowed:fetcher:onFetch:)`` runs
/// the commands, with consent, when a plan is applied.
package struct Planner: Sendable {
    let service: any PersonalizeService
    /// Where `s3://` import sources are read (their identity); nil refuses them.
    let objects: (any ObjectSources)?
    /// Whether every job must pass a real IAM role (Amazon Personalize); otherwise a local placeholder is used.
    let requiresRoles: Bool
    /// Whether the engine is remote: local import files then go to the project's `spec.storage.bucket`.
    let uploadsSources: Bool

    /// A planner.
    ///
    /// - Parameters:
    ///   - service: The engine to refresh state from.
    ///   - objects: The S3 store `s3://` import sources are identified in (nil: they are refused).
    ///   - requiresRoles: Whether the engine is Amazon Personalize, whose jobs need a real IAM role: the plan
    ///     then refuses jobs without one (``PlannerError/missingRoles(_:)``).
    ///   - uploadsSources: Whether the engine is remote (a `tailor serve` elsewhere, or Amazon Personalize): local
    ///     import files are then uploaded to the project's `spec.storage.bucket` (content-addressed) and imported
    ///     from there; Amazon Personalize refuses local files without it.
    package init(
        service: any PersonalizeService, objects: (any ObjectSources)? = nil, requiresRoles: Bool = false,
        uploadsSources: Bool = false
    ) {
        self.service = service
        self.objects = objects
        self.requiresRoles = requiresRoles
        self.uploadsSources = uploadsSources
    }

    /// Plans the changes that make the engine match the manifests.
    ///
    /// - Parameters:
    ///   - manifests: The loaded manifests.
    ///   - state: The current state.
    ///   - refresh: Whether to describe every resource in state first, so deleted resources are re-created
    ///     and drift of the fields the engine reports shows as changes.
    /// - Returns: One change per address.
    /// - Throws: ``PlannerError`` when an import source is missing (and has no fetch command) or unreadable;
    ///   the engine's error when a refresh request fails.
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
    /// - Throws: ``PlannerError`` (a missing import source without a fetch command, an unknown target, a
    ///   protected resource the plan would destroy); the engine's error when a refresh request fails.
    package func plan(_ manifests: ManifestSet, state: State, options: PlanOptions) async throws -> Plan {
        guard options.refresh || !options.refreshOnly else { throw PlannerError.refreshOnlyNeedsRefresh }
        if requiresRoles {
            let missing = Self.jobsWithoutRole(manifests)
            guard missing.isEmpty else { throw PlannerError.missingRoles(missing) }
            if manifests.storage == nil {
                let local = Self.localLocations(manifests, exchangeable: true)
                guard local.isEmpty else { throw PlannerError.missingStorage(local) }
            }
            let localJobs = Self.localLocations(manifests, exchangeable: false)
            guard localJobs.isEmpty else { throw PlannerError.localLocations(localJobs) }
        }
        let (hashes, fetches) = options.refreshOnly ? ([:], []) : try await importHashes(manifests)
        let manifests = manifests.withContentHashes(hashes)
        let observations = options.refresh ? try await self.refresh(state) : nil
        let promotions = options.refresh && !options.refreshOnly ? try await self.promotions(manifests, state) : [:]
        let drift = observations.map { Drift.changes(state: state, observations: $0) } ?? []
        var changes: [ResourceChange] = []
        var outputChanges: [OutputChange] = []
        if !options.refreshOnly {
            var differ = Differ(
                manifests: manifests, state: state, importHashes: hashes, fetches: fetches,
                observations: observations, promotions: promotions)
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
        plan.roleArn = manifests.roleArn
        if uploadsSources, let storage = manifests.storage { plan.uploadPrefix = storage }
        plan.downloadRoot = manifests.directory
        let outside = Self.downloadsOutside(manifests, prefix: plan.uploadPrefix)
        guard outside.isEmpty else { throw PlannerError.downloadOutside(outside) }
        for index in plan.changes.indices {
            plan.changes[index].notes += Self.exchangeNotes(plan.changes[index], prefix: plan.uploadPrefix)
        }
        plan.variables = manifests.variables.mapValues { $0.sensitive ? .string(Redaction.placeholder) : $0.value }
        return plan
    }

    /// The resources that run a job (an import, an export, a data deletion, a batch job, a metric attribution's
    /// reports) with no IAM role of their own when the project names none either.
    static func jobsWithoutRole(_ manifests: ManifestSet) -> [(address: ResourceAddress, location: SourceLocation)] {
        guard manifests.roleArn == nil else { return [] }
        return manifests.resources.compactMap { resource in
            let needsRole =
                switch resource.spec {
                case .dataset(let spec): spec.dataImport.map { $0.roleArn == nil } ?? false
                case .datasetExport(let spec): spec.roleArn == nil
                case .dataDeletion(let spec): spec.roleArn == nil
                case .metricAttribution(let spec): spec.roleArn == nil
                case let spec: spec.batchJob.map { $0.roleArn == nil } ?? false
                }
            return needsRole ? (resource.address, resource.location) : nil
        }
    }

    /// The resources naming a local file or folder, which Amazon Personalize cannot read or write. `exchangeable`:
    /// those apply exchanges through the project's bucket (an import's, a data deletion's or a batch job's input,
    /// uploaded; a batch job's or an export's output, downloaded); otherwise those it cannot (a metric
    /// attribution's reports, which the service writes on its own schedule).
    static func localLocations(_ manifests: ManifestSet, exchangeable: Bool)
        -> [(address: ResourceAddress, location: SourceLocation)]
    {
        manifests.resources.compactMap { resource in
            let paths: [String] =
                switch (resource.spec, exchangeable) {
                case (.dataset(let spec), true): spec.dataImport.map { [$0.path] } ?? []
                case (.dataDeletion(let spec), true): [spec.path]
                case (.datasetExport(let spec), true): [spec.output.path]
                case (.metricAttribution(let spec), false): spec.outputPath.map { [$0] } ?? []
                case (let spec, true): spec.batchJob.map { [$0.inputPath, $0.output.path] } ?? []
                default: []
                }
            guard paths.contains(where: { !$0.hasPrefix("s3://") }) else { return nil }
            if case .dataset(let spec) = resource.spec, let dataImport = spec.dataImport {
                return (resource.address, dataImport.location)
            }
            return (resource.address, resource.location)
        }
    }

    /// The jobs whose outputs apply would download somewhere other than inside the manifests' folder (after links):
    /// manifests come from pull requests, and a download writes files.
    static func downloadsOutside(_ manifests: ManifestSet, prefix: String?)
        -> [(address: ResourceAddress, location: SourceLocation)]
    {
        manifests.resources.compactMap { resource in
            let output: JobOutput? =
                switch resource.spec {
                case .datasetExport(let spec): spec.output
                case let spec: spec.batchJob?.output
                }
            guard let output, let folder = ObjectExchange.downloadFolder(output, prefix: prefix),
                !LocalFolder.contains(manifests.directory, folder)
            else { return nil }
            return (resource.address, resource.location)
        }
    }

    /// What apply uploads and downloads for a change (its notes in the plan): local inputs go under the bucket for a
    /// remote engine, and outputs come back into their download folders.
    static func exchangeNotes(_ change: ResourceChange, prefix: String?) -> [String] {
        guard let spec = change.desired?.spec, change.action != .noOp, change.action != .delete else { return [] }
        switch spec {
        case .dataset(let spec):
            guard let dataImport = spec.dataImport else { return [] }
            return change.steps.compactMap { step in
                guard case .importData(let hash) = step else { return nil }
                return ObjectExchange.uploadNote(
                    dataImport.source, path: dataImport.path, contentHash: hash, prefix: prefix)
            }
        case .dataDeletion(let spec):
            guard change.action != .update else { return [] }
            return [
                ObjectExchange.uploadNote(spec.source, path: spec.path, contentHash: spec.contentHash, prefix: prefix)
            ].compactMap { $0 }
        case .datasetExport(let spec):
            return change.action == .update
                ? [] : [ObjectExchange.downloadNote(spec.output, prefix: prefix)].compactMap { $0 }
        case let spec:
            guard let job = spec.batchJob, change.action != .update else { return [] }
            return [
                ObjectExchange.uploadNote(job.input, path: job.inputPath, contentHash: job.contentHash, prefix: prefix),
                ObjectExchange.downloadNote(job.output, prefix: prefix),
            ].compactMap { $0 }
        }
    }

    /// Describes every resource in state.
    ///
    /// - Returns: What the engine has per address; a nil value when it does not have the resource.
    package func refresh(_ state: State) async throws -> [ResourceAddress: Observation?] {
        var observations: [ResourceAddress: Observation?] = [:]
        for (address, entry) in state.resources {
            let observed = try await address.kind.driver.observe(arn: entry.arn, service: service)
            // A resource being deleted (outside Tailor) is as good as gone: the plan creates it again, and apply
            // waits until the deletion frees its name.
            if case .deleting? = observed?.status {
                observations[address] = .some(nil)
            } else {
                observations[address] = .some(observed)
            }
        }
        return observations
    }

    /// Hashes every import file, data deletion file and batch input. A dataset's missing source that has a
    /// fetch command is not fetched: its address is among `fetches`, for apply.
    private func importHashes(_ manifests: ManifestSet) async throws(PlannerError) -> (
        hashes: [ResourceAddress: String], fetches: Set<ResourceAddress>
    ) {
        var hashes: [ResourceAddress: String] = [:]
        var fetches: Set<ResourceAddress> = []
        for resource in manifests.resources {
            if case .dataDeletion(let spec) = resource.spec {
                hashes[resource.address] =
                    spec.path.hasPrefix("s3://")
                    ? try await Self.identity(spec.path, of: .deletion, at: resource.location, objects: objects)
                    : try Self.hash(spec.path, at: resource.location, SpecHash.ofFile)
                continue
            }
            if let job = resource.spec.batchJob {
                hashes[resource.address] =
                    job.inputPath.hasPrefix("s3://")
                    ? try await Self.identity(job.inputPath, of: .batchInput, at: resource.location, objects: objects)
                    : try Self.hash(job.inputPath, at: resource.location, BatchJob.contentHash)
                continue
            }
            guard case .dataset(let spec) = resource.spec, let dataImport = spec.dataImport else { continue }
            if dataImport.isObject {
                hashes[resource.address] = try await Self.identity(dataImport, objects: objects)
                continue
            }
            guard FileManager.default.fileExists(atPath: dataImport.path) else {
                guard dataImport.fetchCommand != nil else {
                    throw .missingImportSource(path: dataImport.path, location: dataImport.location)
                }
                fetches.insert(resource.address)
                continue
            }
            hashes[resource.address] = try Self.hash(dataImport.path, at: dataImport.location, SpecHash.ofFile)
        }
        return (hashes, fetches)
    }

    /// What a job reads at an `s3://` location, as the engine selects it.
    enum ObjectInput {
        /// A dataset import: `.csv` objects directly under a prefix.
        case dataImport
        /// A data deletion: `.csv` objects below a prefix.
        case deletion
        /// A batch job: `.json` and `.jsonl` objects directly under a prefix.
        case batchInput

        var suffixes: [String] { self == .batchInput ? [".json", ".jsonl"] : [".csv"] }
    }

    /// The identity of an `s3://` import source in `objects`.
    static func identity(_ dataImport: DatasetImport, objects: (any ObjectSources)?) async throws(PlannerError)
        -> String
    {
        try await identity(dataImport.source, of: .dataImport, at: dataImport.location, objects: objects)
    }

    /// The identity of the `s3://` input `uri` of a job (written at `location`) in `objects`.
    static func identity(
        _ uri: String, of input: ObjectInput, at location: SourceLocation, objects: (any ObjectSources)?
    ) async throws(PlannerError) -> String {
        guard let objects else {
            throw .unreadableImportSource(
                path: uri, location: location,
                reason: "no S3 store is configured: give --s3-endpoint URL (an S3-compatible store) or "
                    + "--s3-endpoint aws, or set TAILOR_S3_ENDPOINT")
        }
        do {
            return try await objects.identity(of: uri, selecting: input.suffixes, recursive: input == .deletion)
        } catch {
            throw .unreadableImportSource(path: uri, location: location, reason: "\(error)")
        }
    }

    private static func hash(
        _ path: String, at location: SourceLocation, _ digest: (_ atPath: String) throws -> String
    ) throws(PlannerError) -> String {
        do {
            return try digest(path)
        } catch {
            throw .unreadableImportSource(path: path, location: location, reason: error.localizedDescription)
        }
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
