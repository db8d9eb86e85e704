package import EngineAPI
import Foundation

/// Makes plans: fetches and hashes import files, refreshes state from the engine, and diffs.
package struct Planner: Sendable {
    private let service: any PersonalizeService
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
        let hashes = try await importHashes(manifests)
        let observations = refresh ? try await self.refresh(state) : nil
        var differ = Differ(manifests: manifests, state: state, importHashes: hashes, observations: observations)
        return Plan(changes: differ.diff(), priorSerial: state.serial, priorLineage: state.lineage)
    }

    /// Plans deleting everything in state (`tailor destroy`).
    ///
    /// - Parameter state: The current state.
    /// - Returns: A delete per address.
    package func destroyPlan(state: State) -> Plan {
        let changes = state.resources.map { address, entry in
            ResourceChange(
                address: address, action: .delete, reason: .deleteBecauseNoResourceConfig, notes: ["destroy"],
                fields: entry.spec.keys.sorted().map {
                    FieldChange(path: $0, before: entry.spec[$0].map(PlanValue.known) ?? .absent, after: .absent)
                },
                prior: entry, dependencies: entry.dependencies)
        }
        return Plan(changes: changes, priorSerial: state.serial, priorLineage: state.lineage, isDestroy: true)
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

    /// Fetches missing import sources and hashes every import file.
    private func importHashes(_ manifests: ManifestSet) async throws -> [ResourceAddress: String] {
        var hashes: [ResourceAddress: String] = [:]
        for resource in manifests.resources {
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
