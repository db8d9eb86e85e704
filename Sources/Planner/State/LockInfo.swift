package import Foundation

/// Who holds a state lock, recorded in the lock file as Terraform records its `LockInfo`, so a refused
/// operation can say who to ask and `force-unlock` can name the lock it breaks.
package struct LockInfo: Codable, Sendable, Hashable, CustomStringConvertible {
    /// A random nonce: `force-unlock` must quote it, so it can only break the lock it was shown.
    package var id: String
    /// What the holder is doing: `apply`, `plan`, `destroy`, `state mv`, ...
    package var operation: String
    /// `user@host`.
    package var who: String
    /// The holder's process ID.
    package var pid: Int32
    /// The holder's host name.
    package var host: String
    /// The holder's Tailor version.
    package var version: String
    /// When the lock was taken (ISO 8601 in the file).
    package var created: Date
    /// The state file the lock protects.
    package var path: String

    package init(
        id: String, operation: String, who: String, pid: Int32, host: String, version: String, created: Date,
        path: String
    ) {
        self.id = id
        self.operation = operation
        self.who = who
        self.pid = pid
        self.host = host
        self.version = version
        self.created = created
        self.path = path
    }

    /// The lock of this process for `operation` on the state file at `path`.
    ///
    /// - Parameters:
    ///   - operation: What the process is about to do.
    ///   - path: The state file.
    ///   - now: The current time.
    package static func current(operation: String, path: String, now: Date) -> LockInfo {
        let process = ProcessInfo.processInfo
        let user = process.environment["USER"] ?? process.environment["LOGNAME"] ?? "unknown"
        return LockInfo(
            id: UUID().uuidString.lowercased(), operation: operation, who: "\(user)@\(process.hostName)",
            pid: process.processIdentifier, host: process.hostName, version: TailorVersion.current, created: now,
            path: path)
    }

    /// The lock's fields, one per line, as printed under a refused operation.
    package var description: String {
        [
            "  ID:        \(id)", "  Operation: \(operation)", "  Who:       \(who) (pid \(pid))",
            "  Version:   \(version)", "  Created:   \(created.ISO8601Format())",
            "  Path:      \(path)",
        ].joined(separator: "\n")
    }

    static func decode(_ data: Data) -> LockInfo? {
        guard StateLimits.problem(with: data) == nil else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(LockInfo.self, from: data)
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }
}

/// The version of Tailor, as locks and saved plans record it.
package enum TailorVersion {
    /// This build's version.
    package static let current = "0.2.0-dev"
}
