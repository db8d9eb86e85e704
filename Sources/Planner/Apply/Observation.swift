package import EngineAPI
package import PersonalizeRules

/// A resource as the engine describes it now: for refresh (drift, disappearance) and for waiting.
package struct Observation: Sendable, Hashable {
    /// The engine's status, parsed.
    package var status: ResourceStatus
    /// Why it failed, when it did.
    package var failureReason: String?
    /// Normalised fields the engine reports, keyed as manifests key them (a campaign's `minProvisionedTPS`).
    /// Only fields that update in place are observed, so a difference in how the engine spells a value can
    /// never force a replacement.
    package var fields: [String: SpecValue]
    /// Attributes the engine reports, keyed as state keys them (a campaign's deployed `solutionVersionArn`).
    package var attributes: [String: SpecValue]
    /// The status of the latest in-place update (`latestCampaignUpdate`, ...), when there is one.
    package var updateStatus: ResourceStatus?
    /// Why the latest in-place update failed, when it did.
    package var updateFailureReason: String?

    package init(
        status: ResourceStatus, failureReason: String? = nil, fields: [String: SpecValue] = [:],
        attributes: [String: SpecValue] = [:], updateStatus: ResourceStatus? = nil, updateFailureReason: String? = nil
    ) {
        self.status = status
        self.failureReason = failureReason
        self.fields = fields
        self.attributes = attributes
        self.updateStatus = updateStatus
        self.updateFailureReason = updateFailureReason
    }

    /// The status and failure reason `resource` reports, with `attributes`.
    package init(_ resource: some StatusReporting, attributes: [String: SpecValue] = [:]) {
        self.init(
            status: ResourceStatus(resource.status), failureReason: resource.failureReason, attributes: attributes)
    }
}
