/// What Tailor knows it manages: one entry per address, with a serial bumped on every write and a lineage
/// fixed when the state is first written.
package struct State: Sendable, Hashable {
    /// The newest state format this version reads and the one it writes.
    package static let currentVersion = 1

    /// Incremented on every write; plans record it to detect that the state moved on.
    package var serial: Int
    /// A UUID set when the state is first written; nil for a state never written.
    package var lineage: String?
    /// The managed resources.
    package var resources: [ResourceAddress: StateEntry]

    package init(serial: Int = 0, lineage: String? = nil, resources: [ResourceAddress: StateEntry] = [:]) {
        self.serial = serial
        self.lineage = lineage
        self.resources = resources
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

    package init(
        arn: String, status: Status, spec: [String: SpecValue], attributes: [String: SpecValue] = [:],
        dependencies: [ResourceAddress] = [], failureReason: String? = nil
    ) {
        self.arn = arn
        self.status = status
        self.specHash = SpecHash.of(spec)
        self.spec = spec
        self.attributes = attributes
        self.dependencies = dependencies
        self.failureReason = failureReason
    }
}
