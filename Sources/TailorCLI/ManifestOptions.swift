import ArgumentParser
import Foundation
import Planner

/// The manifests folder that plan, apply, validate and destroy work on, and the environment to template it for.
struct ManifestOptions: ParsableArguments {
    @Argument(help: "The folder of YAML manifests.", completion: .directory)
    var directory: String = "."

    @Option(
        name: .customLong("env"),
        help: "The environment (declared in tailor.yaml): selects its values, overlays, state and lock together.")
    var environment: String?

    @Option(name: .customLong("var"), help: "Set a variable: NAME=VALUE (repeatable; wins over values files).")
    var variables: [VariableArgument] = []

    @Option(name: .customLong("var-file"), help: "A values file (repeatable; wins over the environment's).")
    var variableFiles: [String] = []

    @OptionGroup var stateOptions: StateOptions

    var directoryURL: URL { URL(fileURLWithPath: directory).standardizedFileURL }

    /// How to template the manifests.
    var loadOptions: LoadOptions {
        LoadOptions(
            environment: environment, variables: variables.map(\.value), variableFiles: variableFiles,
            processEnvironment: ProcessInfo.processInfo.environment)
    }

    /// Loads and validates the manifests, printing every diagnostic; exits 1 when there are errors.
    func load() throws -> ManifestSet {
        do {
            let set = try ManifestLoader.load(directory: URL(fileURLWithPath: directory), options: loadOptions)
            for warning in set.warnings { printError(warning.description) }
            return set
        } catch {
            for diagnostic in error.diagnostics { printError(diagnostic.description) }
            let count = error.diagnostics.filter { $0.severity == .error }.count
            printError("\(count) error\(count == 1 ? "" : "s") in \(directory)")
            throw ExitCode.failure
        }
    }

    /// The folder and environment: where state, its lock and the engine's data live.
    var workspace: Workspace { Workspace(directory: directoryURL, environment: environment) }

    /// The state: `--state-url`, `tailor.yaml`'s `spec.state` or the environment's state file.
    func stateBackend() throws -> any StateBackend {
        try stateOptions.backend(for: workspace)
    }
}

/// `--var NAME=VALUE`.
struct VariableArgument: ExpressibleByArgument {
    let value: VariableOverride

    init?(argument: String) {
        guard let value = VariableOverride(argument) else { return nil }
        self.value = value
    }

    static var defaultValueDescription: String { "NAME=VALUE" }
}

/// Whether standard output is a terminal that wants colours (`NO_COLOR` turns them off).
enum Terminal {
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }
    static var colors: Bool { isInteractive && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }
    static var inputIsInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Asks `question` on the terminal and returns only when the answer is `yes`.
    ///
    /// - Parameters:
    ///   - question: The prompt, without the "Only 'yes' will be accepted" that follows it.
    ///   - canAsk: Whether there is someone to ask (standard input is a terminal, and so on).
    ///   - refusal: The error printed when `canAsk` is false.
    ///   - command: The command named in "`command` cancelled." when the answer is not `yes`.
    /// - Throws: `ExitCode.failure` when it cannot ask or the answer is not `yes`.
    static func requireYes(_ question: String, canAsk: Bool, refusal: String, command: String) throws {
        guard canAsk else {
            printError(refusal)
            throw ExitCode.failure
        }
        print("\(question) Only 'yes' will be accepted: ", terminator: "")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            printError("\(command) cancelled.")
            throw ExitCode.failure
        }
    }
}
