import Foundation
import GRDB

/// Reads a data folder's `engine.sqlite` directly, as the checks after a kill need.
enum SoakChecks {
    /// Opens the database as the next server would (recovering the WAL) and runs `PRAGMA integrity_check`.
    static func integrity(_ path: String) -> String {
        do {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            let rows = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            return rows.joined(separator: "; ")
        } catch {
            return "cannot open: \(error)"
        }
    }

    static func readOnly(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// The table holding `datasetArn`'s records (`ds_<row id>`).
    static func table(_ db: Database, datasetArn: String) throws -> String {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM resource WHERE arn = ?", arguments: [datasetArn])
        else { throw RawHTTPError("no dataset \(datasetArn) in the database") }
        return "ds_\(id)"
    }

    static func rows(_ path: String, datasetArn: String) throws -> Int {
        try readOnly(path).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(try table(db, datasetArn: datasetArn))") ?? 0
        }
    }

    static func itemIDs(_ path: String, datasetArn: String) throws -> Set<String> {
        try readOnly(path).read { db in
            Set(try String.fetchAll(db, sql: "SELECT ITEM_ID FROM \(try table(db, datasetArn: datasetArn))"))
        }
    }

    /// Resources and jobs not in a terminal status: `kind arn status` each.
    static func unfinished(_ path: String) throws -> [String] {
        try readOnly(path).read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, arn, status FROM resource
                    WHERE status LIKE '%PENDING%' OR status LIKE '%IN_PROGRESS%'
                    """
            ).map { "\($0["kind"] as String? ?? "") \($0["arn"] as String? ?? "") \($0["status"] as String? ?? "")" }
        }
    }

    /// Waits until nothing is pending or in progress; returns what still is after `timeout` seconds.
    static func waitUntilSettled(_ path: String, timeout: Double) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String] = []
        while Date() < deadline {
            last = (try? unfinished(path)) ?? ["cannot read the database"]
            if last.isEmpty { return [] }
            usleep(100_000)
        }
        return last
    }
}

extension SoakChecks {
    /// Jobs and resources pending or in progress since more than `age` seconds: `kind arn status body` each
    /// (the body names the job's input).
    static func stuck(_ path: String, olderThan age: Double) -> [String] {
        guard let queue = try? readOnly(path) else { return [] }
        let limit = Date().timeIntervalSince1970 - age
        return
            (try? queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT kind, arn, status, body FROM resource
                        WHERE (status LIKE '%PENDING%' OR status LIKE '%IN_PROGRESS%') AND updated < ?
                        """, arguments: [limit]
                ).map { row -> String in
                    let body = String(decoding: (row["body"] as Data?) ?? Data(), as: UTF8.self)
                    return
                        "\(row["kind"] as String? ?? "") \(row["arn"] as String? ?? "") \(row["status"] as String? ?? "") "
                        + String(body.prefix(600))
                }
            }) ?? []
    }
}
