import EngineAPI
import Foundation
import TailorTestSupport

@testable import Planner

/// Collects apply events from any thread.
final class EventLog: @unchecked Sendable {  // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var storage: [ApplyEvent] = []

    func append(_ event: ApplyEvent) {
        lock.lock()
        storage.append(event)
        lock.unlock()
    }

    var events: [ApplyEvent] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

/// Manifests in a temporary folder, a fake engine, the state file beside the manifests, a planner and an
/// applier that polls without sleeping.
struct Harness {
    let directory: TemporaryDirectory
    let engine = FakePersonalize()
    let log = EventLog()
    /// The environment and variables to load the manifests with.
    var loadOptions = LoadOptions()

    init() throws {
        directory = try TemporaryDirectory()
    }

    var store: StateStore { Workspace(directory: directory.url, environment: loadOptions.environment).stateStore }

    func manifests() throws -> ManifestSet {
        try ManifestLoader.load(directory: directory.url, options: loadOptions)
    }

    func plan(refresh: Bool = true) async throws -> Plan {
        try await Planner(service: engine).plan(manifests(), state: store.load(), refresh: refresh)
    }

    /// Applies one operation at a time unless told otherwise, so tests can expect an exact order of calls.
    func apply(_ plan: Plan, parallelism: Int = 1) async throws -> ApplySummary {
        let log = log
        return try await Applier(service: engine, store: store, pollInterval: .zero, parallelism: parallelism)
            .apply(plan) { log.append($0) }
    }

    /// Plans and applies.
    @discardableResult
    func apply() async throws -> ApplySummary {
        try await apply(plan())
    }

    func state() throws -> State { try store.load() }
}
