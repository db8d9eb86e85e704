import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension DataJobs {
    func runExportJob(
        arn: String, jobName: String, datasetArn: String, mode: IngestionMode, to folder: UserDataFolder
    ) async {
        await runningJob(DatasetExportJob.self, arn, kind: .datasetExportJob) {
            try await setJobStatus(DatasetExportJob.self, arn, kind: .datasetExportJob, Status.createInProgress)
            let name = "\(jobName)_part_00000.csv"
            let rows = try await database.pool.read { db in
                let table = try DatasetTable.find(db, datasetArn: datasetArn)
                return try DatasetExporter(table: table, mode: mode).write(db, into: folder, name: name)
            }
            try await folder.publish()
            logger.info("exported \(rows) records", metadata: ["job": "\(arn)", "folder": "\(folder.destination)"])
            try await setJobStatus(DatasetExportJob.self, arn, kind: .datasetExportJob, Status.active)
        }
    }
}

/// Writes a dataset's records as CSV with the schema's field names as header, by the guide's rules for each
/// ingestion mode: `BULK` the records bulk imports wrote, `PUT` those individual calls (PutEvents, PutItems,
/// PutUsers) wrote, `ALL` both. Rows identical in every field are written once. Items and Users keep one
/// record per ID (the latest, as the engine stores them).
///
/// The values are written as an import reads them back: booleans `true`/`false`, numbers in their shortest
/// exact form, text quoted when it holds a comma, quote, backslash or line break (`""` for a quote).
struct DatasetExporter {
    let table: DatasetTable
    let mode: IngestionMode

    /// Streams the records into the file `name` of `folder` (written whole: complete or absent), and returns
    /// the number of records.
    func write(_ db: Database, into folder: UserDataFolder, name: String) throws -> Int {
        let fields = table.schema.fields
        let origin: DatasetTable.Origin =
            switch mode {
            case .bulk: .bulk
            case .put: .streamed
            default: .all
            }
        var count = 0
        try folder.write(name) { sink in
            try sink.write(fields.map(\.name).joined(separator: ",") + "\n")
            var line = ""
            try table.forEachDistinctRecord(db, origin: origin) { row in
                line.removeAll(keepingCapacity: true)
                for (index, field) in fields.enumerated() {
                    if index > 0 { line += "," }
                    line += Self.cell(row[index] as DatabaseValue, type: field.type)
                }
                line += "\n"
                try sink.write(line)
                count += 1
            }
        }
        return count
    }

    /// A stored value as text, the way imports spell it (booleans `true`/`false`).
    static func text(_ value: DatabaseValue, type: SchemaFieldType) -> String {
        switch value.storage {
        case .null: ""
        case .int64(let number): type == .boolean ? (number != 0 ? "true" : "false") : String(number)
        case .double(let number): type == .float ? String(Float(number)) : String(number)
        case .string(let string): string
        case .blob(let data): String(decoding: data, as: UTF8.self)
        }
    }

    static func cell(_ value: DatabaseValue, type: SchemaFieldType) -> String {
        switch value.storage {
        case .string, .blob: csvField(text(value, type: type))
        default: text(value, type: type)
        }
    }

    static func csvField(_ string: String) -> String {
        guard string.contains(where: { $0 == "," || $0 == "\"" || $0 == "\\" || $0 == "\n" || $0 == "\r" }) else {
            return string
        }
        return "\"" + string.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\"\"")
            + "\""
    }
}
