/// Apply's progress as Terraform's machine-readable UI messages (one JSON object per line, `--json`), so CI
/// logs and dashboards read them: `version`, `planned_change`, `change_summary`, `apply_start`,
/// `apply_progress`, `apply_complete`, `apply_errored`, plus Tailor's `apply_skipped`, `apply_step`,
/// `metrics` and `state_saved`. Timestamps are added by the caller.
package enum ApplyEventJSON {
    /// The UI format's version.
    package static let uiVersion = "1.2"

    /// The first message of a stream.
    package static func version() -> SpecValue {
        message(
            "info", "Tailor \(TailorVersion.current)", type: "version",
            [
                "tailor": .string(TailorVersion.current), "ui": .string(uiVersion),
            ])
    }

    /// One `planned_change` per change of the plan that does something, then its `change_summary`.
    package static func plan(_ plan: Plan) -> [SpecValue] {
        let changes = plan.actionableChanges.map { change in
            message(
                "info", "\(change.address): Plan to \(change.action.rawValue)", type: "planned_change",
                ["change": .map(["resource": resource(change.address), "action": .string(change.action.rawValue)])])
        }
        let counts = plan.summary
        return changes + [
            message(
                "info", PlanRenderer.summaryLine(plan), type: "change_summary",
                [
                    "changes": .map([
                        "add": .int(counts.add), "change": .int(counts.change), "remove": .int(counts.destroy),
                        "operation": .string("plan"),
                    ])
                ])
        ]
    }

    /// The message for an apply event.
    package static func event(_ event: ApplyEvent) -> SpecValue? {
        switch event {
        case .started(let address, let action):
            return message(
                "info", "\(address): \(action.rawValue) started", type: "apply_start",
                ["hook": .map(["resource": resource(address), "action": .string(action.rawValue)])])
        case .step(let address, let text):
            return message(
                "info", "\(address): \(text)", type: "apply_step", ["hook": .map(["resource": resource(address)])])
        case .waiting(let address, let what, let status, let elapsed, _):
            return message(
                "info", "\(address): \(what): \(status)", type: "apply_progress",
                [
                    "hook": .map([
                        "resource": resource(address), "waiting_for": .string(what), "status": .string(status),
                        "elapsed_seconds": .double(seconds(elapsed)),
                    ])
                ])
        case .metrics(let address, let versionArn, let metrics):
            return message(
                "info", "\(address): metrics of \(versionArn)", type: "metrics",
                [
                    "hook": .map([
                        "resource": resource(address), "solution_version_arn": .string(versionArn),
                        "metrics": .map(metrics.mapValues(SpecValue.double)),
                    ])
                ])
        case .heldBack(let address, let versionArn, let reason):
            return message(
                "warn", "\(address): held back \(versionArn): \(reason)", type: "promotion_held_back",
                [
                    "hook": .map([
                        "resource": resource(address), "solution_version_arn": .string(versionArn),
                        "reason": .string(reason),
                    ])
                ])
        case .completed(let address, let action, let elapsed):
            return message(
                "info", "\(address): \(action.rawValue) complete", type: "apply_complete",
                [
                    "hook": .map([
                        "resource": resource(address), "action": .string(action.rawValue),
                        "elapsed_seconds": .double(seconds(elapsed)),
                    ])
                ])
        case .failed(let address, let action, let text):
            return message(
                "error", "\(address): \(action.rawValue) errored: \(text)", type: "apply_errored",
                ["hook": .map(["resource": resource(address), "action": .string(action.rawValue)])])
        case .skipped(let address, let action, let reason):
            return message(
                "warn", "\(address): skipped: \(reason)", type: "apply_skipped",
                [
                    "hook": .map([
                        "resource": resource(address), "action": .string(action.rawValue), "reason": .string(reason),
                    ])
                ])
        case .stateSaved(let serial):
            return message("info", "state saved (serial \(serial))", type: "state_saved", ["serial": .int(serial)])
        }
    }

    /// The final `change_summary` of an apply, with each resource's outcome.
    package static func summary(_ summary: ApplySummary, operation: String) -> SpecValue {
        let counts = summary.counts
        let outcomes: [SpecValue] = summary.outcomes.map { entry in
            switch entry.outcome {
            case .done(let action):
                .map([
                    "resource": resource(entry.address), "outcome": .string("done"), "action": .string(action.rawValue),
                ])
            case .failed(let action, let text):
                .map([
                    "resource": resource(entry.address), "outcome": .string("failed"),
                    "action": .string(action.rawValue),
                    "message": .string(text),
                ])
            case .skipped(let action, let reason):
                .map([
                    "resource": resource(entry.address), "outcome": .string("skipped"),
                    "action": .string(action.rawValue),
                    "reason": .string(reason),
                ])
            }
        }
        return message(
            summary.succeeded ? "info" : "error",
            "\(operation.prefix(1).uppercased() + operation.dropFirst()) \(summary.succeeded ? "complete" : "failed")! Resources: \(counts.added) added, "
                + "\(counts.changed) changed, \(counts.destroyed) destroyed.", type: "change_summary",
            [
                "changes": .map([
                    "add": .int(counts.added), "change": .int(counts.changed), "remove": .int(counts.destroyed),
                    "operation": .string(operation),
                ]),
                "outcomes": .list(outcomes),
            ])
    }

    /// A diagnostic message (an error that stopped the command).
    package static func diagnostic(_ text: String) -> SpecValue {
        message(
            "error", text, type: "diagnostic",
            ["diagnostic": .map(["severity": .string("error"), "summary": .string(text)])])
    }

    private static func message(_ level: String, _ text: String, type: String, _ fields: [String: SpecValue])
        -> SpecValue
    {
        .map(
            fields.merging([
                "@level": .string(level), "@message": .string(text), "@module": .string("tailor"),
                "type": .string(type),
            ]) { _, new in new })
    }

    private static func resource(_ address: ResourceAddress) -> SpecValue {
        .map([
            "addr": .string(address.description), "resource_type": .string(address.kind.rawValue),
            "resource_name": .string(address.name),
        ])
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
