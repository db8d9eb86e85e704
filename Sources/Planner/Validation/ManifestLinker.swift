/// Checks what only the whole set of manifests can show: duplicate addresses, references to undeclared
/// resources, one dataset per type in a dataset group, schemas that fit the datasets using them, recommenders
/// on dataset groups of their domain, and metric attributions whose metrics read declared datasets.
struct ManifestLinker {
    private let documents: [ManifestDocument]
    private(set) var diagnostics: [Diagnostic] = []

    /// Field names each dataset type's schema must have, as the service requires.
    static let requiredSchemaFields: [String: [String]] = [
        "INTERACTIONS": ["USER_ID", "ITEM_ID", "TIMESTAMP"], "ITEMS": ["ITEM_ID"], "USERS": ["USER_ID"],
    ]

    init(documents: [ManifestDocument]) {
        self.documents = documents
    }

    /// Runs every check and returns the resources, schemas completed with their inferred dataset type.
    mutating func link() -> [ManifestResource] {
        var declared: [ResourceAddress: SourceLocation] = [:]
        for document in documents {
            guard let address = document.address else { continue }
            if let first = declared[address] {
                report(document.location, "duplicate resource '\(address)'; first declared at \(first)")
            } else {
                declared[address] = document.location
            }
        }
        var resources: [ManifestResource] = []
        var seen = Set<ResourceAddress>()
        for case let resource? in documents.map(\.resource) where seen.insert(resource.address).inserted {
            resources.append(resource)
        }
        checkReferences(declared: Set(declared.keys))
        checkDatasetTypes(resources)
        checkRecommenderDomains(resources)
        checkDatasetDomains(resources)
        checkMetricAttributions(resources)
        var users: [String: [(type: String, location: SourceLocation)]] = [:]
        for user in resources {
            guard case .dataset(let dataset) = user.spec else { continue }
            let schema = ResourceAddress(.schema, dataset.schema)
            let location = user.references.first { $0.target == schema }?.location ?? user.location
            users[dataset.schema, default: []].append((dataset.type, location))
        }
        let referenced = Set(documents.flatMap { $0.references.map(\.target) })
        return Self.withGroupDatasets(resources.map { completeSchema($0, users: users, referenced: referenced) })
    }

    /// A filter's expression and a metric attribution's metrics are checked against their dataset group's
    /// datasets when they are created, so they depend on every dataset of their group (created after them,
    /// deleted before them).
    private static func withGroupDatasets(_ resources: [ManifestResource]) -> [ManifestResource] {
        var datasets: [String: [ResourceAddress]] = [:]
        for resource in resources {
            if case .dataset(let spec) = resource.spec {
                datasets[spec.datasetGroup, default: []].append(resource.address)
            }
        }
        return resources.map { resource in
            let group: String
            switch resource.spec {
            case .filter(let spec): group = spec.datasetGroup
            case .metricAttribution(let spec): group = spec.datasetGroup
            default: return resource
            }
            var resource = resource
            let location = resource.references.first?.location ?? resource.location
            for dataset in datasets[group] ?? [] where !resource.references.contains(where: { $0.target == dataset }) {
                resource.references.append(
                    ResourceReference(target: dataset, field: "spec.datasetGroup", location: location))
            }
            return resource
        }
    }

    private mutating func checkReferences(declared: Set<ResourceAddress>) {
        for document in documents {
            for reference in document.references where !declared.contains(reference.target) {
                let kind = reference.target.kind
                let names = declared.filter { $0.kind == kind }.map(\.name)
                let hint =
                    Suggestion.closest(to: reference.target.name, in: names).map { "; did you mean '\($0)'?" }
                    ?? (names.isEmpty ? "; no \(kind.rawValue) is declared" : "")
                report(
                    reference.location,
                    "'\(reference.field)' refers to \(kind.noun) '\(reference.target.name)', "
                        + "which is not declared\(hint)"
                )
            }
        }
    }

    /// Reports `resource`, `what` of dataset group `group`, when `seen` holds an earlier one of that group (the
    /// service allows one per dataset group); else records it there.
    mutating func checkOnePerGroup(
        _ resource: ManifestResource, in group: String, _ what: String, seen: inout [String: ManifestResource]
    ) {
        if let earlier = seen[group] {
            report(
                resource.location,
                "dataset group '\(group)' already has \(what) ('\(earlier.address.name)', declared at "
                    + "\(earlier.location)); a dataset group has one")
        } else {
            seen[group] = resource
        }
    }

    private mutating func checkDatasetTypes(_ resources: [ManifestResource]) {
        var byGroupAndType: [String: ManifestResource] = [:]
        var trackers: [String: ManifestResource] = [:]
        for resource in resources {
            if case .eventTracker(let spec) = resource.spec {
                checkOnePerGroup(resource, in: spec.datasetGroup, "an event tracker", seen: &trackers)
            }
            guard case .dataset(let spec) = resource.spec else { continue }
            let key = "\(spec.datasetGroup)\u{0}\(spec.type)"
            if let first = byGroupAndType[key] {
                report(
                    resource.location,
                    "dataset group '\(spec.datasetGroup)' already has an \(spec.type) dataset "
                        + "('\(first.address.name)', declared at \(first.location))")
            } else {
                byGroupAndType[key] = resource
            }
        }
    }

    /// Fills in a schema's dataset type from the datasets that use it and checks they agree.
    private mutating func completeSchema(
        _ resource: ManifestResource, users: [String: [(type: String, location: SourceLocation)]],
        referenced: Set<ResourceAddress>
    ) -> ManifestResource {
        guard case .schema(var spec) = resource.spec else { return resource }
        let users = users[resource.address.name] ?? []
        let type = spec.datasetType ?? users.first?.type
        for user in users where user.type != type {
            let declared = spec.datasetType != nil ? "is declared for" : "is already used by"
            report(
                user.location,
                "schema '\(resource.address.name)' \(declared) \(type ?? "") datasets, "
                    + "not \(user.type)")
        }
        guard case .fields(let fields) = spec.definition else { return resource }
        guard let type else {
            // A dataset that uses the schema but has problems of its own already fails validation.
            if referenced.contains(resource.address) { return resource }
            report(
                resource.location,
                "schema '\(resource.address.name)' is not used by any dataset; "
                    + "set 'spec.datasetType' so its Avro record can be named")
            return resource
        }
        let names = Set(fields.map(\.name))
        for required in Self.requiredSchemaFields[type] ?? [] where !names.contains(required) {
            report(
                resource.location, "schema '\(resource.address.name)' for \(type) datasets needs a field '\(required)'")
        }
        spec.datasetType = type
        var completed = resource
        completed.spec = .schema(spec)
        return completed
    }

    mutating func report(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(at: location, message))
    }
}
