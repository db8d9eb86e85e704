import ArgumentParser
import Engine
import EngineAPI
import EngineClient
import Foundation
import Logging
import Planner

extension EngineOptions {
    /// The engine that `workspace`'s manifests drive: a ``RemoteEngine`` with `--endpoint` (or
    /// `$TAILOR_ENDPOINT`), else the embedded engine in `--data-dir` when given, else in the environment's folder
    /// (`.tailor/engine`, or `.tailor/env/NAME/engine` with `--env NAME`). Its jobs may use the files under the
    /// manifests' folder (where the manifests' relative paths point) besides `--allow-path`.
    func openEngine(for workspace: Workspace) throws -> any PersonalizeService {
        if let remote = try openRemoteEngine() { return remote }
        return try PlannerErrors.reporting {
            try openEngine(
                at: dataDirectory.map { URL(fileURLWithPath: $0) } ?? workspace.engineDirectory,
                alsoAllowing: [workspace.directory])
        }
    }

    /// The remote engine `--endpoint` names, or nil when it names none.
    func openRemoteEngine() throws -> RemoteEngine? {
        guard let endpoint = remoteEndpoint else { return nil }
        if dataDirectory != nil {
            throw ValidationError("--data-dir and --endpoint exclude each other: the data lives where the endpoint is")
        }
        let url: URL?
        if endpoint.lowercased() == "aws" {
            url = nil
        } else {
            guard let parsed = URL(string: endpoint), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                parsed.host != nil
            else {
                throw ValidationError(
                    "--endpoint must be an http(s) URL such as http://127.0.0.1:8080, or aws; got '\(endpoint)'")
            }
            url = parsed
        }
        var logger = Logger(label: "tailor.remote")
        logger.logLevel = verbose ? .info : .error
        do {
            return try RemoteEngine(endpoint: url, logger: logger)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
