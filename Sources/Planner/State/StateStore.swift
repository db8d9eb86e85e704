package import Foundation

/// The state file: versioned JSON, written atomically with a backup of the previous version.
///
/// ```json
/// {"version": 2, "serial": 7, "lineage": "…", "resources": {"solution/top-picks": {"arn": "…", …}}, …}
/// ```
package struct StateStore: Sendable {
    /// The state file.
    package let path: String
    private let makeLineage: @Sendable () -> String

    /// A store for the state file at `url`.
    ///
    /// - Parameters:
    ///   - url: The state file (usually ``defaultURL(forManifests:)``).
    ///   - makeLineage: Makes the lineage of a state written for the first time (a random UUID).
    package init(url: URL, makeLineage: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) {
        self.path = url.standardizedFileURL.path
        self.makeLineage = makeLineage
    }

    /// `.tailor/state.json` inside the manifests' folder.
    package static func defaultURL(forManifests directory: URL) -> URL {
        directory.appendingPathComponent(".tailor", isDirectory: true).appendingPathComponent("state.json")
    }

    /// Where the previous state is kept on every write.
    package var backupPath: String { path + ".backup" }

    /// Reads the state; an absent file is an empty state.
    ///
    /// - Returns: The state.
    /// - Throws: ``StateError`` when the file is corrupt, newer than this version reads, or unreadable.
    package func load() throws(StateError) -> State {
        let data: Data?
        do {
            data = try RegularFile.contents(atPath: path, maximumBytes: StateLimits.fileBytes)
        } catch .tooLarge(let bytes, let limit) {
            throw .corrupt(file: path, reason: RegularFile.ReadFailure.tooLarge(bytes: bytes, limit: limit).description)
        } catch {
            throw .io(file: path, reason: error.description)
        }
        guard let data else { return .empty }
        return try Self.decode(data, file: path)
    }

    /// Writes `state` as the next serial (giving it a lineage if it has none), keeping the previous file as
    /// ``backupPath``.
    ///
    /// - Parameter state: The state to write.
    /// - Returns: The state as written: serial incremented, lineage set.
    /// - Throws: ``StateError/io(file:reason:)`` when the write fails; the previous file is then intact.
    @discardableResult
    package func write(_ state: State) throws(StateError) -> State {
        if let problem = state.problem() { throw .corrupt(file: path, reason: problem) }
        var written = state
        written.serial += 1
        written.lineage = state.lineage ?? makeLineage()
        let data: Data
        do {
            data = try Self.encode(written)
        } catch {
            throw .io(file: path, reason: "cannot encode the state: \(error)")
        }
        do {
            if let previous = FileManager.default.contents(atPath: path) {
                try AtomicFile.write(previous, toPath: backupPath)
            }
            try AtomicFile.write(data, toPath: path)
        } catch {
            throw .io(file: path, reason: error.description)
        }
        return written
    }

    static func decode(_ data: Data, file: String) throws(StateError) -> State {
        if let problem = StateLimits.problem(with: data) { throw .corrupt(file: file, reason: problem) }
        let state = try decodeVersions(data, file: file)
        if let problem = state.problem() { throw .corrupt(file: file, reason: problem) }
        return state
    }

    private static func decodeVersions(_ data: Data, file: String) throws(StateError) -> State {
        let decoder = JSONDecoder()
        let header: StateFileHeader
        do {
            header = try decoder.decode(StateFileHeader.self, from: data)
        } catch {
            throw .corrupt(file: file, reason: "it is not JSON with a numeric 'version' (\(Self.describe(error)))")
        }
        switch header.version {
        case 1:
            do {
                return try decoder.decode(StateFileV1.self, from: data).state
            } catch {
                throw .corrupt(file: file, reason: Self.describe(error))
            }
        case 2:
            do {
                return try decoder.decode(StateFileV2.self, from: data).state
            } catch {
                throw .corrupt(file: file, reason: Self.describe(error))
            }
        case let version where version > State.currentVersion:
            throw .unsupportedVersion(file: file, version: version, highestSupported: State.currentVersion)
        default:
            throw .corrupt(file: file, reason: "unknown version \(header.version)")
        }
    }

    package static func encode(_ state: State) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(StateFileV2(state))
        data.append(contentsOf: Array("\n".utf8))
        return data
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted(let context)?: context.debugDescription
        case .keyNotFound(let key, let context)?:
            "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: "\(error)"
        }
    }
}
