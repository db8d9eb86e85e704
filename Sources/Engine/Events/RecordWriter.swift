import EngineAPI
import Foundation
import GRDB
import GRDBSQLite
import PersonalizeRules

/// Writes individual records (PutEvents, PutUsers, PutItems, PutActions) into a dataset table, checked
/// with the same rules as bulk CSV cells and marked as individually imported (a FULL bulk import does
/// not replace them).
struct RecordWriter {
    let table: DatasetTable

    /// `FIELD_NAME` → `fieldName`, the key PutEvents/PutUsers/PutItems properties use.
    static func propertyKey(_ field: String) -> String {
        let parts = field.lowercased().split(separator: "_")
        guard let first = parts.first else { return field }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Parses a `properties` JSON string into values keyed by schema field name.
    ///
    /// - Throws: `InvalidInputException` for invalid JSON or keys the schema does not have.
    func properties(_ json: String?, reserved: Set<String>, context: String) throws -> [String: String] {
        guard let json, !json.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw PersonalizeError.invalidInput("\(context): properties must be a JSON object string.")
        }
        let byKey = Dictionary(
            table.schema.fields.map { (Self.propertyKey($0.name), $0) }, uniquingKeysWith: { first, _ in first })
        var values: [String: String] = [:]
        for (key, value) in object {
            guard let field = byKey[key], !reserved.contains(field.name) else {
                let known = byKey.filter { !reserved.contains($0.value.name) }.keys.sorted().joined(separator: ", ")
                throw PersonalizeError.invalidInput(
                    "\(context): unknown property '\(key)'; the schema's properties are: \(known).")
            }
            values[field.name] = Self.text(value, for: field)
        }
        return values
    }

    private static func text(_ value: Any, for field: SchemaField) -> String {
        if let string = value as? String { return string }
        if value is NSNull { return "" }
        if let number = value as? NSNumber {
            if field.type == .boolean { return number.boolValue ? "true" : "false" }
            return field.type == .int || field.type == .long ? String(number.int64Value) : "\(number.doubleValue)"
        }
        return "\(value)"
    }

    /// Inserts (or, for keyed datasets, replaces) one record whose values are keyed by field name.
    ///
    /// - Throws: `InvalidInputException` naming the field and what is wrong.
    func write(_ values: [String: String], _ db: Database, context: String) throws {
        let statement = try table.insertStatement(db, cached: true)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        for (index, field) in table.schema.fields.enumerated() {
            let text = values[field.name] ?? ""
            var bytes = Array(text.utf8)
            do {
                try bytes.withUnsafeMutableBufferPointer { buffer in
                    try CellRule(field, in: table.type).bind(
                        UnsafeBufferPointer(buffer), to: handle, at: Int32(index + 1))
                }
            } catch let error as CellError {
                throw PersonalizeError.invalidInput("\(context), \(field.name): \(error.message)")
            }
        }
        sqlite3_bind_int64(handle, Int32(table.schema.fields.count + 1), 0)
        let result = sqlite3_step(handle)
        guard result == SQLITE_DONE else {
            throw PersonalizeError(
                .internalFailure,
                "\(context): the database refused the record: "
                    + String(cString: sqlite3_errstr(result)))
        }
    }
}
