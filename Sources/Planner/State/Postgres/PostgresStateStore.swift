import Crypto
import Foundation
package import Logging
import PostgresNIO

/// The state in a PostgreSQL database, shared by a team: one row per key in `tailor_state`, the versions it
/// replaced in `tailor_state_history`, and the lock holders' details in `tailor_locks`.
///
/// - Writes compare and swap on the serial: the row changes only if it still has the serial (and lineage) the
///   writer read, so a writer that lost the lock, or ran with `--lock=false`, cannot overwrite another's work;
///   it gets ``StateError/conflict(location:expected:found:)`` instead.
/// - The lock is a session-level advisory lock on a hash of the key, held on a connection of its own for the
///   whole operation (reads and writes inside ``withLock(_:timeout:_:)`` run on it). The server releases it
///   when that connection ends, so a killed holder never blocks the next run. See ``forceUnlock(id:)``.
///
/// The tables are created on first use (in the connection's `search_path`); the body column holds the same
/// versioned JSON as the state file.
package struct PostgresStateStore: StateBackend {
    /// The database.
    package let url: PostgresURL
    /// The state's key, e.g. `movielens/prod`.
    package let key: String
    /// How many replaced versions `tailor_state_history` keeps per key.
    package static let historyLimit = 10

    let logger: Logger
    private let makeLineage: @Sendable () -> String

    /// A store for the state under `key`.
    ///
    /// - Parameters:
    ///   - url: The database.
    ///   - key: The state's key (the project's key, with `/ENV` for an environment).
    ///   - logger: Receives PostgresNIO's connection events.
    ///   - makeLineage: Makes the lineage of a state written for the first time (a random UUID).
    package init(
        url: PostgresURL, key: String, logger: Logger,
        makeLineage: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.url = url
        self.key = key
        self.logger = logger
        self.makeLineage = makeLineage
    }

    package var location: String { "'\(key)' in \(url.masked)" }

    /// Reads the state; a key never written is ``State/empty``.
    package func load() async throws(StateError) -> State {
        try await withConnection { connection in
            let rows = try await connection.query(
                "SELECT serial, lineage, body::text FROM tailor_state WHERE key = \(key)", logger: logger)
            for try await (serial, lineage, body) in rows.decode((Int64, String, String).self) {
                var state = try decode(body)
                state.serial = try checked(serial)
                state.lineage = lineage
                return state
            }
            return .empty
        }
    }

    /// Writes `state` as the next serial if the stored state is still at `state.serial` (and its lineage),
    /// moving the replaced version to `tailor_state_history`; all in one statement.
    package func write(_ state: State) async throws(StateError) -> State {
        if let problem = state.problem() {
            throw .database(location: location, reason: "the state to write is not valid: \(problem)")
        }
        var written = state
        written.serial += 1
        written.lineage = state.lineage ?? makeLineage()
        let body: String
        do {
            body = String(decoding: try StateStore.encode(written), as: UTF8.self)
        } catch {
            throw .database(location: location, reason: "cannot encode the state: \(error)")
        }
        let next = written
        let stored = try await withConnection { connection in
            try await store(body, as: next, replacing: state, on: connection)
        }
        guard stored else {
            throw .conflict(location: location, expected: state.serial, found: try await storedSerial())
        }
        return written
    }

    private func store(
        _ body: String, as written: State, replacing previous: State, on connection: PostgresConnection
    ) async throws -> Bool {
        let serial = Int64(written.serial)
        let lineage = written.lineage ?? ""
        let rows: PostgresRowSequence
        if previous.serial == 0 {
            rows = try await connection.query(
                """
                INSERT INTO tailor_state (key, serial, lineage, body) VALUES (\(key), \(serial), \(lineage), \(body)::jsonb)
                ON CONFLICT (key) DO NOTHING RETURNING serial
                """, logger: logger)
        } else {
            rows = try await connection.query(
                """
                WITH previous AS (
                    SELECT key, serial, lineage, body FROM tailor_state
                    WHERE key = \(key) AND serial = \(Int64(previous.serial)) AND lineage = \(previous.lineage ?? "")
                    FOR UPDATE
                ), updated AS (
                    UPDATE tailor_state AS s
                    SET serial = \(serial), lineage = \(lineage), body = \(body)::jsonb, updated_at = now()
                    FROM previous WHERE s.key = previous.key RETURNING s.serial
                ), kept AS (
                    INSERT INTO tailor_state_history (key, serial, lineage, body)
                    SELECT key, serial, lineage, body FROM previous
                ), trimmed AS (
                    DELETE FROM tailor_state_history WHERE key = \(key) AND id IN (
                        SELECT id FROM tailor_state_history WHERE key = \(key) AND EXISTS (SELECT 1 FROM previous)
                        ORDER BY id DESC OFFSET \(Int64(Self.historyLimit - 1)))
                )
                SELECT serial FROM updated
                """, logger: logger)
        }
        for try await _ in rows { return true }
        return false
    }

    /// The serial stored now, nil when the key has no state.
    private func storedSerial() async throws(StateError) -> Int? {
        try await withConnection { connection in
            let rows = try await connection.query("SELECT serial FROM tailor_state WHERE key = \(key)", logger: logger)
            for try await serial in rows.decode(Int64.self) { return Int(serial) }
            return nil
        }
    }

    /// The versions the current state replaced, newest first (at most ``historyLimit``).
    ///
    /// - Returns: Each version as it was written.
    /// - Throws: ``StateError`` when the database cannot be reached or a version cannot be read.
    package func history() async throws(StateError) -> [State] {
        try await withConnection { connection in
            let rows = try await connection.query(
                "SELECT serial, lineage, body::text FROM tailor_state_history WHERE key = \(key) ORDER BY id DESC",
                logger: logger)
            var versions: [State] = []
            for try await (serial, lineage, body) in rows.decode((Int64, String, String).self) {
                var state = try decode(body)
                state.serial = try checked(serial)
                state.lineage = lineage
                versions.append(state)
            }
            return versions
        }
    }
}

// MARK: - Connections

extension PostgresStateStore {
    /// The lock this task holds (inside ``withLock(_:timeout:_:)``): reads and writes run on its connection.
    final class HeldLock: Sendable {
        let store: String
        let connection: PostgresConnection

        init(store: String, connection: PostgresConnection) {
            self.store = store
            self.connection = connection
        }
    }

    @TaskLocal static var held: HeldLock?

    /// Identifies the database and key, to recognise a lock this task holds.
    var identity: String { "\(url.masked)#\(key)" }

    /// Runs `body` on the connection of the lock this task holds, or on a new connection closed afterwards.
    func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StateError) -> T {
        if let held = Self.held, held.store == identity {
            // PostgresNIO never answers a query sent on a closed connection: check first, and watch while it
            // runs, since the session can end (force-unlock) between the check and the send.
            guard !held.connection.isClosed else { throw lockLost("the connection was closed") }
            let connection = held.connection
            do {
                return try await Self.failingWhenClosed(connection) { try await body(connection) }
            } catch is ConnectionClosedWhileWaiting {
                throw lockLost("the connection was closed while a query waited for its answer")
            } catch {
                throw stateError(error, whileLocked: true)
            }
        }
        let connection = try await connect()
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw stateError(error)
        }
    }

    /// The held connection closed while `failingWhenClosed` waited.
    struct ConnectionClosedWhileWaiting: Error {}

    /// Runs `work`, but throws ``ConnectionClosedWhileWaiting`` as soon as `connection` is closed (checked every
    /// 100 ms), leaving `work` behind: a query sent just as the server ends the session may never be answered,
    /// and the command must fail rather than wait forever.
    static func failingWhenClosed<T: Sendable>(
        _ connection: PostgresConnection, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = FirstOutcome<T>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.set(continuation)
            let worker = Task {
                do {
                    outcome.resume(with: .success(try await work()))
                } catch {
                    outcome.resume(with: .failure(error))
                }
            }
            Task {
                while !outcome.isResolved {
                    if connection.isClosed {
                        outcome.resume(with: .failure(ConnectionClosedWhileWaiting()))
                        worker.cancel()
                        return
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
        }
    }

    /// Opens a connection and creates the tables if they are missing.
    func connect() async throws(StateError) -> PostgresConnection {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try url.configuration()
        } catch {
            throw .database(location: location, reason: error.description)
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: configuration, id: Int.random(in: 1...Int(Int32.max)), logger: logger)
        } catch {
            throw .database(location: location, reason: "cannot connect: \(describe(error))")
        }
        do {
            try await createTables(on: connection)
        } catch {
            try? await connection.close()
            throw .database(location: location, reason: "cannot create the state tables: \(describe(error))")
        }
        return connection
    }

    private static let tables = [
        """
        CREATE TABLE IF NOT EXISTS tailor_state (
            key text PRIMARY KEY, serial bigint NOT NULL, lineage text NOT NULL, body jsonb NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now())
        """,
        """
        CREATE TABLE IF NOT EXISTS tailor_state_history (
            id bigserial PRIMARY KEY, key text NOT NULL, serial bigint NOT NULL, lineage text NOT NULL,
            body jsonb NOT NULL, replaced_at timestamptz NOT NULL DEFAULT now())
        """,
        "CREATE INDEX IF NOT EXISTS tailor_state_history_key ON tailor_state_history (key, id)",
        """
        CREATE TABLE IF NOT EXISTS tailor_locks (
            key text PRIMARY KEY, id text NOT NULL, info jsonb NOT NULL, backend_pid integer NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now())
        """,
    ]

    private func createTables(on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT to_regclass('tailor_state') IS NOT NULL AND to_regclass('tailor_state_history') IS NOT NULL
                AND to_regclass('tailor_locks') IS NOT NULL
            """, logger: logger)
        for try await exists in rows.decode(Bool.self) where exists { return }
        let logger = logger
        // Serialised by a transaction-level advisory lock: concurrent first runs would collide in the catalogue.
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(Self.lockKey("tailor-state-tables")))", logger: logger)
            for statement in Self.tables {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    /// The 64-bit advisory lock key of `name`: the first 8 bytes of its SHA-256.
    static func lockKey(_ name: String) -> Int64 {
        let digest = SHA256.hash(data: Data("tailor:\(name)".utf8))
        return digest.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }

    /// A PostgresNIO error as a ``StateError`` naming this state (never its password).
    func stateError(_ error: any Error, whileLocked: Bool = false) -> StateError {
        if let error = error as? StateError { return error }
        let reason = describe(error)
        if whileLocked, let error = error as? PSQLError,
            error.code == .serverClosedConnection || error.code == .clientClosedConnection
        {
            return lockLost(reason)
        }
        return .database(location: location, reason: reason)
    }

    /// The session holding the lock ended: the server released the lock, so nothing more may be written.
    func lockLost(_ reason: String) -> StateError {
        .database(
            location: location,
            reason: "\(reason): the connection holding the state lock was lost or ended (by `tailor force-unlock`?); "
                + "the lock is no longer held, so nothing more is written")
    }

    /// What went wrong, in words: the server's message, or the connection problem.
    func describe(_ error: any Error) -> String {
        var text: String
        switch error {
        case let error as PSQLError:
            switch error.code {
            case .server:
                let info = error.serverInfo
                text =
                    (info?[.message] ?? "the server refused the query")
                    + (info?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
                    + (info?[.detail].map { "; \($0)" } ?? "") + (info?[.hint].map { "; hint: \($0)" } ?? "")
            case .serverClosedConnection, .clientClosedConnection:
                text = "the connection was closed" + (error.underlying.map { " (\($0))" } ?? "")
            case .connectionError:
                text = error.underlying.map { "\($0)" } ?? "the connection failed"
            default:
                text = "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
            }
        case let error as PostgresDecodingError:
            text = "unexpected \(error.postgresType) in column '\(error.columnName)' (is this Tailor's table?)"
        default:
            text = "\(error)"
        }
        if let password = url.password, !password.isEmpty {
            text = text.replacingOccurrences(of: password, with: "***")
        }
        return text
    }
}

/// The first of several outcomes, delivered once to a continuation.
///
/// `@unchecked Sendable`: every stored property is read and written under `lock`.
private final class FirstOutcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var resolved = false

    var isResolved: Bool { lock.withLock { resolved } }

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    func resume(with result: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
            guard !resolved else { return nil }
            resolved = true
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(with: result)
    }
}
