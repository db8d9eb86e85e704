import ArgumentParser
import Foundation

/// `soak`: kill -9 `tailor serve` during imports, training and a stream of PutEvents, trial after trial.
struct SoakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "kill -9 tailor serve during imports, training and PutEvents; check the data folder after each kill.",
        discussion: """
            After every kill: PRAGMA integrity_check of engine.sqlite, every acknowledged event stored, the \
            interrupted import all or nothing (and consistent with its job's status), and, once the server is \
            started again on the same folder, every job and resource terminal (or reaching it); an ACTIVE \
            solution version must deploy.
            """)

    @OptionGroup var locations: Locations

    @Option(help: "Scenarios, comma-separated: import,training,events.")
    var scenarios = "import,training,events"

    @Option(help: "Trials per scenario.")
    var trials = 100

    @Option(help: "The seed of the kill times.")
    var seed: UInt64 = 1

    @Option(help: "Rows of the killed import.")
    var importRows = 300_000

    @Option(help: "Interactions the killed training trains on.")
    var trainingRows = 60_000

    @Option(help: "PutEvents clients sending at once.")
    var clients = 4

    func run() throws {
        let tailor = try locations.tailorBinary()
        let (work, owned) = try locations.workFolder("tailor-soak")
        defer { if owned { try? FileManager.default.removeItem(atPath: work) } }
        var random = SplitMix(seed: seed)
        var summaries: [SoakSummary] = []
        for name in scenarios.split(separator: ",").map(String.init) {
            let soak = Soak(tailor: tailor, work: work + "/" + name, trials: trials)
            switch name {
            case "import": summaries.append(try soak.importScenario(rows: importRows, random: &random))
            case "training": summaries.append(try soak.trainingScenario(rows: trainingRows, random: &random))
            case "events": summaries.append(try soak.eventsScenario(clients: clients, random: &random))
            default: throw ValidationError("unknown scenario '\(name)'; known: import, training, events")
            }
        }
        print("")
        print(SoakSummary.table(summaries))
        if summaries.contains(where: { $0.failures > 0 || $0.lostEvents > 0 }) {
            print("FAILED: see the trial lines above")
            throw ExitCode(1)
        }
    }
}

/// What one scenario's trials came to.
struct SoakSummary {
    var scenario: String
    var trials = 0
    /// Trials killed while the job was still running (it came back CREATE FAILED, interrupted).
    var interrupted = 0
    var failures = 0
    var acknowledged = 0
    var lostEvents = 0
    var seconds = 0.0
    /// What the last trial saw (printed on its line).
    var detail = ""

    static func table(_ summaries: [SoakSummary]) -> String {
        var lines = ["scenario   trials  interrupted  failed  acknowledged events  lost events  seconds"]
        for summary in summaries {
            lines.append(
                summary.scenario.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + String(
                        format: "  %6d  %11d  %6d  %19d  %11d  %7.0f", summary.trials, summary.interrupted,
                        summary.failures, summary.acknowledged, summary.lostEvents, summary.seconds))
        }
        return lines.joined(separator: "\n")
    }
}
