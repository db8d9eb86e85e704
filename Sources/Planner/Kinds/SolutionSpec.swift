import EngineAPI
import PersonalizeRules

/// `kind: Solution`: a recipe configured on a dataset group. Training is a managed child: apply trains a
/// version when the solution is created, replaced, or any import in its dataset group changes.
///
/// ```yaml
/// kind: Solution
/// metadata: {name: top-picks}
/// spec:
///   datasetGroup: movielens
///   recipe: aws-user-personalization
///   eventType: watch
///   hyperParameters: {hidden_dimension: 64}
///   autoTraining: {schedule: rate(7 days)}
///   hpo:                                # performHPO with this hpoConfig
///     maxNumberOfTrainingJobs: 8
///     integerRanges: {hidden_dimension: [32, 256]}
///     categoricalRanges: {recency_mask: ["true", "false"]}
///   optimizationObjective: {itemAttribute: PRICE, objectiveSensitivity: MEDIUM}
///   trainingDataConfig: {excludedDatasetColumns: {ITEMS: [DESCRIPTION]}}
///   featureTransformationParameters: {trend_discovery_frequency: 1 day}
/// ```
///
/// Everything but automatic training is fixed at creation, as in the service: a change replaces the
/// solution (and trains the replacement).
package struct SolutionSpec: KindSpec {
    /// The dataset group's name.
    package var datasetGroup: String
    /// A built-in recipe's short name (`aws-user-personalization`) or a recipe ARN.
    package var recipe: String
    /// Train only on interactions of this event type.
    package var eventType: String?
    /// Train only on interactions whose EVENT_VALUE is at least this (a string, as the API takes it).
    package var eventValueThreshold: String?
    /// Algorithm hyperparameters, values as strings.
    package var hyperParameters: [String: String]?
    /// Whether the service retrains on a schedule.
    package var performAutoTraining: Bool?
    /// The automatic-training schedule, `rate(N days)` with N in 1...30.
    package var autoTrainingSchedule: String?
    /// Hyperparameter optimisation (`performHPO` with this `hpoConfig`); nil for none.
    package var hpo: HPOSpec?
    /// `optimizationObjective`: the item attribute to favour and how much.
    package var optimizationObjective: [String: String]?
    /// `trainingDataConfig.excludedDatasetColumns`, by dataset type, each list sorted.
    package var excludedDatasetColumns: [String: [String]]?
    /// `featureTransformationParameters` (trending-now's `trend_discovery_frequency`).
    package var featureTransformationParameters: [String: String]?

    /// `hpo`: the training jobs and the ranges to search (each `name: [min, max]`, categorical ones
    /// `name: [values...]`); no ranges searches the recipe's documented tunable ones.
    package struct HPOSpec: Sendable, Hashable, Codable {
        package var maxNumberOfTrainingJobs: Int?
        package var maxParallelTrainingJobs: Int?
        package var integerRanges: [String: ClosedRange<Int>] = [:]
        package var continuousRanges: [String: ClosedRange<Double>] = [:]
        package var categoricalRanges: [String: [String]] = [:]

        init() {}

        /// What an engine's `hpoConfig` says, as a manifest would write it.
        init(_ config: HPOConfig?) {
            maxNumberOfTrainingJobs = config?.hpoResourceConfig?.maxNumberOfTrainingJobs.flatMap { Int($0) }
            maxParallelTrainingJobs = config?.hpoResourceConfig?.maxParallelTrainingJobs.flatMap { Int($0) }
            let ranges = config?.algorithmHyperParameterRanges
            for range in ranges?.integerHyperParameterRanges ?? [] {
                if let name = range.name, let low = range.minValue, let high = range.maxValue, low <= high {
                    integerRanges[name] = low...high
                }
            }
            for range in ranges?.continuousHyperParameterRanges ?? [] {
                if let name = range.name, let low = range.minValue, let high = range.maxValue, low <= high {
                    continuousRanges[name] = low...high
                }
            }
            for range in ranges?.categoricalHyperParameterRanges ?? [] {
                if let name = range.name { categoricalRanges[name] = range.values ?? [] }
            }
        }

        var hasRanges: Bool { !integerRanges.isEmpty || !continuousRanges.isEmpty || !categoricalRanges.isEmpty }

        /// As plans compare it: only what is set.
        var value: SpecValue {
            var map: [String: SpecValue] = [:]
            map["maxNumberOfTrainingJobs"] = maxNumberOfTrainingJobs.map(SpecValue.int)
            map["maxParallelTrainingJobs"] = maxParallelTrainingJobs.map(SpecValue.int)
            if !integerRanges.isEmpty {
                map["integerRanges"] = .map(
                    integerRanges.mapValues { .list([.int($0.lowerBound), .int($0.upperBound)]) })
            }
            if !continuousRanges.isEmpty {
                map["continuousRanges"] = .map(
                    continuousRanges.mapValues { .list([.double($0.lowerBound), .double($0.upperBound)]) })
            }
            if !categoricalRanges.isEmpty {
                map["categoricalRanges"] = .map(categoricalRanges.mapValues { .list($0.map(SpecValue.string)) })
            }
            return .map(map)
        }
    }

    /// The recipe ARN the engine takes.
    package var recipeArn: String { BuiltInRecipe.arn(for: recipe) }

    static let definition = KindDefinition(
        kind: .solution,
        fields: [
            FieldDefinition("datasetGroup", .reference(.datasetGroup), required: true, "Dataset group to train on"),
            FieldDefinition("recipe", .string, required: true, "Recipe: a built-in name or a recipe ARN"),
            FieldDefinition("eventType", .string, "Train only on interactions of this event type"),
            FieldDefinition("eventValueThreshold", .string, "Train only on events with at least this value"),
            FieldDefinition("hyperParameters", .stringMap, "Algorithm hyperparameters"),
            FieldDefinition("performAutoTraining", .boolean, update: .inPlace, "Retrain on a schedule"),
            FieldDefinition(
                "autoTraining",
                .object([
                    FieldDefinition(
                        "schedule", .string, required: true, update: .inPlace,
                        "How often to retrain: rate(N days), N from 1 to 30")
                ]), update: .inPlace, "Automatic training settings"),
            FieldDefinition(
                "hpo",
                .object([
                    FieldDefinition("maxNumberOfTrainingJobs", .integer(1...40), "Training jobs to try (default 8)"),
                    FieldDefinition("maxParallelTrainingJobs", .integer(1...10), "Training jobs at a time"),
                    FieldDefinition("integerRanges", .mapOf(.list(.integer(nil))), "name: [min, max] (integers)"),
                    FieldDefinition("continuousRanges", .mapOf(.list(.number)), "name: [min, max] (decimals)"),
                    FieldDefinition("categoricalRanges", .mapOf(.list(.string)), "name: [values...]"),
                ]), "Hyperparameter optimisation (performHPO); {} searches the recipe's tunable ranges"),
            FieldDefinition(
                "optimizationObjective",
                .object([
                    FieldDefinition("itemAttribute", .string, required: true, "Numeric Items column to favour"),
                    FieldDefinition(
                        "objectiveSensitivity", .oneOf(["LOW", "MEDIUM", "HIGH", "OFF"]), "How much (default LOW)"),
                ]), "Favour items with a high value of an attribute (e.g. PRICE)"),
            FieldDefinition(
                "trainingDataConfig",
                .object([
                    FieldDefinition(
                        "excludedDatasetColumns", .mapOf(.list(.string)),
                        "Columns to leave out of training, by dataset type (ITEMS: [COLUMN, ...])")
                ]), "Training data settings"),
            FieldDefinition(
                "featureTransformationParameters", .stringMap,
                "Feature transformation parameters (trend_discovery_frequency)"),
        ],
        supportsTags: true,
        parse: parse
    )

    private static func parse(_ spec: MappingView, _ context: inout ParseContext) -> ResourceSpec? {
        let datasetGroup = context.reference(.datasetGroup, spec, "datasetGroup")
        var recipe: String?
        if let written = spec.string("recipe") {
            recipe = BuiltInRecipe.normalise(written)
            if recipe == nil {
                let names = BuiltInRecipe.allCases.map(\.name)
                context.report(
                    spec.location("recipe"), "unknown recipe '\(written)'; " + Suggestion.oneOf(written, names))
            }
        }
        let schedule = spec.mapping("autoTraining")?.string("schedule")
        if let schedule, TrainingSchedule.days(in: schedule) == nil {
            let location = spec.mapping("autoTraining")?.location("schedule") ?? spec.location("autoTraining")
            context.report(location, "invalid schedule '\(schedule)'; expected rate(N days) with N from 1 to 30")
        }
        if spec.bool("performAutoTraining") == false, spec.value("autoTraining") != nil {
            context.report(
                spec.location("autoTraining"),
                "'spec.autoTraining' needs automatic training; remove it or set performAutoTraining: true")
        }
        let hpo = spec.value("hpo") == nil ? nil : parseHPO(spec.mapping("hpo"), &context)
        let excluded = RecommenderSpec.excludedColumns(spec.mapping("trainingDataConfig"), &context)
        guard let datasetGroup, let recipe else { return nil }
        let automatic = spec.bool("performAutoTraining") ?? (spec.value("autoTraining") != nil ? true : nil)
        return .solution(
            SolutionSpec(
                datasetGroup: datasetGroup, recipe: recipe, eventType: spec.string("eventType"),
                eventValueThreshold: spec.string("eventValueThreshold"),
                hyperParameters: spec.stringMap("hyperParameters"),
                performAutoTraining: automatic, autoTrainingSchedule: schedule, hpo: hpo,
                optimizationObjective: spec.stringMap("optimizationObjective"), excludedDatasetColumns: excluded,
                featureTransformationParameters: spec.stringMap("featureTransformationParameters")))
    }

    /// `hpo`: each range a `[min, max]` pair of numbers (min at most max), each categorical range a non-empty
    /// list of values.
    private static func parseHPO(_ hpo: MappingView?, _ context: inout ParseContext) -> HPOSpec {
        var result = HPOSpec()
        guard let hpo else { return result }
        result.maxNumberOfTrainingJobs = hpo.int("maxNumberOfTrainingJobs")
        result.maxParallelTrainingJobs = hpo.int("maxParallelTrainingJobs")
        func pairs(_ key: String) -> [(name: String, bounds: [String], location: SourceLocation)] {
            (hpo.value(key)?.entries ?? []).map { entry in
                (entry.key, entry.value.items?.compactMap(\.text) ?? [], entry.value.location)
            }
        }
        for (name, bounds, location) in pairs("integerRanges") {
            guard bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high else {
                context.report(location, "the range of '\(name)' must be [min, max], two integers with min <= max")
                continue
            }
            result.integerRanges[name] = low...high
        }
        for (name, bounds, location) in pairs("continuousRanges") {
            guard bounds.count == 2, let low = Double(bounds[0]), let high = Double(bounds[1]), low.isFinite,
                high.isFinite, low <= high
            else {
                context.report(
                    location, "the range of '\(name)' must be [min, max], two finite numbers with min <= max")
                continue
            }
            result.continuousRanges[name] = low...high
        }
        for (name, values, location) in pairs("categoricalRanges") {
            guard !values.isEmpty else {
                context.report(location, "the values of '\(name)' must be a non-empty list")
                continue
            }
            result.categoricalRanges[name] = values
        }
        return result
    }

    /// The `solutionConfig` and `performHPO` a CreateSolution carries for this spec.
    var solutionConfig: (config: SolutionConfig?, performHPO: Bool?) {
        var hpoConfig: HPOConfig?
        if let hpo {
            var resources: HPOResourceConfig?
            if hpo.maxNumberOfTrainingJobs != nil || hpo.maxParallelTrainingJobs != nil {
                resources = HPOResourceConfig(
                    maxNumberOfTrainingJobs: hpo.maxNumberOfTrainingJobs.map(String.init),
                    maxParallelTrainingJobs: hpo.maxParallelTrainingJobs.map(String.init))
            }
            // The service wants every range type listed, empty when there is none of it.
            let ranges =
                hpo.hasRanges
                ? HyperParameterRanges(
                    integerHyperParameterRanges: hpo.integerRanges.sorted { $0.key < $1.key }.map {
                        IntegerHyperParameterRange(
                            name: $0.key, minValue: $0.value.lowerBound, maxValue: $0.value.upperBound)
                    },
                    continuousHyperParameterRanges: hpo.continuousRanges.sorted { $0.key < $1.key }.map {
                        ContinuousHyperParameterRange(
                            name: $0.key, minValue: $0.value.lowerBound, maxValue: $0.value.upperBound)
                    },
                    categoricalHyperParameterRanges: hpo.categoricalRanges.sorted { $0.key < $1.key }.map {
                        CategoricalHyperParameterRange(name: $0.key, values: $0.value)
                    }) : nil
            hpoConfig = HPOConfig(hpoResourceConfig: resources, algorithmHyperParameterRanges: ranges)
        }
        let config = SolutionConfig(
            eventValueThreshold: eventValueThreshold, hpoConfig: hpoConfig, algorithmHyperParameters: hyperParameters,
            featureTransformationParameters: featureTransformationParameters,
            optimizationObjective: optimizationObjective.map {
                OptimizationObjective(
                    itemAttribute: $0["itemAttribute"],
                    objectiveSensitivity: $0["objectiveSensitivity"].map(ObjectiveSensitivity.init(rawValue:)))
            },
            trainingDataConfig: excludedDatasetColumns.map { TrainingDataConfig(excludedDatasetColumns: $0) },
            autoTrainingConfig: autoTrainingSchedule.map { AutoTrainingConfig(schedulingExpression: $0) })
        return (config == SolutionConfig() ? nil : config, hpo == nil ? nil : true)
    }

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = ["datasetGroup": .string(datasetGroup), "recipe": .string(recipe)]
        fields["eventType"] = eventType.map(SpecValue.string)
        fields["eventValueThreshold"] = eventValueThreshold.map(SpecValue.string)
        fields["hyperParameters"] = hyperParameters.map { .map($0.mapValues(SpecValue.string)) }
        fields["performAutoTraining"] = performAutoTraining.map(SpecValue.bool)
        fields["autoTraining"] = autoTrainingSchedule.map { .map(["schedule": .string($0)]) }
        fields["hpo"] = hpo?.value
        fields["optimizationObjective"] = optimizationObjective.map { .map($0.mapValues(SpecValue.string)) }
        fields["trainingDataConfig"] = excludedDatasetColumns.map { RecommenderSpec.trainingDataConfig($0) }
        fields["featureTransformationParameters"] = featureTransformationParameters.map {
            .map($0.mapValues(SpecValue.string))
        }
        return fields
    }
}
