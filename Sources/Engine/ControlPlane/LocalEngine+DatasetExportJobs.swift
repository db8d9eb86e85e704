import EngineAPI
import Foundation
import GRDB
import Logging

extension LocalEngine {
    func createDatasetExportJob(_ request: CreateDatasetExportJobRequest) async throws -> CreateDatasetExportJobResponse
    {
        try validateName(request.jobName, field: "jobName")
        let mode = request.ingestionMode ?? .put
        guard [IngestionMode.bulk, .put, .all].contains(mode) else {
            throw PersonalizeError.invalidInput("Invalid ingestionMode \(mode); use BULK, PUT or ALL.")
        }
        let folder = try ExportDestination.folder(request.jobOutput.s3DataDestination.path)
        let arn = arn(.datasetExportJob, request.jobName)
        let date = now
        try await write { db in
            let table = try self.datasetTable(db, datasetArn: request.datasetArn)
            guard table.type != .actions, table.type != .actionInteractions else {
                throw PersonalizeError.invalidInput(
                    "Datasets of type \(table.type.rawValue) cannot be exported; export Interactions, Items or "
                        + "Users datasets.")
            }
            let job = DatasetExportJob(
                jobName: request.jobName, datasetExportJobArn: arn, datasetArn: request.datasetArn,
                ingestionMode: mode, roleArn: request.roleArn, status: Status.createPending,
                jobOutput: request.jobOutput, creationDateTime: date, lastUpdatedDateTime: date)
            try ResourceStore.insert(
                db, arn: arn, kind: .datasetExportJob, name: request.jobName, parent: request.datasetArn,
                status: Status.createPending, at: date, body: job)
            try Self.storeTags(db, arn: arn, request.tags)
        }
        startBackgroundJob(arn) { [self] in
            await runExportJob(
                arn: arn, jobName: request.jobName, datasetArn: request.datasetArn, mode: mode, to: folder)
        }
        return CreateDatasetExportJobResponse(datasetExportJobArn: arn)
    }

    private nonisolated func runExportJob(
        arn: String, jobName: String, datasetArn: String, mode: IngestionMode, to folder: URL
    ) async {
        do {
            try await setJobStatus(DatasetExportJob.self, arn, kind: .datasetExportJob, Status.createInProgress)
            let file = folder.appendingPathComponent("\(jobName)_part_00000.csv")
            let rows = try await database.pool.read { db in
                let table = try self.datasetTable(db, datasetArn: datasetArn)
                return try DatasetExporter(table: table, mode: mode).write(db, to: file)
            }
            logger.info("exported \(rows) records", metadata: ["job": "\(arn)", "file": "\(file.path)"])
            try await setJobStatus(DatasetExportJob.self, arn, kind: .datasetExportJob, Status.active)
        } catch {
            let reason = (error as? PersonalizeError)?.message ?? "\(error)"
            logger.warning("export failed: \(reason)", metadata: ["job": "\(arn)"])
            _ = try? await setJobStatus(
                DatasetExportJob.self, arn, kind: .datasetExportJob, Status.createFailed, failureReason: reason)
        }
    }

    func describeDatasetExportJob(_ request: DescribeDatasetExportJobRequest) async throws
        -> DescribeDatasetExportJobResponse
    {
        let arn = request.datasetExportJobArn
        let job = try await read { db in
            try ResourceStore.load(db, DatasetExportJob.self, arn: arn, kind: .datasetExportJob)
        }
        return DescribeDatasetExportJobResponse(datasetExportJob: job)
    }

    func listDatasetExportJobs(_ request: ListDatasetExportJobsRequest) async throws -> ListDatasetExportJobsResponse {
        let page = try await listPage(
            kind: .datasetExportJob, parent: request.datasetArn, nextToken: request.nextToken,
            maxResults: request.maxResults
        ) { row in
            let job = try ResourceStore.decode(DatasetExportJob.self, row)
            return DatasetExportJobSummary(
                datasetExportJobArn: job.datasetExportJobArn, jobName: job.jobName, status: job.status,
                creationDateTime: job.creationDateTime, lastUpdatedDateTime: job.lastUpdatedDateTime,
                failureReason: job.failureReason)
        }
        return ListDatasetExportJobsResponse(datasetExportJobs: page.items, nextToken: page.nextToken)
    }
}

/// Where an export job writes: a local folder (a path or a `file://` URL), created when missing.
enum ExportDestination {
    static func folder(_ path: String) throws -> URL {
        if path.hasPrefix("s3://") {
            throw PersonalizeError.invalidInput(
                "Invalid output path. The embedded engine writes local files: give a folder path or a file:// URL "
                    + "instead of \(path).")
        }
        let local = path.hasPrefix("file://") ? (URL(string: path)?.path ?? "") : path
        guard !local.isEmpty else { throw PersonalizeError.invalidInput("Invalid output path '\(path)'.") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw PersonalizeError.invalidInput("Invalid output path. \(local) is a file, not a folder.")
        }
        do {
            try FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: true)
        } catch {
            throw PersonalizeError.invalidInput("Invalid output path. Cannot create the folder \(local).")
        }
        return URL(fileURLWithPath: local, isDirectory: true)
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

    /// Streams the records into a temporary file beside `file`, then renames it into place (so the file is
    /// complete or absent), and returns the number of records.
    func write(_ db: Database, to file: URL) throws -> Int {
        let fields = table.schema.fields
        let columns = fields.map { quoted($0.name) }.joined(separator: ", ")
        let condition: String =
            switch mode {
            case .bulk: " WHERE _bulk = 1"
            case .put: " WHERE _bulk = 0"
            default: ""
            }
        let ordering = fields.contains { $0.name == "TIMESTAMP" } ? " ORDER BY \"TIMESTAMP\"" : ""
        let sql = "SELECT DISTINCT \(columns) FROM \(table.name)\(condition)\(ordering)"
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: temporary)
        else { throw PersonalizeError.invalidInput("Cannot write to \(file.deletingLastPathComponent().path).") }
        var succeeded = false
        defer {
            try? handle.close()
            if !succeeded { try? FileManager.default.removeItem(at: temporary) }
        }
        var text = fields.map(\.name).joined(separator: ",") + "\n"
        var count = 0
        let cursor = try Row.fetchCursor(db, sql: sql)
        do {
            while let row = try cursor.next() {
                for (index, field) in fields.enumerated() {
                    if index > 0 { text += "," }
                    text += Self.cell(row[index] as DatabaseValue, type: field.type)
                }
                text += "\n"
                count += 1
                if text.utf8.count >= 1 << 20 {  // stream: constant memory whatever the dataset's size
                    try handle.write(contentsOf: Data(text.utf8))
                    text = ""
                }
            }
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            guard rename(temporary.path, file.path) == 0 else {
                throw PersonalizeError.invalidInput("Cannot write \(file.path): rename failed (errno \(errno)).")
            }
        } catch let error as PersonalizeError {
            throw error
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw PersonalizeError.invalidInput("Cannot write \(file.path): \(error.localizedDescription)")
        }
        succeeded = true
        return count
    }

    /// A stored value as text, the way imports spell it (booleans `true`/`false`).
    static func text(_ value: DatabaseValue, type: FieldType) -> String {
        switch value.storage {
        case .null: ""
        case .int64(let number): type == .boolean ? (number != 0 ? "true" : "false") : String(number)
        case .double(let number): type == .float ? String(Float(number)) : String(number)
        case .string(let string): string
        case .blob(let data): String(decoding: data, as: UTF8.self)
        }
    }

    static func cell(_ value: DatabaseValue, type: FieldType) -> String {
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
