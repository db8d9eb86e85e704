import Foundation
import Testing

@testable import Planner

@Suite struct StateLockTests {
    private func info(_ operation: String, _ store: StateStore) -> LockInfo {
        LockInfo.current(operation: operation, path: store.path, now: Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func aSecondOperationIsRefusedWithTheHoldersDetails() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))
        let holder = info("apply", store)

        let error = try await store.withLock(holder) {
            #expect(store.lockHolder() == holder)
            return await #expect(throws: StateError.self) {
                try await store.withLock(info("plan", store)) {}
            }
        }

        guard case .locked(let file, let reported)? = error else {
            Issue.record("expected a lock error, got \(String(describing: error))")
            return
        }
        #expect(file == store.lockPath)
        #expect(reported == holder)
        let message = try #require(error?.description)
        #expect(message.contains("Operation: apply"))
        #expect(message.contains("ID:        \(holder.id)"))
        #expect(message.contains("(pid \(ProcessInfo.processInfo.processIdentifier))"))
        #expect(message.contains("tailor force-unlock \(holder.id)"))
        #expect(!directory.exists(".tailor/state.json.lock"), "released on the way out")
        #expect(store.lockHolder() == nil)
    }

    @Test func theLockIsReleasedWhenTheOperationThrows() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))
        struct Boom: Error {}

        await #expect(throws: Boom.self) { try await store.withLock(info("apply", store)) { throw Boom() } }

        try await store.withLock(info("apply", store)) {}
    }

    @Test func aLockFileLeftByADeadProcessDoesNotBlock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))
        var dead = info("apply", store)
        dead.pid = 999_999
        try directory.write(".tailor/state.json.lock", String(decoding: dead.encoded(), as: UTF8.self))

        #expect(store.lockHolder() == nil)
        let ran = try await store.withLock(info("apply", store)) { true }

        #expect(ran)
    }

    @Test func aLockTimeoutWaitsForTheHolder() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))
        let lock = try StateLock.acquire(path: store.lockPath, info: info("apply", store))
        // The holder lets go from a plain thread: under a loaded test run the cooperative pool can be busy for
        // seconds, and that must not decide whether the waiter sees the release.
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) { lock.release() }

        try await store.withLock(info("plan", store), timeout: .seconds(120)) {}
    }

    @Test func forceUnlockNeedsTheLocksID() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))
        #expect(throws: StateError.notLocked(file: store.lockPath)) { try store.forceUnlock(id: "x") }
        let holder = info("apply", store)
        let lock = try StateLock.acquire(path: store.lockPath, info: holder)
        defer { lock.release() }

        let wrong = #expect(throws: StateError.self) { try store.forceUnlock(id: "not-it") }
        #expect(wrong == .lockIDMismatch(file: store.lockPath, given: "not-it", holder: holder))
        let removed = try store.forceUnlock(id: holder.id)

        #expect(removed.info == holder)
        #expect(removed.wasHeld)
        #expect(!directory.exists(".tailor/state.json.lock"))
        let next = try StateLock.acquire(path: store.lockPath, info: info("apply", store))
        next.release()
    }
}
