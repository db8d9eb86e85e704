package import EngineAPI
import Foundation
import PersonalizeRules

/// `tailor import ADDRESS ARN`: adopts an object the engine already has into state, recording what the
/// engine reports for the fields the manifest sets, so that the next plan shows only real differences.
package struct Importer: Sendable {
    private let service: any PersonalizeService

    package init(service: any PersonalizeService) {
        self.service = service
    }

    /// What an import recorded.
    package struct Result: Sendable {
        /// The state with the new entry.
        package var state: State
        /// Fields the engine does not report, recorded as the manifest declares them.
        package var assumed: [String]
        /// Remarks for the user (an import file assumed to be the one imported, ...).
        package var notes: [String]
    }

    /// Describes `arn` and records it at `address`.
    ///
    /// - Throws: ``PlannerError/importRefused(address:arn:reason:)`` when the manifests do not declare the
    ///   address, state already tracks it, or the engine has no such object of that kind.
    package func importing(
        _ address: ResourceAddress, arn: String, manifests: ManifestSet, state: State
    ) async throws -> Result {
        func refuse(_ reason: String) -> PlannerError { .importRefused(address: address, arn: arn, reason: reason) }
        guard let desired = manifests[address] else {
            let names = manifests.addresses.map(\.description)
            let hint = Suggestion.closest(to: address.description, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw refuse("the manifests do not declare \(address)\(hint)")
        }
        if let entry = state[address] {
            throw refuse("state already tracks \(address) as \(entry.arn); `tailor state rm \(address)` first")
        }
        let expected = address.kind.resourceType.rawValue
        guard let parsed = ARN(arn), parsed.resourceType == expected else {
            throw refuse("not the ARN of a \(address.kind.noun) (expected arn:aws:personalize:...:\(expected)/...)")
        }
        guard let observation = try await address.kind.driver.observe(arn: arn, service: service) else {
            throw refuse("the engine has no \(address.kind.noun) \(arn)")
        }
        guard observation.status == .active else {
            throw refuse("the \(address.kind.noun) is \(observation.status), not ACTIVE; import it once it is")
        }
        let reader = ImportReader(service: service, state: state)
        let read = try await reader.read(address, arn: arn, desired: desired)
        var spec: [String: SpecValue] = [:]
        var assumed: [String] = []
        for (key, value) in desired.fields {
            if let engine = read.fields[key] ?? observation.fields[key] {
                spec[key] = Self.restricted(engine, to: value)
            } else {
                spec[key] = value
                assumed.append(key)
            }
        }
        // What plans add to a job's spec (its input's content hash, the version it ran on) is read, not declared.
        for key in Self.plannedFields where spec[key] == nil { spec[key] = read.fields[key] }
        var entry = StateEntry(
            arn: arn, status: .ready, spec: spec, dependencies: Differ.dependencies(of: desired, in: manifests),
            preventDestroy: desired.lifecycle.preventDestroy)
        entry.attributes = observation.attributes.merging(read.attributes) { _, read in read }
        var next = state
        next[address] = entry
        return Result(state: next, assumed: assumed.sorted(), notes: read.notes)
    }

    /// The fields plans add to the manifest's (a data deletion's or batch job's `contentHash`, a batch job's
    /// `solutionVersion`).
    static let plannedFields = ["contentHash", "solutionVersion"]

    /// The engine's value with map keys the manifest does not set left out (server defaults are not drift).
    private static func restricted(_ engine: SpecValue, to desired: SpecValue) -> SpecValue {
        guard case .map(let observed) = engine, case .map(let wanted) = desired else { return engine }
        return .map(observed.filter { wanted[$0.key] != nil })
    }
}
