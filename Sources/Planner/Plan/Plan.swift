/// The changes that make the engine match the manifests, and the state they were planned against.
package struct Plan: Sendable, Hashable {
    /// One change per address (no-ops included), in dependency order.
    package var changes: [ResourceChange]
    /// The state serial the plan was made against; apply refuses a plan whose state has moved on.
    package var priorSerial: Int
    /// The state lineage the plan was made against (nil when there was no state yet).
    package var priorLineage: String?
    /// Whether this plan destroys everything (`tailor destroy`).
    package var isDestroy: Bool
    /// How the plan was made (`--target`, `--refresh=false`, `--refresh-only`, ...).
    package var options: PlanOptions
    /// What changed in the engine outside Tailor since the last apply (only when the plan refreshed).
    package var drift: [ResourceChange]
    /// The state with the engine's view merged in: what a refresh-only apply writes.
    package var refreshed: State?
    /// Things the reader should know (`--target` in effect, ...).
    package var warnings: [String]
    /// `sha256:` of every input the plan read, keyed by path relative to the manifests' folder: manifests,
    /// project and values files, import data. A saved plan is stale when any of them changes.
    package var inputs: [String: String]
    /// A digest of every prior state entry, so a stale saved plan can say which entries moved on.
    package var priorDigests: [String: String]
    /// The project's declared outputs, recorded in state after apply.
    package var outputs: [String: OutputTemplate] = [:]
    /// How the outputs change.
    package var outputChanges: [OutputChange] = []
    /// The environment and variables the manifests were loaded with (secrets as a placeholder).
    package var environment: String?
    /// The project's IAM role for jobs that name none (`spec.roleArn`).
    package var roleArn: String?
    /// For a remote engine, the project's `spec.storage.bucket`: apply uploads local import files under it.
    package var uploadPrefix: String?
    /// The manifests' folder: the only place apply downloads job outputs into.
    package var downloadRoot: String?
    package var variables: [String: SpecValue] = [:]

    package init(
        changes: [ResourceChange], priorSerial: Int, priorLineage: String?, isDestroy: Bool = false,
        options: PlanOptions = PlanOptions(), drift: [ResourceChange] = [], refreshed: State? = nil,
        warnings: [String] = [], inputs: [String: String] = [:], priorDigests: [String: String] = [:]
    ) {
        self.changes = changes.sorted { $0.address < $1.address }
        self.priorSerial = priorSerial
        self.priorLineage = priorLineage
        self.isDestroy = isDestroy
        self.options = options
        self.drift = drift.sorted { $0.address < $1.address }
        self.refreshed = refreshed
        self.warnings = warnings
        self.inputs = inputs
        self.priorDigests = priorDigests
    }

    /// Whether this plan only records drift in state (`--refresh-only`, `tailor refresh`).
    package var isRefreshOnly: Bool { options.refreshOnly }

    /// Whether applying the plan would change anything (for a refresh-only plan: the state).
    package var hasChanges: Bool {
        isRefreshOnly
            ? !drift.isEmpty
            : changes.contains { $0.action != .noOp } || outputChanges.contains { $0.actions != ["no-op"] }
    }

    /// The changes other than no-ops.
    package var actionableChanges: [ResourceChange] { changes.filter { $0.action != .noOp } }

    /// The change for `address` (not a deposed object's).
    package subscript(address: ResourceAddress) -> ResourceChange? {
        changes.first { $0.address == address && $0.deposed == nil }
    }

    /// Terraform's counts of the planned changes.
    package var summary: ChangeCounts { ChangeCounts(changes.map(\.action)) }
}

/// How to plan: Terraform's planning options.
package struct PlanOptions: Sendable, Hashable, Codable {
    /// Describe every resource in state first (`--refresh=false` compares with state only).
    package var refresh: Bool
    /// Only record drift in state; propose no actions (`--refresh-only`).
    package var refreshOnly: Bool
    /// Plan only these addresses (patterns) and what they depend on (`--target`).
    package var targets: [String]
    /// Leave these addresses (patterns) and what depends on them out (`--exclude`).
    package var excludes: [String]
    /// Allow destroying these protected addresses (patterns) (`--allow-destroy`).
    package var allowDestroy: [String]

    package init(
        refresh: Bool = true, refreshOnly: Bool = false, targets: [String] = [], excludes: [String] = [],
        allowDestroy: [String] = []
    ) {
        self.refresh = refresh
        self.refreshOnly = refreshOnly
        self.targets = targets
        self.excludes = excludes
        self.allowDestroy = allowDestroy
    }

    /// Whether `--target` or `--exclude` narrows the plan.
    package var isTargeted: Bool { !targets.isEmpty || !excludes.isEmpty }
}
