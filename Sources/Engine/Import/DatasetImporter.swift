package import EngineAPI
import Foundation
package import GRDB
import GRDBSQLite
import PersonalizeRules

/// A bulk import that failed: the reason, as the job's `failureReason`.
package struct ImportFailure: Error, Sendable, CustomStringConvertible {
    package let reason: String
    package var description: String { reason }
}

/// Reads CSV files into a dataset table: all of a job's rows or none, without holding the database's writer for
/// the whole job.
///
/// The rows go first into a staging table (a copy of the dataset table's definition, `ds_N_staging_…`) in
/// transactions of at most ``chunkRows`` rows, so streamed events, other jobs and the control plane write in
/// between (a write waits for one chunk, not for the file). One short transaction then makes them the dataset's:
/// a FULL import copies the streamed records into the staging table and renames it over the dataset's table; an
/// INCREMENTAL one copies the staged rows into it. A job that fails, or a process killed midway, leaves the
/// dataset as it was; the engine drops leftover staging tables when it opens the folder.
package struct DatasetImporter: Sendable {
    package let table: DatasetTable
    package let limits: EngineLimits
    /// Called after each chunk committed (``EngineConfiguration/afterImportChunk``).
    package var afterChunk: (@Sendable (_ staging: String, _ rows: Int) -> Void)? = nil

    /// Rows per staging transaction: a few tens of milliseconds of writing.
    package static let chunkRows = 10_000

    /// Imports `files` in `mode`; returns the number of records written.
    ///
    /// - Throws: ``ImportFailure`` naming the row (line) and column of the first bad value.
    package func run(files: [UserDataFile], mode: ImportMode, into pool: DatabasePool) throws -> Int {
        try run(files: files, mode: mode, into: pool) { _, _, _ in }.count
    }

    /// Imports `files` in `mode`, then runs `afterInsert` in the transaction that makes them the dataset's, with the
    /// table holding the job's rows and the largest rowid it had before them (those with a larger rowid are this
    /// job's).
    ///
    /// - Returns: The number of records written, and what `afterInsert` returned.
    package func run<Extra>(
        files: [UserDataFile], mode: ImportMode, into pool: DatabasePool,
        afterInsert: (Database, _ table: DatasetTable, _ watermark: Int64) throws -> Extra
    ) throws -> (count: Int, extra: Extra) {
        let staging = try pool.write { db in try table.createStaging(db) }
        do {
            var total = 0
            var budget = Int64(mode == .full ? limits.maximumFullImportBytes : limits.maximumIncrementalImportBytes)
            for file in files {
                total += try importFile(file, into: staging, pool: pool, budget: &budget)
            }
            if table.type == .interactions, total < limits.minimumInteractionsPerImport {
                throw ImportFailure(
                    reason: "The import has \(total) records; an Interactions import job needs at least "
                        + "\(limits.minimumInteractionsPerImport).")
            }
            // The guide has no minimum for Action interactions, except that adding to them needs 1,000 new records.
            if table.type == .actionInteractions, mode == .incremental, total < limits.minimumInteractionsPerImport {
                throw ImportFailure(
                    reason: "The import has \(total) records; an INCREMENTAL import into an Action interactions "
                        + "dataset needs at least \(limits.minimumInteractionsPerImport) new records.")
            }
            return try pool.write { db in
                let extra: Extra
                if mode == .full {
                    extra = try afterInsert(db, staging, 0)
                    try staging.copyStreamedRecords(db, from: table)
                    if table.type == .interactions { try checkEventTypesAndMetadata(db, staging) }
                    try staging.replace(table, db)
                } else {
                    let watermark = try table.watermark(db)
                    try table.append(db, from: staging)
                    extra = try afterInsert(db, table, watermark)
                    if table.type == .interactions { try checkEventTypesAndMetadata(db, table) }
                    try staging.drop(db)
                }
                return (total, extra)
            }
        } catch {
            try? pool.write { db in try staging.drop(db) }
            throw error
        }
    }

    /// Interactions fields that do not count as optional metadata: the required ones, and the reserved ones
    /// the guide leaves out of the count (`IMPRESSION`, `RECOMMENDATION_ID`, `EVENT_ATTRIBUTION_SOURCE`).
    private static let uncountedInteractionsFields: Set<String> = [
        "USER_ID", "ITEM_ID", "TIMESTAMP", "IMPRESSION", "RECOMMENDATION_ID", "EVENT_ATTRIBUTION_SOURCE",
    ]

    /// The guide's quota on an Interactions dataset: its optional metadata fields (`EVENT_TYPE`, `EVENT_VALUE`
    /// and custom fields) plus the distinct event types in its data are at most 10 (part 1 §8.4, part 3 §12.1).
    static let maximumEventTypesPlusMetadataFields = 10

    /// Fails the import when the dataset, with this job's rows (in `rows`), breaks the event type and metadata
    /// quota.
    private func checkEventTypesAndMetadata(_ db: Database, _ rows: DatasetTable) throws {
        guard table.schema.field("EVENT_TYPE") != nil else { return }
        let metadata = table.schema.fields.map(\.name).filter { !Self.uncountedInteractionsFields.contains($0) }
        let eventTypes = try rows.distinctEventTypeCount(db)
        let limit = Self.maximumEventTypesPlusMetadataFields
        if metadata.count + eventTypes > limit {
            throw ImportFailure(
                reason: "The Interactions dataset would have \(eventTypes) distinct event types and "
                    + "\(metadata.count) optional metadata fields (\(metadata.joined(separator: ", "))); together "
                    + "they cannot exceed \(limit). Check for event types that differ only in spelling, and remove "
                    + "unneeded event types or fields.")
        }
    }

    /// Reads `file` into `staging`, ``chunkRows`` rows per write transaction.
    private func importFile(
        _ file: UserDataFile, into staging: DatasetTable, pool: DatabasePool, budget: inout Int64
    ) throws -> Int {
        let fileName = ErrorText.bounded(file.name, limit: 256)
        let descriptor: Int32
        do {
            descriptor = try file.open()
        } catch let error as PersonalizeError {
            throw ImportFailure(reason: error.message)
        }
        var csv = CSVReader(descriptor: descriptor, maximumBytes: budget)
        defer { budget -= Int64(csv.bytesRead) }
        let rules = table.schema.fields.map { CellRule($0, in: table.type) }
        let bulkIndex = Int32(rules.count + 1)
        do {
            guard try csv.next() else {
                throw ImportFailure(reason: "\(fileName) is empty: the first row must hold the column headers.")
            }
            let header = try csv.strings()
            let mapping = try columnMapping(header: header, fileName: fileName)
            var count = 0
            var more = true
            while more {
                try pool.write { db in
                    // The statement owns its SQLite handle: it must outlive the loop.
                    let statement = try staging.insertStatement(db)
                    defer { withExtendedLifetime(statement) {} }
                    let handle = statement.sqliteStatement
                    for _ in 0..<Self.chunkRows {
                        guard try csv.next() else {
                            more = false
                            return
                        }
                        guard csv.fieldCount == header.count else {
                            throw ImportFailure(
                                reason: "\(fileName) row \(csv.line): expected \(header.count) columns, found "
                                    + "\(csv.fieldCount).")
                        }
                        for (fieldIndex, rule) in rules.enumerated() {
                            let parameter = Int32(fieldIndex + 1)
                            do {
                                if let column = mapping[fieldIndex] {
                                    try csv.withField(column) { try rule.bind($0, to: handle, at: parameter) }
                                } else {
                                    try rule.bind(UnsafeBufferPointer(start: nil, count: 0), to: handle, at: parameter)
                                }
                            } catch let error as CellError {
                                throw ImportFailure(
                                    reason: "\(fileName) row \(csv.line), column \(rule.field.name): \(error.message)")
                            }
                        }
                        sqlite3_bind_int64(handle, bulkIndex, 1)
                        let result = sqlite3_step(handle)
                        sqlite3_reset(handle)
                        guard result == SQLITE_DONE else {
                            throw ImportFailure(
                                reason: "\(fileName) row \(csv.line): the database refused the record: "
                                    + String(cString: sqlite3_errstr(result)))
                        }
                        count += 1
                    }
                }
                afterChunk?(staging.name, count)
            }
            return count
        } catch let error as CSVError {
            throw ImportFailure(reason: "\(fileName) row \(error.line): \(error.message)")
        }
    }

    /// For each schema field, the index of its CSV column (nil when a nullable field is absent).
    private func columnMapping(header: [String], fileName: String) throws -> [Int?] {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        let unknown = names.filter { table.schema.field($0) == nil }
        if !unknown.isEmpty {
            // Only a few bounded names: a file that is not CSV must not come back whole in the message.
            let shown = unknown.prefix(5).map { "'\(ErrorText.bounded($0))'" }.joined(separator: ", ")
            throw ImportFailure(
                reason: "\(fileName): the header has \(unknown.count) column(s) that are not in the schema: "
                    + "[\(shown)\(unknown.count > 5 ? ", …" : "")]; the schema's fields are "
                    + "[\(table.schema.fields.map(\.name).joined(separator: ", "))].")
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw ImportFailure(reason: "\(fileName): the header repeats the column '\(ErrorText.bounded(name))'.")
        }
        let missing = table.schema.fields.filter { !$0.nullable && !names.contains($0.name) }.map(\.name)
        if !missing.isEmpty {
            throw ImportFailure(
                reason: "Input CSV is missing the following columns: [\(missing.joined(separator: ", "))].")
        }
        return table.schema.fields.map { field in names.firstIndex(of: field.name) }
    }
}
