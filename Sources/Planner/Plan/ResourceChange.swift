/// What apply does to one address.
package enum ChangeAction: String, Codable, Sendable, Hashable {
    /// Create it (and run its managed steps: import, training).
    case create
    /// Change it in place (Update* operations, re-import, retrain, redeploy).
    case update
    /// Delete it, then create it again: an immutable field changed or a dependency is replaced.
    case replace
    /// Delete it: it is in state but no longer in the manifests.
    case delete
    /// Nothing to do.
    case noOp = "no-op"
}

/// Terraform's counts of changes (`2 to add, 1 to change, 0 to destroy`): a replace is one to add and one to
/// destroy.
package struct ChangeCounts: Sendable, Hashable {
    package var add = 0
    package var change = 0
    package var destroy = 0

    /// The counts of `actions`.
    package init(_ actions: some Sequence<ChangeAction>) {
        for action in actions {
            switch action {
            case .create: add += 1
            case .update: change += 1
            case .replace:
                add += 1
                destroy += 1
            case .delete: destroy += 1
            case .noOp: break
            }
        }
    }
}

/// Why an action was chosen, in Terraform's vocabulary (`action_reason`) plus Personalize's own.
package enum ActionReason: String, Codable, Sendable, Hashable {
    /// An immutable field changed.
    case replaceBecauseCannotUpdate = "replace_because_cannot_update"
    /// A resource it references is replaced, and the engine refuses to delete a resource still in use.
    case replaceBecauseDependencyReplaced = "replace_because_dependency_replaced"
    /// The engine reported CREATE FAILED (Terraform's "tainted").
    case replaceBecauseCreateFailed = "replace_because_tainted"
    /// In state, not in the manifests.
    case deleteBecauseNoResourceConfig = "delete_because_no_resource_config"
    /// In state, but the engine no longer has it.
    case createBecauseMissingInEngine = "create_because_missing_in_engine"
    /// A previous apply created it and stopped before it became ACTIVE; apply resumes waiting.
    case createBecauseInterrupted = "create_because_interrupted"
    /// Its data or the data it was trained on changed: re-import, retrain or redeploy.
    case updateBecauseDataChanged = "update_because_data_changed"
    /// Drift: the engine no longer has it (refresh-only plans and `resource_drift`).
    case deleteBecauseMissingInEngine = "delete_because_missing_in_engine"
    /// Drift: the engine reports other values than state records.
    case updateBecauseChangedInEngine = "update_because_changed_in_engine"
    /// A deposed object (the old half of an unfinished create-before-destroy replace) is deleted.
    case deleteBecauseDeposed = "delete_because_deposed"
}

/// A plan value: absent, known, or only known once apply has run (a version not yet trained).
package enum PlanValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case absent
    case known(SpecValue)
    case unknown

    package var description: String {
        switch self {
        case .absent: "(none)"
        case .known(let value): value.description
        case .unknown: "(known after apply)"
        }
    }
}

/// One field that changes, with its dotted path (`hyperParameters.lambda`), before and after.
package struct FieldChange: Hashable, Sendable, Codable {
    /// The dotted path: `minProvisionedTPS`, `hyperParameters.lambda`, `schema.fields.GENRES.type`.
    package var path: String
    /// The value in state (refreshed from the engine when the plan refreshed).
    package var before: PlanValue
    /// The value the manifests ask for.
    package var after: PlanValue
    /// Whether this change alone makes the resource be replaced (Terraform's `replace_paths`).
    package var forcesReplacement: Bool

    package init(path: String, before: PlanValue, after: PlanValue, forcesReplacement: Bool = false) {
        self.path = path
        self.before = before
        self.after = after
        self.forcesReplacement = forcesReplacement
    }
}

/// Work a resource owns beyond its own Create/Update: the managed children of datasets and solutions.
package enum ManagedStep: Hashable, Sendable, Codable {
    /// Import the dataset's file, whose content hash was this when planned.
    case importData(contentHash: String)
    /// Fetch the dataset's missing source with its `import.fetch.command`, then import it (its content hash is
    /// known only once fetched). Plans never run the command; apply runs it, with consent, before changing
    /// anything, and re-plans (``Planner/resolvingFetches(_:manifests:state:allowed:fetcher:onFetch:)``).
    case fetchThenImport(command: [String])
    /// Train a new solution version (FULL) and wait for it.
    case train
}

/// The plan for one address.
package struct ResourceChange: Hashable, Sendable, Codable {
    /// The resource.
    package var address: ResourceAddress
    /// What apply does.
    package var action: ChangeAction
    /// Why, as a machine-readable code (nil for plain creates, updates of set fields and no-ops).
    package var reason: ActionReason?
    /// Why, in words: "content of data/ratings.csv changed", "solution/top-picks is replaced", ...
    package var notes: [String]
    /// The fields that change.
    package var fields: [FieldChange]
    /// The managed steps to run after the resource is created or updated.
    package var steps: [ManagedStep]
    /// What the manifests ask for (nil for deletes).
    package var desired: ManifestResource?
    /// What state holds (nil for creates of new resources).
    package var prior: StateEntry?
    /// The addresses that must be applied before this one (and deleted after it).
    package var dependencies: [ResourceAddress]
    /// For the deletion of a deposed object (the old half of a create-before-destroy replace that a previous
    /// apply did not finish): its ARN.
    package var deposed: String?
    /// Whether a replace creates the new object before deleting the old one (Terraform's
    /// `["create", "delete"]`).
    package var createBeforeDestroy: Bool

    package init(
        address: ResourceAddress, action: ChangeAction, reason: ActionReason? = nil, notes: [String] = [],
        fields: [FieldChange] = [], steps: [ManagedStep] = [], desired: ManifestResource? = nil,
        prior: StateEntry? = nil, dependencies: [ResourceAddress] = [], deposed: String? = nil,
        createBeforeDestroy: Bool = false
    ) {
        self.deposed = deposed
        self.createBeforeDestroy = createBeforeDestroy
        self.address = address
        self.action = action
        self.reason = reason
        self.notes = notes
        self.fields = fields
        self.steps = steps
        self.desired = desired
        self.prior = prior
        self.dependencies = dependencies
    }
}
