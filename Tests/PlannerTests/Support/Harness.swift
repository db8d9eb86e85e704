import EngineAPI
import Foundation
import Synchronization
import TailorTestSupport
import Testing

@testable import Planner

/// Collects apply events from any thread.
final class EventLog: Sendable {
    private let storage = Mutex<[ApplyEvent]>([])

    func append(_ event: ApplyEvent) {
        storage.withLock { $0.append(event) }
    }

    var events: [ApplyEvent] { storage.withLock { $0 } }
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

    /// A harness whose folder holds the MovieLens example (``Fixtures/writeMovielens(to:recipe:tps:)``).
    static func movielens() throws -> Harness {
        let harness = try Harness()
        do {
            try Fixtures.writeMovielens(to: harness.directory)
        } catch {
            harness.directory.remove()
            throw error
        }
        return harness
    }

    /// A harness whose folder holds the MovieLens example, planned and applied.
    static func appliedMovielens() async throws -> Harness {
        let harness = try movielens()
        do {
            try await harness.apply()
        } catch {
            harness.directory.remove()
            throw error
        }
        return harness
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

    /// Deletes the resource at `address` in the engine behind Tailor's back: the state still records it.
    func deleteOutsideTailor(_ address: ResourceAddress) async throws {
        await engine.forget(try #require(state()[address]?.arn))
    }
}
