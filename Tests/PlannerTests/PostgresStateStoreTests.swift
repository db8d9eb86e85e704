import Foundation
import Logging
import PostgresNIO
import TailorTestSupport
import Testing

@testable import Planner

/// The PostgreSQL backend against a real server (`TAILOR_TEST_POSTGRES_URL`, started by `scripts/test`).
@Suite(
    .enabled(
        if: TestPostgres.isAvailable,
        "TAILOR_TEST_POSTGRES_URL is not set: run scripts/test or scripts/with-postgres, which start PostgreSQL"))
struct PostgresStateStoreTests {
    private let logger = Logger(label: "tailor.test.postgres")

    private func store(_ key: String = TestPostgres.uniqueKey("store")) throws -> PostgresStateStore {
        PostgresStateStore(url: try PostgresURL(TestPostgres.url ?? ""), key: key, logger: logger)
    }

    private func info(_ operation: String, _ store: PostgresStateStore) -> LockInfo {
        LockInfo.current(operation: operation, path: store.location, now: Date(timeIntervalSince1970: 1_700_000_000))
    }

    private func entry(_ arn: String) -> StateEntry {
        StateEntry(arn: arn, status: .ready, spec: ["recipe": .string("aws-popularity-count")])
    }

    /// Runs `sql` on a connection of its own.
    private func execute(_ sql: PostgresQuery) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try PostgresURL(TestPostgres.url ?? "").configuration(), id: 1, logger: logger)
        do {
            try await connection.query(sql, logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    @Test(.timeLimit(.minutes(1))) func aQueryThatWouldNeverBeAnsweredFailsWhenItsConnectionCloses() async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try PostgresURL(TestPostgres.url ?? "").configuration(), id: 2, logger: logger)
        // Stands for a query PostgresNIO never answers (sent as the session ended): it waits for an hour.
        let waiting = Task {
            try await PostgresStateStore.failingWhenClosed(connection) {
                try await Task.sleep(for: .seconds(3600))
                return 1
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        try await connection.close()
        // It fails when the connection closes, not after the hour (the time limit fails the test otherwise).
        await #expect(throws: PostgresStateStore.ConnectionClosedWhileWaiting.self) { try await waiting.value }
        // An answered query goes through.
        let open = try await PostgresConnection.connect(
            configuration: try PostgresURL(TestPostgres.url ?? "").configuration(), id: 3, logger: logger)
        let value = try await PostgresStateStore.failingWhenClosed(open) {
            var result = 0
            for try await (number, ) in try await open.query("SELECT 41 + 1", logger: logger).decode((Int,).self) {
                result = number
            }
            return result
        }
        #expect(value == 42)
        try await open.close()
    }

    @Test func pushRefusesAnotherLineageOrANewerSerialUnlessForced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = StateStore(url: directory.url.appendingPathComponent("state.json"))
        var state = State.empty
        state[ResourceAddress(.solution, "a")] = entry("arn:a")
        let first = try file.write(state)
        state = first
        state[ResourceAddress(.campaign, "b")] = entry("arn:b")
        let second = try file.write(state)

        let database = try store()
        let pushed = try await StateTransfer.push(second, into: database, force: false)
        #expect(pushed.serial == 1 && pushed.lineage == second.lineage)
        #expect(try await database.load().resources == second.resources)
        // The same lineage at an older serial than the database's is refused; a newer one goes in.
        var newer = try await database.load()
        newer[ResourceAddress(.filter, "c")] = entry("arn:c")
        _ = try await database.write(newer)
        do {
            try await StateTransfer.push(first, into: database, force: false)
            Issue.record("an older serial was pushed")
        } catch {
            #expect(error.description.contains("it is at serial 2, newer than the pushed serial 1"))
        }
        #expect(try await database.load().resources.count == 3, "a refused push writes nothing")
        #expect(try await StateTransfer.push(second, into: database, force: false).serial == 3)
        // Another lineage is refused; forced, its content goes in under the database's lineage.
        var stranger = State.empty
        stranger.lineage = "stranger"
        stranger.serial = 40
        do {
            try await StateTransfer.push(stranger, into: database, force: false)
            Issue.record("another lineage was pushed")
        } catch {
            #expect(
                error.description.contains(
                    "it holds another state (lineage \(second.lineage ?? ""), the pushed one stranger)"))
        }
        let forced = try await StateTransfer.push(stranger, into: database, force: true)
        #expect(forced.lineage == second.lineage && forced.serial == 4 && forced.resources.isEmpty)
        #expect(try await database.history().first?.serial == 3, "the replaced state is kept in the history")
    }

    @Test func writesCompareAndSwapTheSerialAndKeepReplacedVersions() async throws {
        let store = try store()
        #expect(try await store.load() == .empty)

        var state = State.empty
        state[ResourceAddress(.solution, "a")] = entry("arn:a")
        let first = try await store.write(state)
        var next = first
        next[ResourceAddress(.campaign, "b")] = entry("arn:b")
        let second = try await store.write(next)

        #expect(first.serial == 1)
        #expect(second.serial == 2)
        #expect(second.lineage == first.lineage && first.lineage != nil)
        #expect(try await store.load() == second)
        #expect(try await store.history() == [first])
        #expect(try await self.store().load() == .empty, "another key is another state")
    }

    @Test func historyKeepsTheLastVersionsOnly() async throws {
        let store = try store()
        var state = State.empty
        for index in 1...(PostgresStateStore.historyLimit + 3) {
            state[ResourceAddress(.solution, "s\(index)")] = entry("arn:\(index)")
            state = try await store.write(state)
        }
        let history = try await store.history()
        #expect(history.map(\.serial) == Array((3...(PostgresStateStore.historyLimit + 2)).reversed()))
    }

    @Test func aWriteFromAStaleReadIsAConflictNamingTheSerial() async throws {
        let key = TestPostgres.uniqueKey("cas")
        let one = try store(key)
        let other = try store(key)
        let base = try await one.write(.empty)
        let read = try await other.load()

        var change = base
        change[ResourceAddress(.solution, "a")] = entry("arn:a")
        _ = try await one.write(change)
        var late = read
        late[ResourceAddress(.solution, "b")] = entry("arn:b")
        let error = await #expect(throws: StateError.self) { try await other.write(late) }

        #expect(error == .conflict(location: other.location, expected: 1, found: 2))
        #expect(error?.description.contains("someone else wrote serial 2 since this operation read serial 1") == true)
        #expect(try await one.load()[ResourceAddress(.solution, "b")] == nil, "nothing was written")
        let creation = await #expect(throws: StateError.self) { try await other.write(.empty) }
        #expect(creation == .conflict(location: other.location, expected: 0, found: 2), "a second first write")
    }

    @Test func aSecondLockIsRefusedWithTheHoldersDetails() async throws {
        let key = TestPostgres.uniqueKey("lock")
        let store = try store(key)
        let other = try self.store(key)
        let holder = info("apply", store)

        let (seen, error) = try await store.withLock(holder) {
            let seen = try await other.lockHolder()
            let error = await #expect(throws: StateError.self) { try await other.withLock(info("plan", other)) {} }
            return (seen, error)
        }

        guard case .locked(let location, let reported)? = error else {
            Issue.record("expected a lock error, got \(String(describing: error))")
            return
        }
        #expect(seen == holder)
        #expect(location == store.location)
        #expect(reported == holder)
        let message = try #require(error?.description)
        #expect(message.contains("Operation: apply"))
        #expect(message.contains("tailor force-unlock \(holder.id)"))
        #expect(!message.contains(TestPostgres.password ?? "no password"))
        #expect(try await other.lockHolder() == nil, "released on the way out")
        #expect(try await other.withLock(info("plan", other)) { true })
    }

    @Test func aLockTimeoutWaitsForTheHolder() async throws {
        let key = TestPostgres.uniqueKey("wait")
        let store = try store(key)
        let (entered, enter) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await store.withLock(info("apply", store)) {
                enter.yield()
                try await Task.sleep(for: .milliseconds(600))
            }
        }
        for await _ in entered { break }
        let other = try self.store(key)
        let clock = ContinuousClock()
        let start = clock.now

        try await other.withLock(info("plan", other), timeout: .seconds(120)) {}

        #expect(clock.now - start >= .milliseconds(300))
        try await holder.value
    }

    @Test func readsAndWritesInsideTheLockRunOnItsConnectionAndStopWhenItIsLost() async throws {
        let key = TestPostgres.uniqueKey("lost")
        let store = try store(key)
        let written = try await store.withLock(info("apply", store)) {
            let state = try await store.write(.empty)
            // The holder's session dies (a network failure, or the server restarting it).
            try await execute(
                "SELECT pg_terminate_backend(backend_pid, 5000) FROM tailor_locks WHERE key = \(key)")
            let error = await #expect(throws: StateError.self) { try await store.write(state) }
            #expect(error?.description.contains("the connection holding the state lock was lost") == true)
            return state
        }

        #expect(written.serial == 1)
        let other = try self.store(key)
        #expect(try await other.lockHolder() == nil, "the server released the lock with the session")
        #expect(try await other.withLock(info("plan", other)) { try await other.load().serial } == 1)
    }

    @Test func forceUnlockEndsTheHoldersSessionAndItsWrites() async throws {
        let key = TestPostgres.uniqueKey("force")
        let store = try store(key)
        let other = try self.store(key)
        let notLocked = await #expect(throws: StateError.self) { try await other.forceUnlock(id: "x") }
        #expect(notLocked?.description.contains("the state is not locked") == true)

        let holder = info("apply", store)
        let (entered, enter) = AsyncStream<Void>.makeStream()
        let (released, release) = AsyncStream<Void>.makeStream()
        let task = Task {
            try await store.withLock(holder) {
                enter.yield()
                for await _ in released { break }
                return try await store.write(.empty)
            }
        }
        for await _ in entered { break }

        let wrong = await #expect(throws: StateError.self) { try await other.forceUnlock(id: "not-it") }
        #expect(wrong == .lockIDMismatch(file: other.location, given: "not-it", holder: holder))
        let broken = try await other.forceUnlock(id: holder.id)
        #expect(broken.info == holder)
        #expect(broken.wasHeld)
        #expect(try await other.withLock(info("plan", other)) { true }, "the lock is free")

        release.yield()
        let result = await task.result
        #expect(throws: StateError.self) { try result.get() }
        #expect(try await other.load() == .empty, "the broken holder wrote nothing")
    }

    @Test func applyAndPlanRoundTripThroughTheDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Fixtures.writeMovielens(to: directory)
        let engine = FakePersonalize()
        let store = try store()
        let manifests = try ManifestLoader.load(directory: directory.url)

        let summary = try await store.withLock(info("apply", store)) {
            let plan = try await Planner(service: engine).plan(manifests, state: try await store.load())
            return try await Applier(service: engine, store: store, pollInterval: .zero, parallelism: 4).apply(plan)
        }

        #expect(summary.succeeded)
        #expect(summary.counts == (added: 5, changed: 0, destroyed: 0))
        let state = try await store.load()
        #expect(state.serial == summary.serial)
        #expect(state.addresses.count == 5)
        #expect(state.resources.values.allSatisfy { $0.status == .ready })
        #expect(try await store.history().first?.serial == state.serial - 1)
        let again = try await Planner(service: engine).plan(manifests, state: state)
        #expect(!again.hasChanges)
    }

    @Test func aCorruptOrNewerStoredStateIsAClearError() async throws {
        let key = TestPostgres.uniqueKey("corrupt")
        let store = try store(key)
        _ = try await store.write(.empty)

        try await execute("UPDATE tailor_state SET body = '{\"version\": 2, \"serial\": \"x\"}' WHERE key = \(key)")
        let corrupt = await #expect(throws: StateError.self) { try await store.load() }
        #expect(corrupt?.description.contains("the stored state is corrupt") == true)
        #expect(corrupt?.description.contains("tailor_state_history") == true)

        try await execute("UPDATE tailor_state SET body = '{\"version\": 99}' WHERE key = \(key)")
        let newer = await #expect(throws: StateError.self) { try await store.load() }
        #expect(newer?.description.contains("has version 99") == true)
        #expect(newer?.description.contains("upgrade Tailor") == true)
    }

    @Test func connectionErrorsSayWhatFailedAndNeverShowThePassword() async throws {
        var url = try PostgresURL(TestPostgres.url ?? "")
        url.password = "not-the-password-\(UUID().uuidString.prefix(6))"
        let wrong = PostgresStateStore(url: url, key: "k", logger: logger)
        let refused = await #expect(throws: StateError.self) { try await wrong.load() }
        let message = try #require(refused?.description)
        #expect(message.contains("password authentication failed"), "\(message)")
        #expect(!message.contains(url.password ?? ""))
        #expect(!message.contains(TestPostgres.password ?? "no password"))
        #expect(message.contains(":***@"))

        let closed = PostgresStateStore(
            url: try PostgresURL("postgres://tailor:secret@127.0.0.1:1/db?connect_timeout=2"), key: "k", logger: logger)
        let unreachable = await #expect(throws: StateError.self) { try await closed.load() }
        #expect(unreachable?.description.contains("cannot connect") == true, "\(String(describing: unreachable))")
        #expect(unreachable?.description.contains("secret") == false)
    }
}
