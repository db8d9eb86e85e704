import EngineAPI

/// The guide's quotas on how many resources of a kind may exist (part 3 §12): what counts, the service's default,
/// and the `LimitExceededException` a create gets when one more would pass the limit. The limit itself is the
/// engine's configuration (a data folder's `limits.json` may raise it for local use).
package enum Quota: Sendable, CaseIterable {
    /// Dataset groups (5 per region).
    case datasetGroups
    /// Schemas (500 per region).
    case schemas
    /// Solutions per dataset group (10).
    case solutionsPerDatasetGroup
    /// Filters per dataset group (10).
    case filtersPerDatasetGroup
    /// Solution versions pending or in progress (20 per region).
    case pendingSolutionVersions

    /// The resources counted.
    package var counted: ResourceType {
        switch self {
        case .datasetGroups: .datasetGroup
        case .schemas: .schema
        case .solutionsPerDatasetGroup: .solution
        case .filtersPerDatasetGroup: .filter
        case .pendingSolutionVersions: .solutionVersion
        }
    }

    /// Whether the resources are counted per dataset group (else per region).
    package var isPerDatasetGroup: Bool {
        self == .solutionsPerDatasetGroup || self == .filtersPerDatasetGroup
    }

    /// Whether only resources in a transient status (PENDING, IN_PROGRESS) count.
    package var countsTransientOnly: Bool { self == .pendingSolutionVersions }

    /// The service's default limit.
    package var defaultLimit: Int {
        switch self {
        case .datasetGroups: 5
        case .schemas: 500
        case .solutionsPerDatasetGroup, .filtersPerDatasetGroup: 10
        case .pendingSolutionVersions: 20
        }
    }

    /// Throws the service's `LimitExceededException` when `count` resources already reach `limit`.
    ///
    /// - Parameter datasetGroupArn: The dataset group counted in, for the per-group quotas' messages.
    package func check(count: Int, limit: Int, datasetGroupArn: String? = nil) throws {
        guard count >= limit else { return }
        let group = datasetGroupArn ?? ""
        let message =
            switch self {
            case .datasetGroups:
                "Unable to create dataset group. There are already \(count) dataset groups and the quota is "
                    + "\(limit). Please delete some and try again."
            case .schemas:
                "Unable to create schema. There are already \(count) schemas and the quota is \(limit). "
                    + "Please delete some and try again."
            case .solutionsPerDatasetGroup:
                "Unable to create solution. There are more than \(limit - 1) resources with ACTIVE status in "
                    + "dataset group \(group). Please delete some and try again."
            case .filtersPerDatasetGroup:
                "Unable to create filter. Dataset group \(group) already has \(count) filters and the "
                    + "quota is \(limit). Please delete some and try again."
            case .pendingSolutionVersions:
                "More than \(limit) resources with PENDING or IN_PROGRESS status."
            }
        throw PersonalizeError.limitExceeded(message)
    }
}
