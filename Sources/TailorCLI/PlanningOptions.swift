import ArgumentParser
import Planner

/// Terraform's planning options, shared by `plan`, `apply` and `destroy`.
struct PlanningOptions: ParsableArguments {
    @Option(
        name: .customLong("target"),
        help: "Plan only this address (or kind, or glob) and what it needs; repeatable. For exceptional cases.")
    var targets: [String] = []

    @Option(
        name: .customLong("exclude"),
        help: "Leave this address (or kind, or glob) and what depends on it out; repeatable.")
    var excludes: [String] = []

    @Option(
        name: .customLong("refresh"),
        help: "Describe every resource in the engine first (default true); --refresh=false compares with state only.")
    var refreshValue: Bool?

    @Flag(name: .customLong("refresh"), inversion: .prefixedEnableDisable, help: .hidden)
    var refreshFlag: Bool?

    @Flag(name: .customLong("refresh-only"), help: "Only record in state what changed outside Tailor (drift).")
    var refreshOnly = false

    @Option(
        name: .customLong("allow-destroy"),
        help: "Allow the plan to destroy this protected address (dataset groups, lifecycle.preventDestroy); repeatable."
    )
    var allowDestroy: [String] = []

    /// The options as the planner takes them.
    var options: PlanOptions {
        PlanOptions(
            refresh: refreshValue ?? refreshFlag ?? true, refreshOnly: refreshOnly, targets: targets,
            excludes: excludes, allowDestroy: allowDestroy)
    }

    /// Whether any planning option was given (they cannot be combined with a saved plan).
    var isSet: Bool {
        !targets.isEmpty || !excludes.isEmpty || refreshValue != nil || refreshFlag != nil || refreshOnly
            || !allowDestroy.isEmpty
    }
}
