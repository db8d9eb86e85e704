import EngineAPI

/// What apply does to one kind in the engine: describe, create, find by name, update in place, delete.
protocol ResourceDriver: Sendable {
    /// Describes the resource; nil when the engine does not have it.
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation?
    /// Sends the Create request and returns the new resource's ARN.
    func create(_ resource: ManifestResource, context: ApplyContext) async throws -> String
    /// Finds a resource of this name (one created by an apply that was killed before it saved state).
    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String?
    /// The resource with what only apply can know filled in (a batch job's solution version, trained earlier in
    /// the same apply); the resource unchanged for most kinds.
    func completing(_ resource: ManifestResource, context: ApplyContext) async throws -> ManifestResource
    /// What follows once the created resource is ACTIVE, before state records it ready (a job's download): an
    /// apply killed or failing here finds the resource still being created, and the next one does it again.
    func finish(_ resource: ManifestResource, observation: Observation?, context: ApplyContext) async throws
    /// Applies the in-place field changes of an update and waits for them.
    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws
    /// Sends the Delete request.
    func delete(arn: String, service: any PersonalizeService) async throws
}

extension ResourceDriver {
    func completing(_ resource: ManifestResource, context: ApplyContext) async throws -> ManifestResource {
        resource
    }

    func finish(_ resource: ManifestResource, observation: Observation?, context: ApplyContext) async throws {}

    /// Brings the tags in line (the only in-place change most kinds have).
    func update(_ change: ResourceChange, arn: String, context: ApplyContext) async throws {
        try await EngineCalls.syncTags(change, arn: arn, service: context.service)
    }
}

/// A driver of a kind the engine describes by ARN: it observes what ``observation(of:arn:)`` reads of the resource
/// its Describe request returns (nil when the engine no longer has it).
protocol DescribedDriver: ResourceDriver {
    associatedtype Describe: PersonalizeOperation where Describe.Response: DescribeResponse

    /// The Describe request of resource `arn`.
    func describing(_ arn: String) -> Describe
    /// What apply observes of the described resource.
    func observation(of resource: Describe.Response.Resource, arn: String) -> Observation
}

extension DescribedDriver {
    func observe(arn: String, service: any PersonalizeService) async throws -> Observation? {
        try await EngineCalls.resource(describing(arn), service: service).map { observation(of: $0, arn: arn) }
    }
}

extension DescribedDriver where Describe.Response.Resource: StatusReporting {
    /// By default, apply observes the status and failure reason the resource reports.
    func observation(of resource: Describe.Response.Resource, arn: String) -> Observation { Observation(resource) }
}

/// A driver of a kind the engine lists by name under a parent (`ListDatasets` under a dataset group, ...), which
/// is how it finds a resource that an apply killed before it saved state had created.
protocol ListedDriver: ResourceDriver {
    associatedtype Listing: PersonalizeOperation & PagedRequest
    where Listing.Response: PagedResponse, Listing.Response.Item: ListedResource

    /// The List request of the kind's resources under the parent's ARN (empty for a top-level kind).
    func listing(under parentArn: String) -> Listing
}

extension ListedDriver {
    func find(_ resource: ManifestResource, context: ApplyContext) async throws -> String? {
        try await context.find(resource.address, under: resource.spec.listedUnder, listing(under:))
    }
}

extension ResourceSpec {
    /// The resource this one is listed under by the engine's List operation; nil for a top-level kind (and for
    /// jobs, which are found by their generated names).
    var listedUnder: ResourceAddress? {
        switch self {
        case .dataset(let spec): ResourceAddress(.datasetGroup, spec.datasetGroup)
        case .solution(let spec): ResourceAddress(.datasetGroup, spec.datasetGroup)
        case .campaign(let spec): ResourceAddress(.solution, spec.solution)
        case .eventTracker(let spec): ResourceAddress(.datasetGroup, spec.datasetGroup)
        case .filter(let spec): ResourceAddress(.datasetGroup, spec.datasetGroup)
        case .recommender(let spec): ResourceAddress(.datasetGroup, spec.datasetGroup)
        case .metricAttribution(let spec): ResourceAddress(.datasetGroup, spec.datasetGroup)
        default: nil
        }
    }
}

extension ResourceKind {
    /// The kind's engine operations.
    var driver: any ResourceDriver {
        switch self {
        case .datasetGroup: DatasetGroupDriver()
        case .schema: SchemaDriver()
        case .dataset: DatasetDriver()
        case .solution: SolutionDriver()
        case .campaign: CampaignDriver()
        case .eventTracker: EventTrackerDriver()
        case .filter: FilterDriver()
        case .datasetExport: DatasetExportDriver()
        case .dataDeletion: DataDeletionDriver()
        case .recommender: RecommenderDriver()
        case .metricAttribution: MetricAttributionDriver()
        case .batchInferenceJob: BatchJobDriver(kind: .inference)
        case .batchSegmentJob: BatchJobDriver(kind: .segment)
        }
    }
}

/// Helpers the drivers share.
enum EngineCalls {
    /// Runs a Describe; a ResourceNotFoundException becomes nil.
    static func describe<Response>(_ body: () async throws -> Response) async throws -> Response? {
        do {
            return try await body()
        } catch let error as PersonalizeError where error.code == .resourceNotFoundException {
            return nil
        }
    }

    /// The resource a Describe request names; nil when the engine does not have it.
    static func resource<Request: PersonalizeOperation>(_ request: Request, service: any PersonalizeService)
        async throws -> Request.Response.Resource? where Request.Response: DescribeResponse
    {
        try await describe { try await service.send(request) }?.resource
    }

    /// The status and failure reason of the resource a Describe request names; nil when the engine does not
    /// have it.
    static func observation<Request: PersonalizeOperation>(_ request: Request, service: any PersonalizeService)
        async throws -> Observation?
    where Request.Response: DescribeResponse, Request.Response.Resource: StatusReporting {
        try await resource(request, service: service).map { Observation($0) }
    }

    /// The most pages ``all(_:service:)`` reads of one listing (a million items at the service's 100 a page).
    static let maximumPages = 10_000

    /// Every item of a List operation, page after page from `request`'s first.
    ///
    /// - Throws: `InternalFailure` when the engine repeats a page token or keeps answering past ``maximumPages``
    ///   (a listing that would never end), instead of reading it forever.
    static func all<Request: PersonalizeOperation & PagedRequest>(_ request: Request, service: any PersonalizeService)
        async throws -> [Request.Response.Item] where Request.Response: PagedResponse
    {
        var request = request
        var items: [Request.Response.Item] = []
        var tokens: Set<String> = []
        for _ in 0..<maximumPages {
            let page = try await service.send(request)
            items += page.items
            guard let token = page.nextToken else { return items }
            guard tokens.insert(token).inserted else {
                throw PersonalizeError(
                    .internalFailure,
                    "\(Request.operation.name) answered with the token of an earlier page: its listing never ends.")
            }
            request.nextToken = token
        }
        throw PersonalizeError(
            .internalFailure, "\(Request.operation.name) answered more than \(maximumPages) pages; Tailor stops there.")
    }

    /// The tags of a manifest resource as the API takes them (nil when there are none).
    static func tags(_ resource: ManifestResource) -> [Tag]? {
        resource.tags.isEmpty
            ? nil : resource.tags.sorted { $0.key < $1.key }.map { Tag(tagKey: $0.key, tagValue: $0.value) }
    }

    /// Brings the engine's tags in line with a change's `tags.*` field changes.
    static func syncTags(_ change: ResourceChange, arn: String, service: any PersonalizeService) async throws {
        var added: [Tag] = []
        var removed: [String] = []
        for field in change.fields where field.path.hasPrefix("tags.") {
            let key = String(field.path.dropFirst("tags.".count))
            if case .known(.string(let value)) = field.after {
                added.append(Tag(tagKey: key, tagValue: value))
            } else {
                removed.append(key)
            }
        }
        if !added.isEmpty { _ = try await service.send(TagResourceRequest(resourceArn: arn, tags: added)) }
        if !removed.isEmpty { _ = try await service.send(UntagResourceRequest(resourceArn: arn, tagKeys: removed)) }
    }
}

/// Everything a driver needs during apply.
struct ApplyContext: Sendable {
    let service: any PersonalizeService
    let recorder: StateRecorder
    let waiter: Waiter
    let timeouts: ApplyTimeouts
    let emit: @Sendable (ApplyEvent) -> Void
    /// Where `s3://` import sources are identified.
    var objects: (any ObjectSources)? = nil
    /// The project's IAM role for jobs that name none.
    var defaultRole: String? = nil
    /// For a remote engine: where local import files are uploaded (``Plan/uploadPrefix``).
    var uploadPrefix: String? = nil
    /// The manifests' folder, which every download stays in (``Plan/downloadRoot``).
    var downloadRoot: String? = nil

    /// The role a job passes: its own, else the project's, else a placeholder the embedded engine ignores (a plan
    /// for Amazon Personalize has refused jobs without a role: ``Planner/jobsWithoutRole(_:)``).
    func role(_ own: String?) -> String { own ?? defaultRole ?? JobNames.localRole }

    /// The ARN of a resource already in state.
    ///
    /// - Throws: ``PlannerError/missingDependency(address:dependency:what:)`` when it is not there.
    func arn(of dependency: ResourceAddress, for address: ResourceAddress) async throws -> String {
        guard let entry = await recorder.entry(dependency), entry.status == .ready else {
            throw PlannerError.missingDependency(address: address, dependency: dependency, what: "ARN")
        }
        return entry.arn
    }

    /// Finds the resource at `address` in the engine by its name (one created by an apply that was killed before
    /// it saved state).
    ///
    /// - Parameters:
    ///   - address: The resource to find; its name is what the engine lists.
    ///   - parent: The resource `list` lists under, whose ARN state holds; nil for a top-level kind.
    ///   - list: The List request of the resources under the parent's ARN (empty for a top-level kind).
    /// - Returns: The ARN, or nil when the parent is not in state or the engine has no resource of that name.
    func find<Request: PersonalizeOperation & PagedRequest>(
        _ address: ResourceAddress, under parent: ResourceAddress?, _ list: (_ parentArn: String) -> Request
    ) async throws -> String? where Request.Response: PagedResponse, Request.Response.Item: ListedResource {
        var parentArn = ""
        if let parent {
            guard let entry = await recorder.entry(parent) else { return nil }
            parentArn = entry.arn
        }
        let listed = try await EngineCalls.all(list(parentArn), service: service)
        return listed.first { $0.listedName == address.name }?.listedArn
    }

    /// Waits for `goal`, polling the resource through its kind's driver.
    @discardableResult
    func wait(
        for goal: Waiter.Goal, _ address: ResourceAddress, arn: String, what: String, timeout: Duration
    ) async throws -> Observation? {
        let driver = address.kind.driver
        return try await waiter.wait(for: goal, address, what: what, timeout: timeout, emit: emit) {
            try await driver.observe(arn: arn, service: service)
        }
    }
}
