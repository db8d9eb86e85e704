import Foundation
import TailorTestSupport
import Testing

@testable import Planner

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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

/// A lock taken by another process that has not written its details yet: the moment between its `flock` and
/// its write, which simultaneous applies hit.
@Suite struct LockHolderDetailsTests {
    /// Takes the `flock` of `path` the way a holder does, without writing anything; closing releases it.
    private func lockWithoutDetails(_ path: String) throws -> Int32 {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        try #require(descriptor >= 0)
        try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        return descriptor
    }

    /// Runs `body` with the state store of a fresh folder and the descriptor of ``lockWithoutDetails(_:)``, which
    /// holds the store's lock; closes it and removes the folder afterwards.
    private func withLockHeldWithoutDetails(_ body: (StateStore, Int32) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))
        let descriptor = try lockWithoutDetails(store.lockPath)
        defer { close(descriptor) }
        try await body(store, descriptor)
    }

    @Test func aRefusalWaitsForTheHoldersDetailsAndNamesTheRealLockID() async throws {
        try await withLockHeldWithoutDetails { store, descriptor in
            let holder = LockInfo.current(operation: "apply", path: store.path, now: Date())
            let writer = Task {
                try await Task.sleep(for: .milliseconds(200))
                let data = holder.encoded()
                _ = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
            }

            let error = await #expect(throws: StateError.self) {
                try await store.withLock(LockInfo.current(operation: "apply", path: store.path, now: Date())) {}
            }
            try await writer.value

            let message = try #require(error?.description)
            #expect(message.contains("run `tailor force-unlock \(holder.id)`"), "\(message)")
            #expect(!message.contains("force-unlock ID"))
        }
    }

    @Test func whenTheDetailsStayUnreadableTheRefusalSaysWhereTheIDIs() async throws {
        try await withLockHeldWithoutDetails { store, _ in
            let error = await #expect(throws: StateError.self) {
                try await store.withLock(LockInfo.current(operation: "apply", path: store.path, now: Date())) {}
            }

            let message = try #require(error?.description)
            #expect(!message.contains("force-unlock ID"), "a literal ID is no lock's ID: \(message)")
            #expect(message.contains("(it is recorded in \(store.lockPath))"), "\(message)")
            #expect(message.contains("run the command again to see who holds the lock and its ID"))
        }
    }
}
