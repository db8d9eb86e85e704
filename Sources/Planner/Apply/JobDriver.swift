import EngineAPI
import PersonalizeRules

/// A driver of jobs: resources the engine runs once, finds by name under a parent, and never deletes (a job's
/// fields are fixed once it runs; only its tags change in place).
protocol JobDriver: ResourceDriver {
    /// The name and ARN of every job the engine has under `parent` (a solution version, dataset or dataset group).
    func jobs(under parent: String, service: any PersonalizeService) async throws -> [any ListedResource]
}

extension JobDriver {
    /// The ARN of the job called `name` under `parent`, if the engine has one.
    func arn(named name: String, under parent: String, service: any PersonalizeService) async throws -> String? {
        try await jobs(under: parent, service: service).first { $0.listedName == name }?.listedArn
    }

    /// The ARN of the job called `name` under the resource state records at `parent`, if both exist.
    func arn(named name: String, under parent: ResourceAddress, context: ApplyContext) async throws -> String? {
        guard let entry = await context.recorder.entry(parent) else { return nil }
        return try await arn(named: name, under: entry.arn, service: context.service)
    }

    /// Jobs stay in the engine: deleting one from the manifest only forgets it.
    func delete(arn: String, service: any PersonalizeService) async throws {}
}

/// Names and settings the job drivers share.
enum JobNames {
    /// The role jobs are created with: the local engine ignores it (Amazon Personalize needs a real role,
    /// which a later version can take from the spec).
    static let localRole = "arn:aws:iam::000000000000:role/tailor-local"

    /// Creates the job named `base`, or adopts the job of that name an earlier run created (same spec or
    /// content: its result stands). A failed job of that name is not retried under it: the run moves on to
    /// `base-2`, `base-3`, ...
    static func run(
        _ base: String, address: ResourceAddress, context: ApplyContext,
        create: (String) async throws -> String, existing: (String) async throws -> String?
    ) async throws -> String {
        for attempt in 1...20 {
            let name = attempt == 1 ? base : "\(base)-\(attempt)"
            do {
                return try await create(name)
            } catch let error as PersonalizeError where error.code == .resourceAlreadyExistsException {
                guard let arn = try await existing(name) else { throw error }
                let observed = try await address.kind.driver.observe(arn: arn, service: context.service)
                if case .failed? = observed?.status { continue }
                context.emit(.step(address, "adopting the job \(name), which ran with the same input"))
                return arn
            }
        }
        throw PlannerError.engine(
            address: address, operation: "create", reason: "20 jobs named \(base)[-N] failed; see the engine's log")
    }

    /// `NAME-HASH8`, within the service's 63 characters.
    static func name(_ name: String, hash: String) -> String {
        let digits = hash.hasPrefix("sha256:") ? hash.dropFirst("sha256:".count) : Substring(hash)
        return "\(name.prefix(50))-\(digits.prefix(8))"
    }
}
