import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension BatchJobs {
    /// The most users a batch segment job returns per query (the guide: 5 million).
    static let maximumSegmentSize = 5_000_000

    func runBatchSegments(_ plan: BatchPlan) async {
        await runningJob(BatchSegmentJob.self, plan.arn, kind: .batchSegmentJob) {
            try await setJobStatus(BatchSegmentJob.self, plan.arn, kind: .batchSegmentJob, Status.Batch.inProgress)
            let model = try await serving.loadModel(plan.versionArn)
            var catalogue: (items: [String: [String: String]], textual: Set<String>)?
            let staged = try await userData.stage(plan.inputs)
            defer { staged.remove() }
            for input in staged.files {
                let text = try BatchInput.text(of: input)
                let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
                let limit = model.recipe.maximumSegmentQueries
                guard lines.count <= limit else {
                    throw PersonalizeError.invalidInput(
                        "\(ErrorText.bounded(input.name, limit: 256)) has \(lines.count) queries; \(model.recipe) takes at most \(limit)."
                    )
                }
                var out = ""
                for (number, line) in lines.enumerated() {
                    let parsed = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    guard let query = parsed else {
                        // The line itself is not echoed: what cannot be read is not repeated into the output.
                        out += BatchInput.json(["error": "Line \(number + 1) is not a JSON object."]) + "\n"
                        continue
                    }
                    let values = (query["filterValues"] as? [String: Any])?.compactMapValues { $0 as? String }
                    let segment: @Sendable ([String], Int) async throws -> [String]? = { items, count in
                        guard let filterArn = plan.filterArn else { return model.segment(items: items, count: count) }
                        return try await self.realTimeServing.filteredSegment(
                            { model.segment(items: items, count: $0) }, count: count, filterArn: filterArn,
                            values: values, group: model.datasetGroupArn ?? "")
                    }
                    if let itemID = query["itemId"] as? String {
                        let users: [String]?
                        do {
                            users = try await segment([itemID], plan.count)
                        } catch let error as PersonalizeError where error.code == .invalidInputException {
                            out += BatchInput.json(["input": query, "error": error.message]) + "\n"
                            continue
                        }
                        out +=
                            BatchInput.json(
                                users.map { ["input": query, "output": ["recommendedUsers": $0]] }
                                    ?? ["input": query, "error": "Item \(itemID) was not in the training data."])
                            + "\n"
                    } else if let expression = query["itemAttributes"] as? String {
                        if catalogue == nil { catalogue = try await itemAttributes(model) }
                        let matching: [String]
                        do {
                            matching = try ItemAttributeQuery(expression).matching(
                                catalogue?.items ?? [:], textual: catalogue?.textual ?? [])
                        } catch let error as PersonalizeError {
                            out += BatchInput.json(["itemAttributes": expression, "error": error.message]) + "\n"
                            continue
                        }
                        let users: [String]
                        do {
                            users = try await segment(matching, plan.count) ?? []
                        } catch let error as PersonalizeError where error.code == .invalidInputException {
                            out += BatchInput.json(["itemAttributes": expression, "error": error.message]) + "\n"
                            continue
                        }
                        out +=
                            BatchInput.json(["itemAttributes": expression, "output": ["recommendedUsers": users]])
                            + "\n"
                    } else {
                        out +=
                            BatchInput.json(["input": query, "error": "A query needs itemId or itemAttributes."])
                            + "\n"
                    }
                }
                try plan.output.write(input.name + ".out") { try $0.write(out) }
            }
            try await plan.output.publish()
            try await setJobStatus(BatchSegmentJob.self, plan.arn, kind: .batchSegmentJob, Status.active)
        }
    }

    /// Every item's Items-dataset values as text, keyed by item ID then column.
    /// The Items dataset's records by item ID, and the (upper-cased) names of its textual fields.
    private func itemAttributes(_ model: DeployedModel) async throws -> (
        items: [String: [String: String]], textual: Set<String>
    ) {
        guard let group = model.datasetGroupArn else { return ([:], []) }
        return try await database.pool.read { db in
            let table = try DatasetTable.find(db, group: group, type: .items)
            let fields = table.schema.fields
            var result: [String: [String: String]] = [:]
            try table.forEachRecord(db, columns: fields.map(\.name)) { row in
                var values: [String: String] = [:]
                for (index, field) in fields.enumerated() {
                    let value: DatabaseValue = row[index]
                    if !value.isNull { values[field.name] = DatasetExporter.text(value, type: field.type) }
                }
                if let id = values["ITEM_ID"] { result[id] = values }
            }
            return (result, Set(fields.filter(\.textual).map { $0.name.uppercased() }))
        }
    }
}

/// An Item-Attribute-Affinity query (the guide's part 2 §15.8): `ITEMS.COLUMN = "value"` conditions joined by
/// `AND`; a categorical value matches any of an item's `|` values, numbers compare as numbers.
struct ItemAttributeQuery {
    let conditions: [(column: String, value: String)]

    init(_ expression: String) throws {
        var conditions: [(String, String)] = []
        let parts = expression.components(separatedBy: " AND ")
        for part in parts {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, pieces[0].uppercased().hasPrefix("ITEMS."), pieces[0].count > 6 else {
                throw PersonalizeError.invalidInput(
                    "Invalid item attribute condition '\(part)': write ITEMS.COLUMN = \"value\" (only = and AND).")
            }
            var value = pieces[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            conditions.append((String(pieces[0].dropFirst(6)), value))
        }
        self.conditions = conditions
    }

    /// The IDs of the items meeting every condition; column names ignore case. A textual column (upper-cased
    /// names in `textual`) is refused: the guide's attributes are categorical or numeric.
    func matching(_ catalogue: [String: [String: String]], textual: Set<String> = []) throws -> [String] {
        if let text = conditions.first(where: { textual.contains($0.column.uppercased()) }) {
            throw PersonalizeError.invalidInput(
                "ITEMS.\(text.column) is a textual field; item attributes must be categorical or numeric fields.")
        }
        return catalogue.filter { _, values in
            conditions.allSatisfy { condition in
                guard let stored = values.first(where: { $0.key.uppercased() == condition.column.uppercased() })?.value
                else { return false }
                if let number = Double(condition.value), let other = Double(stored) { return number == other }
                return stored.split(separator: "|").contains { String($0) == condition.value }
            }
        }.keys.sorted()
    }
}
