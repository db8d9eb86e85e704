/// The plan as Terraform's machine-readable plan (`terraform show -json`), so the tools that read those
/// (OPA/conftest policies, PR-comment renderers) read ours: `format_version`, `resource_changes[]` with
/// `address`, `type`, `name`, `change.actions` (`["create"]`, `["update"]`, `["delete","create"]`,
/// `["create","delete"]`, `["delete"]`, `["no-op"]`), `before`, `after`, `after_unknown`,
/// `before_sensitive`, `after_sensitive`, `replace_paths` and `action_reason`, plus `resource_drift`. Tailor's own
/// additions are under `tailor` keys: a change's notes and managed steps, and the plan's `fetches` (the
/// manifests' commands apply would run, so a policy can refuse them).
package enum PlanJSON {
    /// The format's version; the minor number grows with additive changes, the major with breaking ones.
    package static let formatVersion = "1.3"

    /// The plan as pretty JSON.
    package static func string(_ plan: Plan) -> String {
        PrettyJSON.string(value(plan))
    }

    /// The plan as a JSON value.
    package static func value(_ plan: Plan) -> SpecValue {
        .map([
            "format_version": .string(formatVersion),
            "tailor_version": .string(TailorVersion.current),
            "applyable": .bool(plan.hasChanges),
            "complete": .bool(!plan.options.isTargeted),
            "errored": .bool(false),
            "variables": .map(plan.variables.mapValues { .map(["value": $0]) }),
            "resource_changes": .list(plan.changes.map(resourceChange)),
            "resource_drift": .list(plan.drift.map(resourceChange)),
            "output_changes": .map(
                Dictionary(uniqueKeysWithValues: plan.outputChanges.map { ($0.name, outputChange($0)) })),
            "prior_state": .map([
                "serial": .int(plan.priorSerial), "lineage": plan.priorLineage.map(SpecValue.string) ?? .null,
            ]),
            "tailor": .map([
                "mode": .string(plan.isRefreshOnly ? "refresh-only" : plan.isDestroy ? "destroy" : "normal"),
                "warnings": .list(plan.warnings.map(SpecValue.string)),
                "environment": plan.environment.map(SpecValue.string) ?? .null,
                "fetches": .list(plan.pendingFetches.map(fetch)),
            ]),
        ])
    }

    /// Terraform's `actions` for a change.
    package static func actions(_ change: ResourceChange) -> [String] {
        switch change.action {
        case .create: ["create"]
        case .update: ["update"]
        case .replace: change.createBeforeDestroy ? ["create", "delete"] : ["delete", "create"]
        case .delete: ["delete"]
        case .noOp: ["no-op"]
        }
    }

    static func outputChange(_ change: OutputChange) -> SpecValue {
        var after: SpecValue = .null
        if case .known(let value) = change.after { after = Redaction.display(value) }
        return .map([
            "actions": .list(change.actions.map(SpecValue.string)),
            "before": change.before.map { Redaction.display($0.value) } ?? .null,
            "after": after,
            "after_unknown": .bool(change.after == .unknown),
            "before_sensitive": .bool(change.before?.sensitive ?? false),
            "after_sensitive": .bool(change.sensitive),
        ])
    }

    static func resourceChange(_ change: ResourceChange) -> SpecValue {
        let values = Values(change)
        var entry: [String: SpecValue] = [
            "address": .string(change.address.description),
            "mode": .string("managed"),
            "type": .string(change.address.kind.rawValue),
            "name": .string(change.address.name),
            "provider_name": .string("tailor"),
            "change": .map([
                "actions": .list(actions(change).map(SpecValue.string)),
                "before": values.before,
                "after": values.after,
                "after_unknown": .map(values.unknown),
                "before_sensitive": values.beforeSensitive,
                "after_sensitive": values.afterSensitive,
                "replace_paths": .list(
                    change.fields.filter(\.forcesReplacement).map { .list(pathSteps($0.path).map(SpecValue.string)) }),
            ]),
            "tailor": .map([
                "notes": .list(change.notes.map(SpecValue.string)),
                "steps": .list(change.steps.map(step)),
            ]),
        ]
        entry["action_reason"] = change.reason.map { .string($0.rawValue) }
        entry["deposed"] = change.deposed.map(SpecValue.string)
        return .map(entry)
    }

    private static func step(_ step: ManagedStep) -> SpecValue {
        switch step {
        case .importData(let hash): .map(["import": .string(hash)])
        case .fetchThenImport(let command):
            .map(["fetch": .list(command.map(SpecValue.string)), "import": .null, "import_unknown": .bool(true)])
        case .train: .string("train")
        }
    }

    /// A command apply would run: the dataset, the command (argv), its folder, where it is written, and when
    /// it runs.
    private static func fetch(_ fetch: PendingFetch) -> SpecValue {
        .map([
            "address": .string(fetch.address.description),
            "command": .list(fetch.command.map(SpecValue.string)),
            "source": .string(fetch.dataImport.source),
            "location": .string(fetch.location.description),
            "runs": .string("at apply, only with --allow-fetch or the project's spec.allowFetch: true"),
        ])
    }

    /// `hyperParameters.epochs` as path steps.
    static func pathSteps(_ path: String) -> [String] {
        path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// A change's full before and after values, the unknown mask and the sensitivity masks.
    private struct Values {
        var before: SpecValue = .null
        var after: SpecValue = .null
        var unknown: [String: SpecValue] = [:]
        var beforeSensitive: SpecValue = .bool(false)
        var afterSensitive: SpecValue = .bool(false)

        init(_ change: ResourceChange) {
            var before = change.action == .create ? nil : change.prior.map(\.spec)
            var after = change.action == .delete ? nil : change.desired?.fields
            for field in change.fields {
                let steps = PlanJSON.pathSteps(field.path)
                if before != nil, case .known(let value) = field.before { Self.set(&before!, steps, value) }
                guard after != nil else { continue }
                switch field.after {
                case .known(let value): Self.set(&after!, steps, value)
                case .absent: Self.remove(&after!, steps)
                case .unknown:
                    Self.remove(&after!, steps)
                    Self.set(&unknown, steps, .bool(true))
                }
            }
            self.before = before.map { Redaction.display(.map($0)) } ?? .null
            self.after = after.map { Redaction.display(.map($0)) } ?? .null
            self.beforeSensitive = before.map { Redaction.mask(of: .map($0)) } ?? .bool(false)
            self.afterSensitive = after.map { Redaction.mask(of: .map($0)) } ?? .bool(false)
        }

        static func set(_ map: inout [String: SpecValue], _ steps: [String], _ value: SpecValue) {
            guard let first = steps.first else { return }
            guard steps.count > 1 else {
                map[first] = value
                return
            }
            var inner = map[first]?.mapValue ?? [:]
            set(&inner, Array(steps.dropFirst()), value)
            map[first] = .map(inner)
        }

        static func remove(_ map: inout [String: SpecValue], _ steps: [String]) {
            guard let first = steps.first else { return }
            guard steps.count > 1 else {
                map[first] = nil
                return
            }
            guard var inner = map[first]?.mapValue else { return }
            remove(&inner, Array(steps.dropFirst()))
            map[first] = .map(inner)
        }
    }
}
