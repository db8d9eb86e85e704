/// The state during apply: every change is written at once (atomically, serial incremented), so a process
/// killed at any moment leaves a state the next plan can complete.
///
/// Writes are asynchronous (a database backend awaits the server), and the actor is reentrant: each change
/// waits for the write before it, so every change starts from the state as last written and the serials
/// follow one another.
actor StateRecorder {
    private let store: any StateBackend
    private let emit: @Sendable (ApplyEvent) -> Void
    /// The state as last written.
    private(set) var state: State
    /// Whether a write is in flight; the changes waiting for it.
    private var writing = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(store: any StateBackend, state: State, emit: @escaping @Sendable (ApplyEvent) -> Void) {
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
    func update(_ address: ResourceAddress, _ change: (inout StateEntry?) -> Void) async throws(StateError) {
        try await write { next in
            change(&next.resources[address])
            if let entry = next.resources[address] {
                next.resources[address]?.specHash = SpecHash.of(entry.spec)
            }
        }
    }

    /// Records the outputs (one write, only when they changed).
    func setOutputs(_ outputs: [String: OutputValue]) async throws(StateError) {
        try await write(unlessUnchanged: true) { $0.outputs = outputs }
    }

    /// The deposed objects of `address`.
    func deposed(_ address: ResourceAddress) -> [StateEntry] {
        state.deposed[address] ?? []
    }

    /// Moves the entry at `address` to its deposed objects (the first step of a create-before-destroy replace).
    func depose(_ address: ResourceAddress) async throws(StateError) {
        try await write(unlessUnchanged: true) { next in
            guard let entry = next[address] else { return }
            next.resources[address] = nil
            next.deposed[address, default: []].append(entry)
        }
    }

    /// Forgets a deposed object once the engine has deleted it.
    func removeDeposed(_ address: ResourceAddress, arn: String) async throws(StateError) {
        try await write(unlessUnchanged: true) { next in
            next.deposed[address]?.removeAll { $0.arn == arn }
            if next.deposed[address]?.isEmpty == true { next.deposed[address] = nil }
        }
    }

    /// Applies `change` to the state as last written and writes the result, after the write in flight.
    private func write(unlessUnchanged: Bool = false, _ change: (inout State) -> Void) async throws(StateError) {
        while writing { await withCheckedContinuation { waiting.append($0) } }
        writing = true
        defer {
            writing = false
            if !waiting.isEmpty { waiting.removeFirst().resume() }
        }
        var next = state
        change(&next)
        guard !unlessUnchanged || next != state else { return }
        state = try await store.write(next)
        emit(.stateSaved(serial: state.serial))
    }
}
