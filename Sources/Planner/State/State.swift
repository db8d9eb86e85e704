/// What Tailor knows it manages: one entry per address, with a serial bumped on every write and a lineage
/// fixed when the state is first written.
package struct State: Sendable, Hashable {
    /// The newest state format this version reads and the one it writes.
    package static let currentVersion = 2

    /// Incremented on every write; plans record it to detect that the state moved on.
    package var serial: Int
    /// A UUID set when the state is first written; nil for a state never written.
    package var lineage: String?
    /// The managed resources.
    package var resources: [ResourceAddress: StateEntry]
    /// The project's declared outputs as of the last apply.
    package var outputs: [String: OutputValue]
    /// Objects replaced create-before-destroy whose deletion has not finished yet (Terraform's "deposed"):
    /// the next apply deletes them.
    package var deposed: [ResourceAddress: [StateEntry]]

    package init(
        serial: Int = 0, lineage: String? = nil, resources: [ResourceAddress: StateEntry] = [:],
        outputs: [String: OutputValue] = [:], deposed: [ResourceAddress: [StateEntry]] = [:]
    ) {
        self.serial = serial
        self.lineage = lineage
        self.resources = resources
        self.outputs = outputs
        self.deposed = deposed
    }

    /// A state with nothing in it, never written.
    package static let empty = State()

    /// The entry at `address`.
    package subscript(address: ResourceAddress) -> StateEntry? {
        get { resources[address] }
        set { resources[address] = newValue }
    }

    /// The managed addresses in dependency order.
    package var addresses: [ResourceAddress] { resources.keys.sorted() }
}

/// One managed resource: its engine ARN, the spec it was last applied with, and what apply learnt.
package struct StateEntry: Codable, Sendable, Hashable {
    /// How far apply got with the resource.
    package enum Status: String, Codable, Sendable, Hashable {
        /// Created in the engine; not yet seen ACTIVE (apply was interrupted or is waiting).
        case creating
        /// ACTIVE, with ``StateEntry/spec`` applied.
        case ready
        /// The engine reported CREATE FAILED; the next plan replaces it.
        case failed
    }

    /// The resource's ARN in the engine.
    package var arn: String
    /// How far apply got.
    package var status: Status
    /// `sha256:` of the canonical JSON of ``spec``.
    package var specHash: String
    /// The normalised fields the manifest set when last applied.
    package var spec: [String: SpecValue]
    /// What apply recorded: the import's content hash and job ARN, the trained version, the deployed version.
    package var attributes: [String: SpecValue]
    /// The addresses its manifest referenced when last applied: it is deleted before them, and they are
    /// deleted only once it no longer uses them.
    package var dependencies: [ResourceAddress]
    /// Why the engine failed it, when ``status`` is `failed`.
    package var failureReason: String?
    /// The resource's name in the engine when it differs from the address's (a create-before-destroy
    /// replacement gets a new name, since names are unique in the engine).
    package var engineName: String?
    /// `lifecycle.preventDestroy` as the manifest last set it (nil: the kind's default), kept so the
    /// protection holds even after the document is removed.
    package var preventDestroy: Bool?

    package init(
        arn: String, status: Status, spec: [String: SpecValue], attributes: [String: SpecValue] = [:],
        dependencies: [ResourceAddress] = [], failureReason: String? = nil, engineName: String? = nil,
        preventDestroy: Bool? = nil
    ) {
        self.arn = arn
        self.status = status
        self.specHash = SpecHash.of(spec)
        self.spec = spec
        self.attributes = attributes
        self.dependencies = dependencies
        self.failureReason = failureReason
        self.engineName = engineName
        self.preventDestroy = preventDestroy
    }
}

/// A declared output's value as the last apply computed it.
package struct OutputValue: Codable, Sendable, Hashable {
    /// The value; for a sensitive output, a digest instead of the clear value.
    package var value: SpecValue
    /// Whether the value came from a secret (`${env.X}` or a sensitive variable): it is never stored or shown
    /// in clear.
    package var sensitive: Bool

    package init(value: SpecValue, sensitive: Bool = false) {
        self.value = value
        self.sensitive = sensitive
    }
}
