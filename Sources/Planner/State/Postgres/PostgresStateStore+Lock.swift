import Foundation
import PostgresNIO

/// Locking: a session-level advisory lock on a hash of the key, on a connection held for the whole operation;
/// the holder's ``LockInfo`` in `tailor_locks`, with the backend process of its session.
extension PostgresStateStore {
    /// The state's advisory lock key.
    var advisoryKey: Int64 { Self.lockKey("state:\(key)") }

    /// Runs `body` holding the lock; reads and writes inside it run on the lock's connection, so they stop when
    /// the lock is lost.
    package func withLock<T>(_ info: LockInfo, timeout: Duration, _ body: () async throws -> T) async throws -> T {
        let connection = try await connect()
        do {
            try await acquire(info, on: connection, timeout: timeout)
        } catch {
            try? await connection.close()
            throw stateError(error)
        }
        let result: Result<T, any Error>
        do {
            result = .success(
                try await Self.$held.withValue(HeldLock(store: identity, connection: connection)) { try await body() })
        } catch {
            result = .failure(error)
        }
        // Closing the session releases the advisory lock even when these fail. A closed connection (the lock
        // was lost) is left alone: PostgresNIO would never answer a query on it.
        if !connection.isClosed {
            _ = try? await connection.query(
                "DELETE FROM tailor_locks WHERE key = \(key) AND id = \(info.id) AND backend_pid = pg_backend_pid()",
                logger: logger)
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(advisoryKey))", logger: logger)
        }
        try? await connection.close()
        return try result.get()
    }

    private func acquire(_ info: LockInfo, on connection: PostgresConnection, timeout: Duration) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(advisoryKey))", logger: logger)
            var locked = false
            for try await value in rows.decode(Bool.self) { locked = value }
            if locked { break }
            guard clock.now < deadline else {
                throw StateError.locked(file: location, holder: try await recordedHolder(on: connection))
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let details = String(decoding: info.encoded(), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO tailor_locks (key, id, info, backend_pid) VALUES (\(key), \(info.id), \(details)::jsonb, pg_backend_pid())
            ON CONFLICT (key) DO UPDATE SET id = EXCLUDED.id, info = EXCLUDED.info, backend_pid = EXCLUDED.backend_pid,
                created_at = now()
            """, logger: logger)
    }

    /// The holder of a lock this session was refused, waiting up to a second for a holder that has just taken
    /// the advisory lock to record its details.
    private func recordedHolder(on connection: PostgresConnection) async throws -> LockInfo? {
        for _ in 0..<20 {
            let record = try await lockRecord(on: connection)
            if record.isHeldAsRecorded { return record.info }
            if record.holderPID == nil { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Who holds the lock: the recorded holder, if its session holds the advisory lock now.
    package func lockHolder() async throws(StateError) -> LockInfo? {
        try await withConnection { connection in
            let record = try await lockRecord(on: connection)
            return record.isHeldAsRecorded ? record.info : nil
        }
    }

    /// Breaks the lock whose ID is `id`.
    ///
    /// A session's advisory lock cannot be released by another session, so when the recorded holder still
    /// holds it, its database session is ended (`pg_terminate_backend`): the server then releases the lock,
    /// and the holder, whose reads and writes run on that session, fails at its next state write instead of
    /// writing after someone else took the lock. That needs the holder's role, or membership of
    /// `pg_signal_backend`. A record whose holder is gone (its session ended) is just deleted.
    ///
    /// - Parameter id: The lock's ID, as a refused operation printed it.
    /// - Returns: The broken lock's details, and whether its holder's session still held it (and was ended).
    /// - Throws: ``StateError/notLocked(file:)`` when there is no lock record;
    ///   ``StateError/lockIDMismatch(file:given:holder:)``; ``StateError/database(location:reason:)`` when
    ///   the holder's session cannot be ended.
    package func forceUnlock(id: String) async throws(StateError) -> (info: LockInfo?, wasHeld: Bool) {
        try await withConnection { connection in
            let record = try await lockRecord(on: connection)
            guard let recorded = record.id else {
                guard record.holderPID == nil else {
                    throw StateError.lockIDMismatch(file: location, given: id, holder: nil)
                }
                throw StateError.notLocked(file: "lock on \(location)")
            }
            guard recorded == id else {
                throw StateError.lockIDMismatch(file: location, given: id, holder: record.info)
            }
            let held = record.isHeldAsRecorded
            if held, let pid = record.recordedPID { try await terminate(pid, on: connection) }
            try await connection.query("DELETE FROM tailor_locks WHERE key = \(key) AND id = \(id)", logger: logger)
            return (record.info, held)
        }
    }

    private func terminate(_ pid: Int32, on connection: PostgresConnection) async throws {
        do {
            // Waits up to 5 s for the session to end (PostgreSQL 14 and later).
            try await connection.query("SELECT pg_terminate_backend(\(pid), 5000)", logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
            throw StateError.database(
                location: location,
                reason: "cannot end the lock holder's database session (backend pid \(pid)): \(describe(error)); "
                    + "connect as the holder's role or a member of pg_signal_backend, or ask an administrator to "
                    + "run SELECT pg_terminate_backend(\(pid))")
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(5))
        while try await lockRecord(on: connection).holderPID == pid {
            guard clock.now < deadline else {
                throw StateError.database(
                    location: location, reason: "the lock holder's session (backend pid \(pid)) did not end in 5 s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The lock as the server sees it: the backend process holding the advisory lock, and the recorded holder.
    struct LockRecord {
        /// The backend process holding the advisory lock now, if any.
        var holderPID: Int32?
        var id: String?
        var info: LockInfo?
        /// The backend process the recorded holder took the lock from.
        var recordedPID: Int32?

        /// Whether the recorded holder is the one holding the lock (not a record left by a dead session).
        var isHeldAsRecorded: Bool { holderPID != nil && holderPID == recordedPID }
    }

    func lockRecord(on connection: PostgresConnection) async throws -> LockRecord {
        let bits = UInt64(bitPattern: advisoryKey)
        let rows = try await connection.query(
            """
            SELECT (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
                        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        AND classid::bigint = \(Int64(bits >> 32)) AND objid::bigint = \(Int64(bits & 0xffff_ffff))
                        LIMIT 1),
                   l.id, l.info::text, l.backend_pid
            FROM (SELECT 1) AS one LEFT JOIN tailor_locks AS l ON l.key = \(key)
            """, logger: logger)
        for try await (holder, id, info, pid) in rows.decode((Int32?, String?, String?, Int32?).self) {
            return LockRecord(
                holderPID: holder, id: id, info: info.flatMap { LockInfo.decode(Data($0.utf8)) }, recordedPID: pid)
        }
        return LockRecord()
    }
}
