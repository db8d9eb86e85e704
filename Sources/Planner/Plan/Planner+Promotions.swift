import EngineAPI
import Foundation
import PersonalizeRules

extension Planner {
    /// The pending promotion of every campaign with a `promote` policy that is deployed: the newest ACTIVE
    /// version of its solution (automatic versions included) and both versions' metric.
    ///
    /// - Returns: One entry per such campaign; its candidate is the deployed version when nothing is newer.
    func promotions(_ manifests: ManifestSet, _ state: State) async throws -> [ResourceAddress: Promotion] {
        var promotions: [ResourceAddress: Promotion] = [:]
        for resource in manifests.resources {
            guard case .campaign(let spec) = resource.spec, let policy = spec.promote,
                let deployed = state[resource.address]?.string(StateEntry.Key.solutionVersionArn),
                let solution = state[ResourceAddress(.solution, spec.solution)], solution.status == .ready
            else { continue }
            let candidate = try await Self.newestActiveVersion(of: solution.arn, service: service) ?? deployed
            var promotion = Promotion(deployed: deployed, candidate: candidate, policy: policy)
            if candidate != deployed {
                promotion.deployedValue = await Self.metric(policy.metric, of: deployed, service: service)
                promotion.candidateValue = await Self.metric(policy.metric, of: candidate, service: service)
            }
            promotions[resource.address] = promotion
        }
        return promotions
    }

    /// The newest ACTIVE version of a solution (by creation time; the listing's order when it has none).
    static func newestActiveVersion(of solutionArn: String, service: any PersonalizeService) async throws
        -> String?
    {
        let versions = try await EngineCalls.all(
            ListSolutionVersionsRequest(solutionArn: solutionArn), service: service)
        let active = versions.filter { $0.status == Status.active && $0.solutionVersionArn != nil }
        let newest =
            active.allSatisfy { $0.creationDateTime != nil }
            ? active.max { ($0.creationDateTime ?? .distantPast) < ($1.creationDateTime ?? .distantPast) }
            : active.first
        return newest?.solutionVersionArn
    }

    /// A version's offline metric; nil when the engine does not report it.
    static func metric(_ name: String, of versionArn: String, service: any PersonalizeService) async -> Double? {
        let response = try? await service.send(GetSolutionMetricsRequest(solutionVersionArn: versionArn))
        return response?.metrics?[name]
    }
}
