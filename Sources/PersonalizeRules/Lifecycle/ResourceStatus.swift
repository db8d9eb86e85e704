/// Personalize's status strings, reduced to what a client waiting on a resource acts on (the planner's apply).
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
        if status == Status.active {
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
        case .active: Status.active
        case .inProgress(let status), .failed(let status), .deleting(let status): status
        }
    }
}
