import ArgumentParser
import Engine
import EngineAPI
import Foundation
import Logging
import ObjectStore
import Planner

/// Where the embedded engine keeps its data, and how to open it.
struct EngineOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"), help: "The engine's data folder (default: .tailor/engine beside the manifests).")
    var dataDirectory: String?

    @Flag(name: .customLong("verbose"), help: "Log what the engine does.")
    var verbose = false

    @Option(
        name: .customLong("allow-path"),
        help: ArgumentHelp(
            "A folder whose files the engine's jobs may read and write (repeatable).",
            discussion: """
                Imports, exports, batch jobs, data deletion and metric-attribution reports use only files under \
                the data folder's files/ area, the manifests' folder (for commands that read manifests) and these \
                folders; any other location, once links and '..' are resolved, is refused.
                """))
    var allowedPaths: [String] = []

    @Option(
        name: .customLong("s3-endpoint"),
        help: ArgumentHelp(
            "The S3 store for s3:// locations: an S3-compatible endpoint URL (MinIO, moto, LocalStack), or `aws`.",
            discussion: """
                Also $TAILOR_S3_ENDPOINT. Imports, exports, batch jobs, data deletion and metric-attribution \
                reports then read and write s3://bucket/key locations, path-style at the URL, or on Amazon S3 \
                (virtual-hosted) with `aws`; requests are signed with the AWS SDKs' credentials and region. \
                Without it, s3:// locations are refused.
                """))
    var s3Endpoint: String?

    @Option(
        name: .customLong("endpoint"),
        help: ArgumentHelp(
            "Drive a remote engine instead of the embedded one: a `tailor serve` URL, or `aws` for Amazon Personalize.",
            discussion: """
                Also $TAILOR_ENDPOINT. Requests are signed with the AWS SDKs' credentials (AWS_ACCESS_KEY_ID / \
                AWS_SECRET_ACCESS_KEY, else the shared credentials file's profile) and region (AWS_REGION, \
                AWS_DEFAULT_REGION, else us-east-1); unsigned when there are none.
                """))
    var endpoint: String?

    /// `--endpoint`, else `$TAILOR_ENDPOINT`, when a remote engine is asked for.
    var remoteEndpoint: String? {
        if let endpoint, !endpoint.isEmpty { return endpoint }
        let fromEnvironment = ProcessInfo.processInfo.environment["TAILOR_ENDPOINT"]
        return fromEnvironment.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Refuses a remote engine (`--endpoint`, `$TAILOR_ENDPOINT`) for a command that works on the embedded
    /// engine's own files; `command` says so in the message (`engine tick runs the embedded engine`).
    func requireEmbedded(_ command: String) throws {
        guard remoteEndpoint == nil else { throw ValidationError("\(command): --endpoint does not apply") }
    }

    /// The embedded engine of the data folder ``discoveredDataDirectory()`` finds.
    func openEmbeddedEngine() throws -> LocalEngine { try openEngine(at: try discoveredDataDirectory()) }

    /// The data folder for manifests in `manifestDirectory`.
    func dataDirectory(besides manifestDirectory: URL) -> URL {
        if let dataDirectory { return URL(fileURLWithPath: dataDirectory) }
        return manifestDirectory.appendingPathComponent(".tailor/engine")
    }

    /// The data folder when no manifests are named: `--data-dir`, `$TAILOR_DATA_DIR`, `./.tailor/engine`,
    /// or the one `.tailor/engine` folder found up to two levels below the current directory.
    func discoveredDataDirectory() throws -> URL {
        if let dataDirectory { return URL(fileURLWithPath: dataDirectory) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["TAILOR_DATA_DIR"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        let manager = FileManager.default
        let here = URL(fileURLWithPath: manager.currentDirectoryPath)
        let candidates = [here] + subfolders(of: here, depth: 2)
        let found = candidates.map { $0.appendingPathComponent(".tailor/engine") }
            .filter { manager.fileExists(atPath: $0.appendingPathComponent("engine.sqlite").path) }
        guard let first = found.first else {
            throw ValidationError(
                "no engine data found here: run `tailor apply DIR` first, or pass --data-dir (or set TAILOR_DATA_DIR)")
        }
        guard found.count == 1 else {
            let list = found.map { $0.path }.joined(separator: ", ")
            throw ValidationError("several engine data folders found (\(list)); choose one with --data-dir")
        }
        return first
    }

    private func subfolders(of url: URL, depth: Int) -> [URL] {
        guard depth > 0 else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().flatMap { name -> [URL] in
            let child = url.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: child.path, isDirectory: &isDirectory), isDirectory.boolValue
            else { return [] }
            return [child] + subfolders(of: child, depth: depth - 1)
        }
    }

    /// Opens the embedded engine on `directory`, its jobs allowed to use the files under `--allow-path` folders
    /// and `alsoAllowed`; deleted resources stay visible `deletionDelay` seconds (`tailor serve`; 0 elsewhere), and
    /// a request waits at most `modelLoadWait` for its model to load (`tailor serve`; unbounded elsewhere).
    ///
    /// `TAILOR_NOW` (ISO 8601, e.g. `2030-01-01T12:00:00Z`, or Unix seconds) starts the engine's clock at
    /// that instant instead of now; it exists to test time-driven behaviour such as automatic training.
    func openEngine(
        at directory: URL, alsoAllowing alsoAllowed: [URL] = [], deletionDelay: Double = 0,
        modelLoadWait: Duration? = nil, listUsers: Int? = nil
    ) throws -> LocalEngine {
        var logger = Logger(label: "tailor.engine")
        logger.logLevel = verbose ? .info : .error
        let clock = try ShiftedClock(environment: ProcessInfo.processInfo.environment)
        var configuration = EngineConfiguration(dataDirectory: directory)
        configuration.allowedPaths = allowedPaths.map { URL(fileURLWithPath: $0, isDirectory: true) } + alsoAllowed
        configuration.s3 = try s3Configuration()
        configuration.deletionDelay = deletionDelay
        configuration.modelLoadWait = modelLoadWait
        if let listUsers { configuration.candidateLists.users = listUsers }
        return try LocalEngine(configuration: configuration, clock: clock, logger: logger)
    }

    /// A planner of `engine`: `s3://` import sources identified in the S3 store, and, for Amazon Personalize
    /// (`--endpoint aws`), jobs refused without an IAM role.
    func planner(_ engine: any PersonalizeService) throws -> Planner {
        Planner(
            service: engine, objects: try objectSources(), requiresRoles: remoteEndpoint == "aws",
            uploadsSources: remoteEndpoint != nil)
    }

    /// Where the planner identifies `s3://` import sources: the S3 store of ``s3Configuration(environment:)``.
    func objectSources() throws -> (any ObjectSources)? {
        try s3Configuration().map { S3ObjectSources(client: S3Client(configuration: $0)) }
    }

    /// The S3 store of `--s3-endpoint` (else `$TAILOR_S3_ENDPOINT`): nil when neither is set, AWS S3 for `aws`.
    func s3Configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> S3Configuration?
    {
        guard let endpoint = s3Endpoint ?? environment["TAILOR_S3_ENDPOINT"].flatMap({ $0.isEmpty ? nil : $0 })
        else { return nil }
        do {
            return try S3Configuration.standard(endpoint: endpoint == "aws" ? nil : endpoint, environment: environment)
        } catch {
            throw ValidationError("--s3-endpoint: \(error)")
        }
    }
}

/// The wall clock, moved to start at `$TAILOR_NOW` when that is set (for tests of scheduled work).
struct ShiftedClock: EngineClock {
    let offset: TimeInterval

    init(environment: [String: String]) throws {
        guard let value = environment["TAILOR_NOW"], !value.isEmpty else {
            offset = 0
            return
        }
        let formatter = ISO8601DateFormatter()
        guard let start = formatter.date(from: value) ?? Double(value).map(Date.init(timeIntervalSince1970:)) else {
            throw ValidationError(
                "TAILOR_NOW must be an ISO 8601 time such as 2030-01-01T12:00:00Z, or Unix seconds; got '\(value)'")
        }
        offset = start.timeIntervalSinceNow
    }

    func now() -> Date { Date().addingTimeInterval(offset) }
}
