import EngineAPI
import Foundation
import GRDB
import PersonalizeRules

extension RealTimeServing {
    /// Checks a batch segment job's filter: ACTIVE, of the solution version's dataset group, and on UserID.
    static func checkSegmentFilter(_ db: Database, filterArn: String, versionArn: String) throws {
        let filter = try ResourceStore.load(db, EngineAPI.Filter.self, arn: filterArn, kind: .filter)
        let version = try ResourceStore.load(db, SolutionVersion.self, arn: versionArn, kind: .solutionVersion)
        guard filter.datasetGroupArn == version.datasetGroupArn else {
            throw PersonalizeError.invalidInput(
                "Filter \(filterArn) belongs to another dataset group than solution version \(versionArn).")
        }
        let expression: FilterExpression
        do {
            expression = try FilterParser.parse(filter.filterExpression ?? "")
        } catch let error as FilterExpressionError {
            throw error.personalizeError
        }
        if let other = expression.statements.first(where: { $0.target != .userID }) {
            throw PersonalizeError.invalidInput(
                "Filter \(filterArn) filters \(other.target.rawValue)s; a batch segment job needs a filter on UserID.")
        }
        let interactions = expression.statements.flatMap(\.predicates).contains { $0.field.dataset == .interactions }
        if interactions, BuiltInRecipe(arn: version.recipeArn ?? "") == .itemAttributeAffinity {
            throw PersonalizeError.invalidInput(
                "Filter \(filterArn) uses item interactions (Interactions.EVENT_TYPE); item interaction filters cannot "
                    + "be used with the Item-Attribute-Affinity recipe.")
        }
    }

    /// The `count` best users of a segment that pass the filter `filterArn` with the line's `values`: the model
    /// is asked for more and more users until enough pass or it has no more.
    func filteredSegment(
        _ segment: @Sendable (Int) -> [String]?, count: Int, filterArn: String, values: [String: String]?,
        group: String
    ) async throws -> [String]? {
        let filterValues = try FilterValues(values)
        let evaluator = try await read { db -> FilterEvaluator in
            let (expression, schemas) = try self.activeFilter(db, filterArn, group: group)
            var context = FilterContext(values: filterValues)
            context.schemas = schemas
            return try FilterEvaluator(expression, context: context)
        }
        var asked = max(count * 2, count + 25)
        while true {
            guard let candidates = segment(asked) else { return nil }
            let kept = try await read { db -> [String] in
                let records =
                    evaluator.uses(.users) && evaluator.context.schemas[.users] != nil
                    ? try self.records(db, group: group, type: .users, ids: candidates) : [:]
                let types =
                    evaluator.uses(.interactions) ? try Self.eventTypes(db, group: group, users: candidates) : [:]
                return try candidates.filter { user in
                    try evaluator.keeps(userID: user, record: records[user], eventTypes: types[user] ?? [])
                }
            }
            if kept.count >= count || candidates.count < asked { return Array(kept.prefix(count)) }
            asked *= 2
        }
    }

    /// User ID → the lower-cased event types of their interactions.
    private static func eventTypes(_ db: Database, group: String, users: [String]) throws
        -> [String: Set<String>]
    {
        try DatasetTable.find(db, group: group, type: .interactions).eventTypes(db, users: users)
    }
}
