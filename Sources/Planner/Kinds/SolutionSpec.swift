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
/// ```
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

    /// The recipe ARN the engine takes.
    package var recipeArn: String { RecipeCatalog.arn(for: recipe) }

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
        ],
        supportsTags: true,
        parse: parse
    )

    private static func parse(_ spec: MappingView, _ context: inout ParseContext) -> ResourceSpec? {
        let datasetGroup = context.reference(.datasetGroup, spec, "datasetGroup")
        var recipe: String?
        if let written = spec.string("recipe") {
            recipe = RecipeCatalog.normalise(written)
            if recipe == nil {
                let hint =
                    Suggestion.closest(to: written, in: RecipeCatalog.names).map { "did you mean '\($0)'?" }
                    ?? "expected one of: " + RecipeCatalog.names.joined(separator: ", ")
                context.report(spec.location("recipe"), "unknown recipe '\(written)'; \(hint)")
            }
        }
        let schedule = spec.mapping("autoTraining")?.string("schedule")
        if let schedule, scheduleDays(schedule) == nil {
            let location = spec.mapping("autoTraining")?.location("schedule") ?? spec.location("autoTraining")
            context.report(location, "invalid schedule '\(schedule)'; expected rate(N days) with N from 1 to 30")
        }
        if spec.bool("performAutoTraining") == false, spec.value("autoTraining") != nil {
            context.report(
                spec.location("autoTraining"),
                "'spec.autoTraining' needs automatic training; remove it or set performAutoTraining: true")
        }
        guard let datasetGroup, let recipe else { return nil }
        let automatic = spec.bool("performAutoTraining") ?? (spec.value("autoTraining") != nil ? true : nil)
        return .solution(
            SolutionSpec(
                datasetGroup: datasetGroup, recipe: recipe, eventType: spec.string("eventType"),
                eventValueThreshold: spec.string("eventValueThreshold"),
                hyperParameters: spec.stringMap("hyperParameters"),
                performAutoTraining: automatic, autoTrainingSchedule: schedule))
    }

    /// The number of days in `rate(N day[s])`, when N is within the service's 1...30.
    static func scheduleDays(_ schedule: String) -> Int? {
        let trimmed = schedule.filter { $0 != " " }
        guard trimmed.hasPrefix("rate("), trimmed.hasSuffix(")") else { return nil }
        var body = trimmed.dropFirst(5).dropLast()
        if body.hasSuffix("days") {
            body = body.dropLast(4)
        } else if body.hasSuffix("day") {
            body = body.dropLast(3)
        } else {
            return nil
        }
        guard let days = Int(body), (1...30).contains(days) else { return nil }
        return days
    }

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = ["datasetGroup": .string(datasetGroup), "recipe": .string(recipe)]
        fields["eventType"] = eventType.map(SpecValue.string)
        fields["eventValueThreshold"] = eventValueThreshold.map(SpecValue.string)
        fields["hyperParameters"] = hyperParameters.map { .map($0.mapValues(SpecValue.string)) }
        fields["performAutoTraining"] = performAutoTraining.map(SpecValue.bool)
        fields["autoTraining"] = autoTrainingSchedule.map { .map(["schedule": .string($0)]) }
        return fields
    }
}
