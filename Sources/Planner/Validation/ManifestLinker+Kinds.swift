import EngineAPI
import PersonalizeRules

/// The checks of recommenders and metric attributions that need other resources' manifests.
extension ManifestLinker {
    /// A recommender's use case needs a dataset group of its domain.
    mutating func checkRecommenderDomains(_ resources: [ManifestResource]) {
        var domains: [String: String?] = [:]
        for resource in resources {
            if case .datasetGroup(let spec) = resource.spec { domains[resource.address.name] = .some(spec.domain) }
        }
        for resource in resources {
            guard case .recommender(let spec) = resource.spec,
                let expected = DomainUseCase.named(spec.recipe)?.domain.rawValue,
                let declared = domains[spec.datasetGroup]
            else { continue }
            guard declared != expected else { continue }
            let location = resource.references.first { $0.target.kind == .datasetGroup }?.location ?? resource.location
            report(
                location,
                "recommender '\(resource.address.name)' uses \(spec.recipe), a \(expected) use case, but dataset group "
                    + "'\(spec.datasetGroup)' "
                    + (declared.map { "is a \($0) dataset group" } ?? "has no domain")
                    + "; set 'spec.domain: \(expected)' on the dataset group or choose a \(declared ?? "domain") "
                    + "use case")
        }
    }

    /// A domain dataset group's datasets need a schema of its domain, and a custom group's a schema without one
    /// (the engine refuses the dataset otherwise; found here, before anything is created).
    mutating func checkDatasetDomains(_ resources: [ManifestResource]) {
        var groups: [String: String?] = [:]
        var schemas: [String: String?] = [:]
        for resource in resources {
            switch resource.spec {
            case .datasetGroup(let spec): groups[resource.address.name] = .some(spec.domain)
            case .schema(let spec): schemas[resource.address.name] = .some(spec.domain)
            default: break
            }
        }
        for resource in resources {
            guard case .dataset(let spec) = resource.spec, let group = groups[spec.datasetGroup],
                let schema = schemas[spec.schema], group != schema
            else { continue }
            let location = resource.references.first { $0.target.kind == .schema }?.location ?? resource.location
            let fix = group.map { "set 'spec.domain: \($0)' on the schema" } ?? "remove 'spec.domain' from the schema"
            report(
                location,
                "dataset '\(resource.address.name)' of dataset group '\(spec.datasetGroup)' ("
                    + (group.map { "a \($0) dataset group" } ?? "a custom dataset group")
                    + ") uses schema '\(spec.schema)', "
                    + (schema.map { "a \($0) schema" } ?? "which has no domain") + "; \(fix)")
        }
    }

    /// One metric attribution per dataset group; a `SUM(Items.COLUMN)` needs the group's Items dataset (and,
    /// when its schema lists fields, a numeric column of that name).
    mutating func checkMetricAttributions(_ resources: [ManifestResource]) {
        var first: [String: ManifestResource] = [:]
        var schemas: [String: SchemaSpec] = [:]
        var datasets: [String: String] = [:]
        for resource in resources {
            switch resource.spec {
            case .schema(let spec): schemas[resource.address.name] = spec
            case .dataset(let spec): datasets["\(spec.datasetGroup)\u{0}\(spec.type)"] = spec.schema
            default: break
            }
        }
        for resource in resources {
            guard case .metricAttribution(let spec) = resource.spec else { continue }
            checkOnePerGroup(resource, in: spec.datasetGroup, "a metric attribution", seen: &first)
            for metric in spec.metrics {
                guard let sum = MetricExpressionText(metric.expression)?.sum else { continue }
                guard let schemaName = datasets["\(spec.datasetGroup)\u{0}\(sum.datasetType)"] else {
                    report(
                        metric.location,
                        "metric '\(metric.metricName)' sums a column of the \(sum.datasetType) dataset, but dataset "
                            + "group '\(spec.datasetGroup)' declares none")
                    continue
                }
                guard case .fields(let fields)? = schemas[schemaName]?.definition else { continue }
                let numeric = ["int", "long", "float", "double"]
                let columns = fields.filter { numeric.contains($0.type) }.map(\.name)
                guard let field = fields.first(where: { $0.name == sum.column }) else {
                    report(
                        metric.location,
                        "metric '\(metric.metricName)' sums \(sum.column), which schema '\(schemaName)' does not have"
                            + Suggestion.didYouMean(sum.column, in: columns))
                    continue
                }
                if !numeric.contains(field.type) {
                    report(
                        metric.location,
                        "metric '\(metric.metricName)' sums \(sum.column), a \(field.type) field of schema "
                            + "'\(schemaName)'; SUM() applies only to numeric columns")
                }
            }
        }
    }
}
