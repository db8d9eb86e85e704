import ArgumentParser
import EngineAPI
import Foundation
import Planner
import Synchronization

/// Shows a plan, asks for approval, applies it with progress, and maps the outcome to an exit code:
/// 0 done, 1 failed before changing anything, 3 failed after some changes.
struct ApplyRun {
    let plan: Plan
    let service: any PersonalizeService
    let store: any StateBackend
    let options: ApplyOptions
    let verb: String
    var approved = false
    /// How to run the plan's fetch commands, and whether they are allowed; nil: the plan fetches nothing.
    var fetching: FetchResolution?
    /// Where `s3://` import sources are checked before their import.
    var objects: (any ObjectSources)? = nil

    func run() async throws {
        let ndjson = options.isNDJSON ? NDJSONWriter() : nil
        if let ndjson {
            ndjson.write(ApplyEventJSON.version())
            ApplyEventJSON.plan(plan).forEach(ndjson.write)
        } else {
            print(PlanRenderer.text(plan, colors: Terminal.colors), terminator: "")
        }
        guard plan.hasChanges else { return }
        let fetches = plan.pendingFetches
        if !fetches.isEmpty, fetching?.allowed != true {
            // Each line names its file:line:col and says "error:".
            printError(PlannerError.fetchNotAllowed(fetches).description)
            throw ExitCode.failure
        }
        try confirm()
        let approved = try await resolvingFetches()
        let renderer = ProgressRenderer(interactive: Terminal.isInteractive)
        let heldBack = HeldBackLog()
        let applier = Applier(service: service, store: store, parallelism: options.parallelism, objects: objects)
        let summary = try await PlannerErrors.reporting {
            try await applier.apply(approved) { event in
                heldBack.record(event)
                if let ndjson {
                    ApplyEventJSON.event(event).map(ndjson.write)
                } else {
                    renderer.render(event)
                }
            }
        }
        renderer.finish()
        if let ndjson { ndjson.write(ApplyEventJSON.summary(summary, operation: verb)) }
        try report(summary, quiet: ndjson != nil)
        if ndjson == nil { heldBack.report() }
    }

    /// Runs the plan's fetch commands (allowed: checked before approval) and returns the plan made with the
    /// fetched data, saying which approved changes it no longer needs.
    private func resolvingFetches() async throws -> Plan {
        guard let fetching, !plan.pendingFetches.isEmpty else { return plan }
        let resolved = try await PlannerErrors.reporting { try await fetching.resolve(plan) }
        let dropped = plan.actionableChanges.filter { resolved[$0.address]?.action == .noOp }
        if !dropped.isEmpty, !options.isNDJSON {
            print("\nWith the data fetched, these no longer change (the data is what was imported):")
            dropped.forEach { print("  \($0.address)") }
        }
        return resolved
    }

    private func report(_ summary: ApplySummary, quiet: Bool) throws {
        let counts = summary.counts
        let verbPast = verb.prefix(1).uppercased() + verb.dropFirst()
        if summary.succeeded {
            guard !quiet else { return }
            if plan.isRefreshOnly {
                print(
                    "\n\(verbPast) complete! The state records what changed outside Tailor (serial \(summary.serial)).")
            } else {
                print(
                    "\n\(verbPast) complete! Resources: \(counts.added) added, \(counts.changed) changed, "
                        + "\(counts.destroyed) destroyed.")
            }
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
        guard !options.autoApprove, !approved else { return }
        try Terminal.requireYes(
            "\nDo you want to perform these actions?", canAsk: Terminal.inputIsInteractive && !options.isNDJSON,
            refusal: "error: \(verb) needs approval: run it in a terminal, or pass --auto-approve", command: verb)
    }
}

/// What apply needs to run a plan's fetch commands: the manifests and state it was planned from, and consent.
struct FetchResolution {
    let manifests: ManifestSet
    let state: State
    let planner: Planner
    /// `--allow-fetch`, or the project's `spec.allowFetch: true`.
    let allowed: Bool

    /// Runs the fetches and plans again with the data (see ``Planner/resolvingFetches``).
    func resolve(_ plan: Plan) async throws -> Plan {
        try await planner.resolvingFetches(
            plan, manifests: manifests, state: state, allowed: allowed, onFetch: FetchReporter.report)
    }
}

/// The promotions apply held back, repeated after the summary so they are not lost among the progress lines.
private final class HeldBackLog: Sendable {
    private let lines = Mutex<[String]>([])

    func record(_ event: ApplyEvent) {
        guard case .heldBack(let address, let versionArn, let reason) = event else { return }
        lines.withLock { $0.append("  \(address): kept the deployed version; \(versionArn) held back: \(reason)") }
    }

    func report() {
        let lines = lines.withLock { $0 }
        guard !lines.isEmpty else { return }
        print("\nHeld back by the quality gate (state records it; later plans do not propose it again):")
        lines.forEach { print($0) }
    }
}
