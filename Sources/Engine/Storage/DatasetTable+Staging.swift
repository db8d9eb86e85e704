import Foundation
import GRDB
import PersonalizeRules

/// The staging tables of imports (``DatasetImporter``): a copy of a dataset table's definition that a job fills in
/// short transactions, then makes the dataset's in one.
extension DatasetTable {
    /// The prefix of every staging table's name: `ds_N_staging_`.
    static let stagingMarker = "_staging_"

    /// Creates an empty staging table with this table's columns, constraints and indexes, under a name of its own.
    func createStaging(_ db: Database) throws -> DatasetTable {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let staging = DatasetTable(name: "\(name)\(Self.stagingMarker)\(suffix)", schema: schema, type: type)
        guard
            let definition = try String.fetchOne(
                db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [name]),
            let columns = definition.firstIndex(of: "(")
        else { throw ImportFailure(reason: "Internal error: the dataset's table is missing.") }
        try db.execute(sql: "CREATE TABLE \(staging.name) " + definition[columns...])
        let indexes = try String.fetchAll(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            arguments: [name])
        for (number, index) in indexes.enumerated() {
            // `CREATE [UNIQUE] INDEX name ON table(columns)`: the same kind and columns, on the staging table.
            guard let on = index.range(of: " ON ", options: .caseInsensitive),
                let columns = index[on.upperBound...].firstIndex(of: "(")
            else { continue }
            let unique = index.uppercased().hasPrefix("CREATE UNIQUE") ? "UNIQUE " : ""
            try db.execute(
                sql: "CREATE \(unique)INDEX \(staging.name)_i\(number) ON \(staging.name) " + index[columns...])
        }
        return staging
    }

    /// Copies `dataset`'s streamed records (`_bulk = 0`) into this staging table, after the job's rows; for a keyed
    /// dataset (users, items, actions) the job's record of a key wins, as a FULL import replaces the data.
    func copyStreamedRecords(_ db: Database, from dataset: DatasetTable) throws {
        let columns = try sharedColumns(db, with: dataset)
        let verb = type.keyField == nil ? "INSERT" : "INSERT OR IGNORE"
        try db.execute(
            sql: "\(verb) INTO \(name) (\(columns)) SELECT \(columns) FROM \(dataset.name) WHERE _bulk = 0 "
                + "ORDER BY rowid")
    }

    /// Makes this staging table `dataset`'s table: drops the old one and takes its name.
    func replace(_ dataset: DatasetTable, _ db: Database) throws {
        try dataset.drop(db)
        try db.execute(sql: "ALTER TABLE \(name) RENAME TO \(dataset.name)")
    }

    /// Appends the rows of `staging` (an INCREMENTAL import's), in their order; for a keyed dataset they replace
    /// the records of the same key.
    func append(_ db: Database, from staging: DatasetTable) throws {
        let columns = try staging.sharedColumns(db, with: self)
        let verb = type.keyField == nil ? "INSERT" : "INSERT OR REPLACE"
        try db.execute(
            sql: "\(verb) INTO \(name) (\(columns)) SELECT \(columns) FROM \(staging.name) ORDER BY rowid")
    }

    /// The columns both tables have, quoted and comma-separated; columns `other` gained meanwhile (a streamed
    /// event's `_event_id`, a field UpdateDataset added) are added to this table first when it is the staging one.
    private func sharedColumns(_ db: Database, with other: DatasetTable) throws -> String {
        var mine = Set(try db.columns(in: name).map(\.name))
        let theirs = try db.columns(in: other.name)
        if name.contains(Self.stagingMarker) {
            for column in theirs where !mine.contains(column.name) {
                try db.execute(sql: "ALTER TABLE \(name) ADD COLUMN \(quoted(column.name)) \(column.type)")
                mine.insert(column.name)
            }
        }
        return theirs.map(\.name).filter { mine.contains($0) }.map(quoted).joined(separator: ", ")
    }

    /// Drops the staging tables a killed process left behind.
    static func dropLeftoverStaging(_ db: Database) throws {
        let names = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ?",
            arguments: ["ds_*\(stagingMarker)*"])
        for name in names { try db.execute(sql: "DROP TABLE IF EXISTS \(quoted(name))") }
    }
}
