/// The status strings of Personalize's resource lifecycles.
package enum Status {
    package static let createPending = "CREATE PENDING"
    package static let createInProgress = "CREATE IN_PROGRESS"
    package static let active = "ACTIVE"
    package static let createFailed = "CREATE FAILED"
    package static let createStopping = "CREATE STOPPING"
    package static let createStopped = "CREATE STOPPED"
    package static let deletePending = "DELETE PENDING"
    package static let deleteInProgress = "DELETE IN_PROGRESS"
    package static let updatePending = "UPDATE PENDING"
    package static let updateInProgress = "UPDATE IN_PROGRESS"

    /// Batch inference and batch segment jobs' statuses while they run (they end in ``Status/active`` or
    /// ``Status/createFailed``). The API reference writes `PENDING > IN_PROGRESS`, but the service reports
    /// `CREATE PENDING` and `CREATE IN_PROGRESS` (the aws-samples notebooks' stored outputs), like other jobs.
    package enum Batch {
        package static let pending = Status.createPending
        package static let inProgress = Status.createInProgress
        /// `PENDING` and `IN_PROGRESS`: what Tailor stored for a running batch job before it spelled them as the
        /// service does. A data folder written then may still hold them; recovery fails such jobs as interrupted.
        package static let legacyUnfinished: Set<String> = ["PENDING", "IN_PROGRESS"]
        /// Every status of a batch job that has not finished (the legacy spellings included).
        package static let unfinished: Set<String> = legacyUnfinished.union([pending, inProgress])
    }

    /// Data deletion jobs' statuses.
    package enum DataDeletion {
        package static let pending = "PENDING"
        package static let inProgress = "IN_PROGRESS"
        package static let completed = "COMPLETED"
        package static let failed = "FAILED"
    }

    /// A recommender's statuses while it is stopped or started.
    package enum Recommender {
        package static let stopPending = "STOP PENDING"
        package static let inactive = "INACTIVE"
        package static let startPending = "START PENDING"
    }

    /// Statuses of a job that a process was still working on.
    package static let unfinished: Set<String> = [createPending, createInProgress, createStopping]

    /// Whether a resource in `status` is being deleted (`DELETE PENDING`, `DELETE IN_PROGRESS`).
    package static func isDeleting(_ status: String) -> Bool {
        status == deletePending || status == deleteInProgress
    }

    /// Whether a resource in `status` is still being created or deleted.
    package static func isTransient(_ status: String?) -> Bool {
        guard let status else { return false }
        return status.hasSuffix("PENDING") || status.hasSuffix("IN_PROGRESS") || status == createStopping
    }
}
