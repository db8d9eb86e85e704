import EngineAPI
import Foundation
package import GRDB
package import PersonalizeRules

/// The SQLite table that holds one dataset's records, with one typed column per schema field.
package struct DatasetTable: Sendable {
    package let name: String
    package let schema: AvroSchema
    package let type: DatasetType

    package init(datasetRowID: Int64, schema: AvroSchema, type: DatasetType) {
        self.init(name: "ds_\(datasetRowID)", schema: schema, type: type)
    }

    /// A table called `name` (a staging table of an import).
    init(name: String, schema: AvroSchema, type: DatasetType) {
        self.name = name
        self.schema = schema
        self.type = type
    }

    /// Creates the table and its indexes.
    package func create(_ db: Database) throws {
        var columns = schema.fields.map { field in
            "\(quoted(field.name)) \(Self.sqlType(field.type))\(field.nullable ? "" : " NOT NULL")"
        }
        columns.append("_bulk INTEGER NOT NULL")
        if let key = type.keyField {
            columns.append("UNIQUE(\(quoted(key)))")
        }
        try db.execute(sql: "CREATE TABLE \(name) (\(columns.joined(separator: ", ")))")
        if schema.field("USER_ID") != nil, type.keyField != "USER_ID" {
            try db.execute(sql: "CREATE INDEX \(name)_user ON \(name)(USER_ID)")
        }
    }

    package func drop(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS \(name)")
    }

    /// The statement that inserts (or, for keyed datasets, replaces) one record of every schema field.
    package var insertSQL: String {
        let verb = type.keyField == nil ? "INSERT" : "INSERT OR REPLACE"
        let names = schema.fields.map { quoted($0.name) } + ["_bulk"]
        let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
        return "\(verb) INTO \(name) (\(names.joined(separator: ", "))) VALUES (\(marks))"
    }

    package func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(name)") ?? 0
    }

    static func sqlType(_ type: SchemaFieldType) -> String {
        switch type {
        case .string: "TEXT"
        case .int, .long, .boolean: "INTEGER"
        case .float, .double: "REAL"
        }
    }
}

/// Quotes an identifier for SQLite.
package func quoted(_ identifier: String) -> String {
    "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
