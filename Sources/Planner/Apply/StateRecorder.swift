/// The state during apply: every change is written at once (atomically, serial incremented), so a process
/// killed at any moment leaves a state the next plan can complete.
actor StateRecorder {
    private let store: StateStore
    private let emit: @Sendable (ApplyEvent) -> Void
    /// The state as last written.
    private(set) var state: State

    init(store: StateStore, state: State, emit: @escaping @Sendable (ApplyEvent) -> Void) {
        self.store = store
        self.state = state
        self.emit = emit
    }

    /// The entry at `address`.
    func entry(_ address: ResourceAddress) -> StateEntry? {
        state[address]
    }

    /// Every entry of a kind.
    func entries(of kind: ResourceKind) -> [(address: ResourceAddress, entry: StateEntry)] {
        state.resources.filter { $0.key.kind == kind }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Changes the entry at `address` and writes the state.
    ///
    /// - Parameters:
    ///   - address: The resource.
    ///   - change: Edits the entry (nil when absent; set it to nil to remove the resource).
    /// - Throws: ``StateError`` when the write fails; apply must stop then.
    func update(_ address: ResourceAddress, _ change: (inout StateEntry?) -> Void) throws(StateError) {
        var next = state
        change(&next.resources[address])
        if let entry = next.resources[address] {
            next.resources[address]?.specHash = SpecHash.of(entry.spec)
        }
        state = try store.write(next)
        emit(.stateSaved(serial: state.serial))
    }

    /// Records the outputs (one write, only when they changed).
    func setOutputs(_ outputs: [String: OutputValue]) throws(StateError) {
        guard outputs != state.outputs else { return }
        var next = state
        next.outputs = outputs
        state = try store.write(next)
        emit(.stateSaved(serial: state.serial))
    }

    /// The deposed objects of `address`.
    func deposed(_ address: ResourceAddress) -> [StateEntry] {
        state.deposed[address] ?? []
    }

    /// Moves the entry at `address` to its deposed objects (the first step of a create-before-destroy replace).
    func depose(_ address: ResourceAddress) throws(StateError) {
        guard let entry = state[address] else { return }
        var next = state
        next.resources[address] = nil
        next.deposed[address, default: []].append(entry)
        state = try store.write(next)
        emit(.stateSaved(serial: state.serial))
    }

    /// Forgets a deposed object once the engine has deleted it.
    func removeDeposed(_ address: ResourceAddress, arn: String) throws(StateError) {
        var next = state
        next.deposed[address]?.removeAll { $0.arn == arn }
        if next.deposed[address]?.isEmpty == true { next.deposed[address] = nil }
        guard next != state else { return }
        state = try store.write(next)
        emit(.stateSaved(serial: state.serial))
    }
}
