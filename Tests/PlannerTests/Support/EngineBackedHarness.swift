import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Passes every request to the real embedded engine and keeps the mutating ones, so tests can check exactly
/// what apply sent.
actor RecordingService: PersonalizeService {
    private let engine: LocalEngine
    /// Every request that is not a Describe, List or Get, in order.
    private(set) var requests: [any PersonalizeOperation] = []

    init(engine: LocalEngine) {
        self.engine = engine
    }

    func send<Operation: PersonalizeOperation>(_ request: Operation) async throws -> Operation.Response {
        let name = Operation.operation.name
        if !name.hasPrefix("Describe"), !name.hasPrefix("List"), !name.hasPrefix("Get") { requests.append(request) }
        return try await engine.send(request)
    }

    /// The recorded requests of one type.
    func sent<Request: PersonalizeOperation>(_ type: Request.Type) -> [Request] {
        requests.compactMap { $0 as? Request }
    }

    /// Forgets the recorded requests.
    func reset() { requests = [] }
}

/// Manifests in a temporary folder applied to the real embedded engine (its data beside them, the limits
/// lowered for small data), with the requests recorded.
struct EngineBackedHarness {
    let directory: TemporaryDirectory
    let local: LocalEngine
    let engine: RecordingService

    /// - Parameter deletionDelay: How long deleted resources stay visible (seconds; see `EngineConfiguration`).
    init(deletionDelay: Double = 0) throws {
        directory = try TemporaryDirectory()
        var limits = EngineHarness.smallLimits
        limits.minimumInteractionsPerImport = 1
        local = try EngineHarness.open(
            directory.url.appendingPathComponent(".tailor/engine"), limits: limits, deletionDelay: deletionDelay,
            allowedPaths: [directory.url])
        engine = RecordingService(engine: local)
    }

    var store: StateStore { Workspace(directory: directory.url).stateStore }

    func manifests() throws -> ManifestSet {
        try ManifestLoader.load(directory: directory.url)
    }

    func plan(refresh: Bool = true) async throws -> Plan {
        try await Planner(service: engine).plan(manifests(), state: store.load(), refresh: refresh)
    }

    func apply(_ plan: Plan) async throws -> ApplySummary {
        try await Applier(service: engine, store: store, pollInterval: .milliseconds(20)).apply(plan)
    }

    /// Plans and applies.
    @discardableResult
    func apply() async throws -> ApplySummary {
        try await apply(plan())
    }

    func destroy() async throws -> ApplySummary {
        try await apply(Planner(service: engine).destroyPlan(state: store.load()))
    }

    func state() throws -> State { try store.load() }

    /// Forgets `address` in the state and adopts it again with `tailor import`'s importer (from the engine's
    /// description of `arn`), as someone recovering a lost state entry would.
    func forgetAndImport(_ address: ResourceAddress, arn: String) async throws {
        let forgotten = try store.write(try state().removing([address]))
        let imported = try await Importer(service: engine).importing(
            address, arn: arn, manifests: manifests(), state: forgotten)
        try store.write(imported.state)
    }

    /// The ARN state records at `address`.
    func arn(_ address: ResourceAddress) throws -> String {
        guard let arn = try state()[address]?.arn else { throw HarnessError.notInState(address) }
        return arn
    }

    enum HarnessError: Error {
        case notInState(ResourceAddress)
    }
}

/// Manifests of a small shop on the embedded engine: synthetic interactions (120 users, 60 items, `click` and
/// `purchase` events) and an Items dataset with a PRICE.
enum ShopFixtures {
    static func group(domain: String? = nil) -> String {
        """
        apiVersion: tailor/v1
        kind: DatasetGroup
        metadata: {name: shop}
        \(domain.map { "spec: {domain: \($0)}" } ?? "")
        ---

        """
            + schema(
                "shop-interactions", domain: domain,
                fields: [
                    "name: USER_ID, type: string", "name: ITEM_ID, type: string", "name: TIMESTAMP, type: long",
                    "name: EVENT_TYPE, type: string", "name: EVENT_VALUE, type: float, nullable: true",
                ]) + "---\n"
            + ManifestFixtures.dataset(
                "shop-interactions", group: "shop", type: "INTERACTIONS", source: "data/interactions.csv")
    }

    /// The Items schema and dataset; a domain group's carry the domain and its required fields (ECOMMERCE:
    /// `CATEGORY_L1`; VIDEO_ON_DEMAND: `GENRES`, `CREATION_TIMESTAMP`).
    static func items(domain: String? = nil) -> String {
        let extra: [String]
        switch domain {
        case "ECOMMERCE": extra = ["name: CATEGORY_L1, type: string, categorical: true"]
        case "VIDEO_ON_DEMAND":
            extra = ["name: GENRES, type: string, categorical: true", "name: CREATION_TIMESTAMP, type: long"]
        default: extra = []
        }
        let fields = [
            "name: ITEM_ID, type: string", "name: PRICE, type: float", "name: GENRE, type: string, categorical: true",
        ]
        return schema("shop-items", domain: domain, fields: fields + extra) + "---\n"
            + ManifestFixtures.dataset("shop-items", group: "shop", type: "ITEMS", source: "data/items.csv")
    }

    /// A schema `name` (of `domain` when given) whose `fields` are the contents of flow mappings, one a line.
    static func schema(_ name: String, domain: String?, fields: [String]) -> String {
        """
        apiVersion: tailor/v1
        kind: Schema
        metadata: {name: \(name)}
        spec:
          \(domain.map { "domain: \($0)" } ?? "")
          fields:

        """ + fields.map { "    - {\($0)}\n" }.joined()
    }

    /// A popularity-count solution `popular` on the shop, without automatic training or a campaign.
    static let popular = ManifestFixtures.solution(
        "popular", group: "shop", recipe: "aws-popularity-count", campaign: false)

    /// Writes the group, its interactions (event types mapped by `eventTypes`) and items.
    static func write(
        to directory: TemporaryDirectory, domain: String? = nil, eventTypes: [String: String] = [:], seed: UInt64 = 7
    ) throws {
        try directory.write("shop.yaml", group(domain: domain))
        try directory.write("items.yaml", items(domain: domain))
        try directory.write("data/interactions.csv", interactions(eventTypes: eventTypes, seed: seed))
        let (header, extra): (String, (Int) -> String) =
            switch domain {
            case "ECOMMERCE": (",CATEGORY_L1", { ",c\($0 % 4)" })
            case "VIDEO_ON_DEMAND": (",GENRES,CREATION_TIMESTAMP", { ",g\($0 % 4),\(1_600_000_000 + $0)" })
            default: ("", { _ in "" })
            }
        let rows = (0..<60).map { "i\($0),\(Double($0) + 0.5),g\($0 % 3)" + extra($0) }
        try directory.write(
            "data/items.csv", (["ITEM_ID,PRICE,GENRE" + header] + rows).joined(separator: "\n") + "\n")
    }

    /// A fresh folder holding the shop (``write(to:domain:eventTypes:seed:)``) and `files` (path and text);
    /// the caller removes it.
    static func directory(adding files: KeyValuePairs<String, String> = [:]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        do {
            try write(to: directory)
            for (name, text) in files { try directory.write(name, text) }
        } catch {
            directory.remove()
            throw error
        }
        return directory
    }

    /// What loading the shop with `files` added reports, as one text (``Fixtures/loadErrors(_:sourceLocation:)``).
    static func loadErrors(
        adding files: KeyValuePairs<String, String>, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> String {
        let shop = try directory(adding: files)
        defer { shop.remove() }
        return Fixtures.loadErrors(shop, sourceLocation: sourceLocation)
    }

    static func interactions(eventTypes: [String: String] = [:], seed: UInt64 = 7) -> String {
        var csv = SyntheticData(users: 120, items: 60).interactionsCSV(perUser: 12, seed: seed)
        for (from, to) in eventTypes { csv = csv.replacingOccurrences(of: ",\(from),", with: ",\(to),") }
        return csv
    }
}
