/// Where the state lives and how it is locked: a file beside the manifests (``StateStore``) or a row of a
/// PostgreSQL table shared by a team (``PostgresStateStore``). Commands, the planner and the applier see only
/// this protocol.
///
/// Every backend keeps the same contract: ``load()`` of a state never written is ``State/empty``; ``write(_:)``
/// stores the next serial and keeps the previous version; ``withLock(_:timeout:_:)`` refuses a second holder
/// with the first one's ``LockInfo``, and the lock is released when its holder dies.
package protocol StateBackend: Sendable {
    /// Names the state in messages and lock records: the state file's path, or the key and the database URL
    /// (its password masked).
    var location: String { get }

    /// Reads the state; one never written is ``State/empty``.
    ///
    /// - Returns: The state.
    /// - Throws: ``StateError`` when the state is corrupt, newer than this version reads, or unreachable.
    func load() async throws(StateError) -> State

    /// Writes `state` as the next serial (giving it a lineage if it has none), keeping the previous version.
    ///
    /// - Parameter state: The state to write, as loaded and changed: its serial is the one it was read at.
    /// - Returns: The state as written: serial incremented, lineage set.
    /// - Throws: ``StateError`` when the write fails (the previous version is then intact), or, for a backend
    ///   that compares and swaps, ``StateError/conflict(location:expected:found:)`` when someone else wrote
    ///   since `state` was read.
    @discardableResult
    func write(_ state: State) async throws(StateError) -> State

    /// Runs `body` holding the state lock.
    ///
    /// - Parameters:
    ///   - info: What to record as the holder (``LockInfo/current(operation:path:now:)``).
    ///   - timeout: How long to retry while another process holds the lock (zero: fail at once).
    ///   - body: The operation.
    /// - Returns: What `body` returns.
    /// - Throws: ``StateError/locked(file:holder:)`` when another process holds the lock past the timeout;
    ///   whatever `body` throws (the lock is released either way).
    func withLock<T>(_ info: LockInfo, timeout: Duration, _ body: () async throws -> T) async throws -> T

    /// Who holds the lock now: nil when nobody does (or its holder died).
    ///
    /// - Throws: ``StateError`` when the backend cannot be reached.
    func lockHolder() async throws(StateError) -> LockInfo?

    /// Breaks the lock whose ID is `id`, whoever holds it (Terraform's `force-unlock`).
    ///
    /// - Parameter id: The lock's ID, as a refused operation printed it.
    /// - Returns: The broken lock's details, and whether its holder still held it.
    /// - Throws: ``StateError/notLocked(file:)``; ``StateError/lockIDMismatch(file:given:holder:)``.
    @discardableResult
    func forceUnlock(id: String) async throws(StateError) -> (info: LockInfo?, wasHeld: Bool)
}

extension StateBackend {
    /// Runs `body` holding the state lock, failing at once when another process holds it.
    ///
    /// - Parameters:
    ///   - info: What to record as the holder.
    ///   - body: The operation.
    /// - Returns: What `body` returns.
    /// - Throws: ``StateError/locked(file:holder:)``; whatever `body` throws.
    package func withLock<T>(_ info: LockInfo, _ body: () async throws -> T) async throws -> T {
        try await withLock(info, timeout: .zero, body)
    }
}

extension StateStore: StateBackend {
    /// The state file's path.
    package var location: String { path }
}
