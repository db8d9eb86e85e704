package import EngineAPI
import Foundation

/// A small in-memory Personalize for apply's ordering, state and crash-resume logic (the end-to-end tests
/// use the real LocalEngine). Every Describe moves a resource one status on: CREATE PENDING → CREATE
/// IN_PROGRESS → ACTIVE; DELETE PENDING → gone. Deleting a parent with children fails with
/// ResourceInUseException.
package actor FakePersonalize: PersonalizeService {
    /// One resource: its kind, name, status, parents' ARNs and the fields Describe reports.
    package struct Resource {
        package var type: String
        package var name: String
        package var status = "CREATE PENDING"
        package var parents: [String] = []
        package var fields: [String: String] = [:]
        package var update: (status: String, version: String?, tps: Int?)?
    }

    package init() {}

    package var resources: [String: Resource] = [:]
    /// "Operation name" for every mutating call, in order.
    package private(set) var calls: [String] = []
    /// The operation names of ``calls``, in order (`CreateSolution`, without what it was called for).
    package var operations: [String] { calls.map { String($0.split(separator: " ")[0]) } }
    /// Simulates kill -9: after performing this operation (once), the call throws CancellationError.
    package var crashAfter: String?
    /// Training fails with this reason.
    package var trainingFailure: String?
    var counter = 0
    /// The offline metric GetSolutionMetrics reports per version (0.25 when unset).
    package var metrics: [String: Double] = [:]
    /// Told the name of every mutating operation before it runs (tests read the state file there).
    package var observer: (@Sendable (String) -> Void)?

    package func setObserver(_ observer: @escaping @Sendable (String) -> Void) { self.observer = observer }

    package func setCrash(after operation: String?) { crashAfter = operation }
    package func setTrainingFailure(_ reason: String?) { trainingFailure = reason }
    package func count(_ operation: String) -> Int { calls.filter { $0.hasPrefix(operation + " ") }.count }

    /// Simulates an out-of-band delete.
    package func forget(_ arn: String) { resources[arn] = nil }

    /// Simulates an out-of-band change of a field (`minProvisionedTPS`).
    package func setField(_ arn: String, _ key: String, _ value: String) { resources[arn]?.fields[key] = value }

    package func send<Operation: PersonalizeOperation>(_ request: Operation) async throws -> Operation.Response {
        let name = Operation.operation.name
        let mutating = !name.hasPrefix("Describe") && !name.hasPrefix("List") && !name.hasPrefix("Get")
        if mutating { observer?(name) }
        let response = try handle(request)
        if mutating {
            calls.append("\(name) \(response.label)")
            if crashAfter == name {
                crashAfter = nil
                throw CancellationError()
            }
        }
        guard let typed = response.value as? Operation.Response else {
            throw PersonalizeError(.internalFailure, "fake: no response for \(name)")
        }
        return typed
    }

    func arn(_ path: String) -> String { "arn:aws:personalize:local:000000000000:\(path)" }

    func create(_ arn: String, _ resource: Resource) throws -> String {
        if resources[arn] != nil { throw PersonalizeError.alreadyExists("\(arn) already exists") }
        resources[arn] = resource
        return arn
    }

    func advance(_ arn: String) throws -> Resource {
        guard var resource = resources[arn] else { throw PersonalizeError.notFound("\(arn) does not exist") }
        switch resource.status {
        case "CREATE PENDING": resource.status = "CREATE IN_PROGRESS"
        case "CREATE IN_PROGRESS":
            if resource.type == "solution-version", let failure = trainingFailure {
                resource.status = "CREATE FAILED"
                resource.fields["failureReason"] = failure
            } else {
                resource.status = "ACTIVE"
            }
        case "DELETE PENDING":
            resources[arn] = nil
            throw PersonalizeError.notFound("\(arn) does not exist")
        default: break
        }
        if let update = resource.update {
            if update.status == "CREATE PENDING" {
                resource.update?.status = "ACTIVE"
                if let version = update.version {
                    resource.fields["solutionVersionArn"] = version
                    resource.parents = resources[version]?.parents ?? resource.parents
                }
                if let tps = update.tps { resource.fields["minProvisionedTPS"] = String(tps) }
            }
        }
        resources[arn] = resource
        return resource
    }

    func delete(_ arn: String) throws {
        guard resources[arn] != nil else { throw PersonalizeError.notFound("\(arn) does not exist") }
        let owned: Set = ["solution-version", "import", "export", "deletion"]  // deleted along with their parent
        if let child = resources.first(where: { $0.value.parents.contains(arn) && !owned.contains($0.value.type) }) {
            throw PersonalizeError.inUse("\(arn) is used by \(child.key)")
        }
        resources = resources.filter { !($0.value.parents.contains(arn) && owned.contains($0.value.type)) }
        resources[arn]?.status = "DELETE PENDING"
    }

    func children(of parent: String?, type: String) -> [(arn: String, resource: Resource)] {
        resources.filter { $0.value.type == type && (parent == nil || $0.value.parents.contains(parent ?? "")) }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func nextIdentifier() -> String {
        counter += 1
        return String(format: "%08x", counter)
    }

    /// Creates `resource` at the ARN of `path` (``create(_:_:)``); answers `respond(arn)`, labelled with the
    /// resource's name.
    func created(_ path: String, _ resource: Resource, _ respond: (String) -> Any) throws -> (value: Any, label: String)
    {
        (respond(try create(arn(path), resource)), resource.name)
    }

    func handle(_ request: some PersonalizeOperation) throws -> (value: Any, label: String) {
        if let answer = try handleKinds(request) { return answer }
        switch request {
        case let r as CreateDatasetGroupRequest:
            let group = Resource(type: "dataset-group", name: r.name)
            return try created("dataset-group/\(r.name)", group) { CreateDatasetGroupResponse(datasetGroupArn: $0) }
        case let r as CreateSchemaRequest:
            var schema = Resource(type: "schema", name: r.name, status: "ACTIVE")
            schema.fields["schema"] = r.schema
            return try created("schema/\(r.name)", schema) { CreateSchemaResponse(schemaArn: $0) }
        case let r as CreateDatasetRequest:
            let group = resources[r.datasetGroupArn]?.name ?? "?"
            var dataset = Resource(type: "dataset", name: r.name, parents: [r.datasetGroupArn, r.schemaArn])
            dataset.fields["type"] = r.datasetType
            return try created("dataset/\(group)/\(r.datasetType)", dataset) { CreateDatasetResponse(datasetArn: $0) }
        case let r as CreateDatasetImportJobRequest:
            var job = Resource(type: "import", name: r.jobName, parents: [r.datasetArn])
            job.fields["location"] = r.dataSource.dataLocation
            return try created("dataset-import-job/\(r.jobName)", job) {
                CreateDatasetImportJobResponse(datasetImportJobArn: $0)
            }
        default:
            return try handleModels(request)
        }
    }
}
