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
}

/// Personalize's status strings, reduced to what apply acts on.
package enum ResourceStatus: Hashable, Sendable, CustomStringConvertible {
    /// ACTIVE.
    case active
    /// CREATE PENDING, CREATE IN_PROGRESS, UPDATE PENDING, ...: keep waiting.
    case inProgress(String)
    /// CREATE FAILED, CREATE STOPPED, ...: stop waiting and report the failure reason.
    case failed(String)
    /// DELETE PENDING, DELETE IN_PROGRESS: being deleted.
    case deleting(String)

    /// Parses a status string; an absent one counts as in progress.
    package init(_ status: String?) {
        guard let status else {
            self = .inProgress("UNKNOWN")
            return
        }
        if status == "ACTIVE" {
            self = .active
        } else if status.hasPrefix("DELETE") {
            self = .deleting(status)
        } else if status.hasSuffix("FAILED") || status.hasSuffix("STOPPED") || status.hasSuffix("STOPPING") {
            self = .failed(status)
        } else {
            self = .inProgress(status)
        }
    }

    package var description: String {
        switch self {
        case .active: "ACTIVE"
        case .inProgress(let status), .failed(let status), .deleting(let status): status
        }
    }
}
