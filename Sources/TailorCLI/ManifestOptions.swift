import ArgumentParser
import Foundation
import Planner

/// The manifests folder that plan, apply, validate and destroy work on.
struct ManifestOptions: ParsableArguments {
    @Argument(help: "The folder of YAML manifests.", completion: .directory)
    var directory: String = "."

    var directoryURL: URL { URL(fileURLWithPath: directory).standardizedFileURL }

    /// Loads and validates the manifests, printing every diagnostic; exits 1 when there are errors.
    func load() throws -> ManifestSet {
        do {
            return try ManifestLoader.load(directory: directoryURL)
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            let count = error.diagnostics.count
            printError("\(count) error\(count == 1 ? "" : "s") in \(directory)")
            throw ExitCode.failure
        }
    }

    var stateStore: StateStore { StateStore(url: StateStore.defaultURL(forManifests: directoryURL)) }
}

/// Whether standard output is a terminal that wants colours (`NO_COLOR` turns them off).
enum Terminal {
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }
    static var colors: Bool { isInteractive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }
    static var inputIsInteractive: Bool { isatty(STDIN_FILENO) == 1 }
}
