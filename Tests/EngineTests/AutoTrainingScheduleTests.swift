import Foundation
import Testing

@testable import Engine

/// The pure schedule: slots keep the first run's time of day, late runs do not shift them, and an
/// interrupted run does not serve its slot.
@Suite struct AutoTrainingScheduleTests {
    let start = Date(timeIntervalSince1970: 1_750_000_000)
    let day: TimeInterval = 86_400

    private func facts(_ versions: [AutoTrainingFacts.Version], data: Date?) -> AutoTrainingFacts {
        AutoTrainingFacts(scheduleStart: start, days: 3, versions: versions, lastDataChange: data)
    }

    private func version(
        at offset: TimeInterval, automatic: Bool = true, status: String = "ACTIVE", interrupted: Bool = false
    )
        -> AutoTrainingFacts.Version
    {
        AutoTrainingFacts.Version(
            arn: "v\(offset)", created: start.addingTimeInterval(offset), automatic: automatic, status: status,
            interrupted: interrupted)
    }

    @Test func slotsKeepTheirTimeOfDayAfterALateRun() {
        let first = start.addingTimeInterval(3600)
        // The first slot ran five hours late; the second slot is still three days after the first slot.
        let late = facts([version(at: 3600 + 5 * 3600)], data: start.addingTimeInterval(2 * day))
        #expect(
            late.decision(at: first.addingTimeInterval(3 * day - 1)) == .wait(next: first.addingTimeInterval(3 * day)))
        #expect(late.decision(at: first.addingTimeInterval(3 * day)) == .train(slot: first.addingTimeInterval(3 * day)))
        // Several missed slots give one run, for the latest.
        #expect(
            late.decision(at: first.addingTimeInterval(10 * day)) == .train(slot: first.addingTimeInterval(9 * day)))
    }

    @Test func interruptedRunsDoNotServeTheirSlotButFailedOnesDo() {
        let now = start.addingTimeInterval(3600 + 60)
        let data = start.addingTimeInterval(-60)
        let interrupted = facts([version(at: 3600, status: "CREATE FAILED", interrupted: true)], data: data)
        #expect(interrupted.decision(at: now) == .train(slot: start.addingTimeInterval(3600)))
        let failed = facts([version(at: 3600, status: "CREATE FAILED")], data: data)
        #expect(failed.decision(at: now) == .wait(next: start.addingTimeInterval(3600 + 3 * day)))
    }

    @Test func noDataEverMeansNoRun() {
        let now = start.addingTimeInterval(3600)
        #expect(facts([], data: nil).decision(at: now) == .noNewData(next: start.addingTimeInterval(3600 + 3 * day)))
    }
}
