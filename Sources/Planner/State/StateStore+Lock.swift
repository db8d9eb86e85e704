import Foundation

/// Locking: every operation that may write state holds the lock for its whole run.
extension StateStore {
    /// The lock file beside the state file.
    package var lockPath: String { path + ".lock" }

    /// Runs `body` holding the state lock.
    ///
    /// - Parameters:
    ///   - info: What to record as the holder (``LockInfo/current(operation:path:now:)``).
    ///   - timeout: How long to retry while another process holds the lock (zero: fail at once).
    ///   - body: The operation.
    /// - Returns: What `body` returns.
    /// - Throws: ``StateError/locked(file:holder:)`` when another process holds the lock past the timeout;
    ///   whatever `body` throws (the lock is released either way).
    package func withLock<T>(
        _ info: LockInfo, timeout: Duration = .zero, _ body: () async throws -> T
    ) async throws -> T {
        let lock = try await acquire(info, timeout: timeout)
        defer { lock.release() }
        return try await body()
    }

    private func acquire(_ info: LockInfo, timeout: Duration) async throws -> StateLock {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let error: StateError
            do {
                return try StateLock.acquire(path: lockPath, info: info)
            } catch let caught {
                error = caught
            }
            guard case .locked(let file, let holder) = error else { throw error }
            guard clock.now < deadline else {
                guard holder == nil else { throw error }
                throw StateError.locked(file: file, holder: await writtenHolder())
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// The holder's details, waiting up to a second for a holder that has just taken the lock to write them.
    private func writtenHolder() async -> LockInfo? {
        for _ in 0..<20 {
            if let holder = StateLock.holder(path: lockPath), let info = holder.info { return info }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Who holds the lock now: nil when nobody does (no lock file, or its holder died).
    package func lockHolder() -> LockInfo? {
        guard let holder = StateLock.holder(path: lockPath), holder.held else { return nil }
        return holder.info
    }

    /// Removes the lock whose ID is `id`, whoever holds it (Terraform's `force-unlock`).
    ///
    /// - Parameter id: The lock's ID, as a refused operation printed it.
    /// - Returns: The removed lock's details, and whether its holder still held it (it may still be running).
    /// - Throws: ``StateError/notLocked(file:)``; ``StateError/lockIDMismatch(file:given:holder:)``.
    @discardableResult
    package func forceUnlock(id: String) throws(StateError) -> (info: LockInfo?, wasHeld: Bool) {
        guard let holder = StateLock.holder(path: lockPath) else { throw .notLocked(file: lockPath) }
        guard holder.info?.id == id else {
            throw .lockIDMismatch(file: lockPath, given: id, holder: holder.info)
        }
        do {
            try FileManager.default.removeItem(atPath: lockPath)
        } catch {
            throw .io(file: lockPath, reason: "cannot remove the lock file: \(error.localizedDescription)")
        }
        return (holder.info, holder.held)
    }
}
