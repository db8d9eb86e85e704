import Foundation

/// Runs a dataset's `import.fetch.command` when its source is missing: the program named by the first
/// argument (looked up on `PATH`, or relative to the manifest's folder), no shell, in the manifest's folder.
///
/// Only apply runs it, with the user's consent, through
/// ``Planner/resolvingFetches(_:manifests:state:allowed:fetcher:onFetch:)``; `validate` and `plan` never do.
package struct DataFetcher: Sendable {
    /// A fetcher that runs real processes.
    package init() {}

    /// Runs the fetch command of `dataImport` if its source does not exist.
    ///
    /// - Parameter dataImport: The import whose source may be missing.
    /// - Returns: Whether the command ran.
    /// - Throws: ``PlannerError/fetchFailed(command:location:reason:)`` when the command cannot run or exits
    ///   non-zero; ``PlannerError/missingImportSource(path:location:)`` when the source is still missing.
    @discardableResult
    package func fetchIfMissing(_ dataImport: DatasetImport) async throws(PlannerError) -> Bool {
        guard !FileManager.default.fileExists(atPath: dataImport.path) else { return false }
        guard let command = dataImport.fetchCommand, !command.isEmpty else {
            throw .missingImportSource(path: dataImport.path, location: dataImport.location)
        }
        let output = try await run(command, in: dataImport.directory, location: dataImport.location)
        guard FileManager.default.fileExists(atPath: dataImport.path) else {
            throw .fetchFailed(
                command: command, location: dataImport.location,
                reason: "it succeeded but \(dataImport.path) still does not exist" + output)
        }
        return true
    }

    private func run(_ command: [String], in directory: String, location: SourceLocation) async throws(PlannerError)
        -> String
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.currentDirectoryURL = URL(fileURLWithPath: directory, isDirectory: true)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("tailor-fetch-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        do {
            let handle = try FileHandle(forWritingTo: log)
            defer { try? handle.close() }
            process.standardOutput = handle
            process.standardError = handle
            let status: Int32 = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
            let tail = Self.tail(of: log)
            guard status == 0 else {
                throw PlannerError.fetchFailed(
                    command: command, location: location, reason: "exit status \(status)" + tail)
            }
            return tail
        } catch let error as PlannerError {
            throw error
        } catch {
            throw .fetchFailed(command: command, location: location, reason: error.localizedDescription)
        }
    }

    /// The last lines of the command's output, to put in messages.
    private static func tail(of log: URL) -> String {
        guard let data = FileManager.default.contents(atPath: log.path), !data.isEmpty else { return "" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return "; output:\n" + lines.suffix(10).map { "    " + $0 }.joined(separator: "\n")
    }
}
