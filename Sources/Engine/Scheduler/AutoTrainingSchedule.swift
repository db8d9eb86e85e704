import EngineAPI
package import Foundation
import PersonalizeRules

/// When the scheduler trains (the schedule's grammar is ``TrainingSchedule``, in PersonalizeRules).
package enum AutoTrainingSchedule {
    /// How long after a solution becomes ACTIVE (or its schedule changes) the first automatic training
    /// starts: the guide says "within one hour", and a manual version created in that hour replaces it.
    package static let firstRunDelay: TimeInterval = 3600
}

/// What the scheduler knows about one solution, all read from stored timestamps, so that a restarted
/// process reaches the same decision as the one that stopped.
package struct AutoTrainingFacts: Sendable {
    /// One solution version of the solution.
    package struct Version: Sendable {
        package var arn: String
        package var created: Date
        package var automatic: Bool
        package var status: String
        /// Whether a process died while training it (it then does not count as the slot's run).
        package var interrupted: Bool

        package init(arn: String, created: Date, automatic: Bool, status: String, interrupted: Bool) {
            self.arn = arn
            self.created = created
            self.automatic = automatic
            self.status = status
            self.interrupted = interrupted
        }
    }

    /// When the schedule started: the solution's creation or the latest `UpdateSolution`.
    package var scheduleStart: Date
    /// The interval of `rate(N days)`.
    package var days: Int
    package var versions: [Version]
    /// When interaction data last arrived (a bulk import finished, or `PutEvents`), if ever.
    package var lastDataChange: Date?

    package init(scheduleStart: Date, days: Int, versions: [Version], lastDataChange: Date?) {
        self.scheduleStart = scheduleStart
        self.days = days
        self.versions = versions
        self.lastDataChange = lastDataChange
    }
}

/// What the scheduler does for one solution at one moment.
package enum AutoTrainingDecision: Sendable, Equatable {
    /// Start an automatic training for the slot that began at `slot`.
    case train(slot: Date)
    /// Nothing is due before `next`.
    case wait(next: Date)
    /// A slot is due but the solution version `arn` is still training; retry on a later tick.
    case busy(arn: String)
    /// The slot is due but no interaction data arrived since the last training; the next slot is at `next`.
    case noNewData(next: Date)
}

extension AutoTrainingFacts {
    /// Decides what is due at `now`.
    ///
    /// Slots are `scheduleStart + 1 h + k × interval` (so every run keeps the first run's time of day, as
    /// the guide says). A slot is served once an automatic version was created at or after it; the first
    /// slot is also served by any version created since the schedule started (a manual version in the
    /// first hour replaces the first automatic run). An unserved slot trains unless a version is in
    /// progress or no interaction data arrived since the newest ACTIVE version was created.
    package func decision(at now: Date) -> AutoTrainingDecision {
        let first = scheduleStart.addingTimeInterval(AutoTrainingSchedule.firstRunDelay)
        guard now >= first else { return .wait(next: first) }
        let interval = TimeInterval(days) * 86_400
        let index = (now.timeIntervalSince(first) / interval).rounded(.down)
        let slot = first.addingTimeInterval(index * interval)
        let next = slot.addingTimeInterval(interval)
        let counted = versions.filter { !$0.interrupted }
        let served =
            counted.contains { $0.automatic && $0.created >= slot }
            || (index == 0 && counted.contains { $0.created >= scheduleStart })
        if served { return .wait(next: next) }
        if let running = versions.first(where: { Status.isTransient($0.status) }) { return .busy(arn: running.arn) }
        guard let lastDataChange else { return .noNewData(next: next) }
        let lastTraining = versions.filter { $0.status == Status.active }.map(\.created).max()
        if let lastTraining, lastDataChange <= lastTraining { return .noNewData(next: next) }
        return .train(slot: slot)
    }
}
