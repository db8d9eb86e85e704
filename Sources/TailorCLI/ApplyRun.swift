import ArgumentParser
import EngineAPI
import Foundation
import Planner

/// Shows a plan, asks for approval, applies it with progress, and maps the outcome to an exit code.
struct ApplyRun {
    let plan: Plan
    let service: any PersonalizeService
    let store: StateStore
    let autoApprove: Bool
    let verb: String

    func run() async throws {
        print(PlanRenderer.text(plan, colors: Terminal.colors), terminator: "")
        guard plan.hasChanges else { return }
        try confirm()
        let renderer = ProgressRenderer(interactive: Terminal.isInteractive)
        let summary = try await PlannerErrors.reporting {
            try await Applier(service: service, store: store).apply(plan) { renderer.render($0) }
        }
        renderer.finish()
        let counts = summary.counts
        let verbPast = verb == "destroy" ? "Destroy" : "Apply"
        if summary.succeeded {
            print(
                "\n\(verbPast) complete! Resources: \(counts.added) added, \(counts.changed) changed, "
                    + "\(counts.destroyed) destroyed.")
            return
        }
        let failures = summary.outcomes.filter { if case .done = $0.outcome { false } else { true } }
        printError("\n\(verbPast) failed for \(failures.count) resource\(failures.count == 1 ? "" : "s"):")
        for entry in failures {
            switch entry.outcome {
            case .failed(_, let message):
                printError("  " + (message.hasPrefix("\(entry.address)") ? message : "\(entry.address): \(message)"))
            case .skipped(_, let reason): printError("  \(entry.address): skipped: \(reason)")
            case .done: break
            }
        }
        throw ExitCode(summary.changedSomething ? 3 : 1)
    }

    private func confirm() throws {
        guard !autoApprove else { return }
        guard Terminal.inputIsInteractive else {
            printError("error: \(verb) needs approval: run it in a terminal, or pass --auto-approve")
            throw ExitCode.failure
        }
        print("\nDo you want to perform these actions? Only 'yes' will be accepted: ", terminator: "")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            printError("\(verb) cancelled.")
            throw ExitCode.failure
        }
    }
}
