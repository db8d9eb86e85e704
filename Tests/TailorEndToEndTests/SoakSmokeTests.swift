import Foundation
import TailorTestSupport
import Testing

/// The short version of `Benchmarks/kill-soak`: three trials of kill -9 during a stream of PutEvents against
/// the built `tailor serve`. It fails if the database is corrupt after a kill, an event acknowledged with 200
/// is missing, or anything is left pending.
@Suite(.serialized) struct SoakSmokeTests {
    @Test func threeKillsDuringPutEventsLoseNoAcknowledgedEvent() throws {
        let directory = try TemporaryDirectory("tailor-soak-smoke")
        defer { directory.remove() }
        let (status, text) = try TailorProcess.runLogged(
            TailorProcess.robustnessBenchmark(),
            [
                "soak", "--scenarios", "events", "--trials", "3", "--tailor", try TailorProcess.binary().path,
                "--work", directory.url.appendingPathComponent("work").path,
            ], in: directory.url)
        #expect(status == 0, "\(text)")
        #expect(text.contains("events: 3 trials"), "\(text)")
    }
}
