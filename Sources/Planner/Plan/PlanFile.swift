package import Foundation

/// A saved plan (`tailor plan -out FILE`): versioned JSON binding what was reviewed to what it was planned
/// against, so `tailor apply FILE` applies exactly that or refuses, saying what moved on.
///
/// It records the state's lineage and serial (and a digest of each entry), a digest of every input (manifest,
/// project and values files, import data), the options and variables, and each change with secrets already
/// replaced by digests. It never holds a secret: `apply FILE` reads `${env.X}` again and re-plans, then checks
/// that the new plan is the one saved.
package struct PlanFile: Codable, Sendable, Hashable {
    /// The newest version this Tailor reads and the one it writes.
    package static let currentVersion = 1

    /// `tailor-plan`, so a wrong file is recognised.
    package var format: String
    /// The file format's version.
    package var version: Int
    /// The Tailor that wrote it.
    package var tailorVersion: String
    /// The manifests' folder as given on the command line (relative to the working directory).
    package var directory: String
    /// The environment (`--env`).
    package var environment: String?
    /// The variables set on the command line (`--var`), which apply needs again (secrets left out: apply
    /// reads them again from the environment).
    package var variables: [String: String]
    /// The values files given on the command line (`--var-file`).
    package var variableFiles: [String]
    /// How the plan was made.
    package var options: PlanOptions
    /// Whether it destroys everything.
    package var isDestroy: Bool
    /// The state it was planned against.
    package var state: StateStamp
    /// A digest of every input, keyed by path relative to the manifests' folder.
    package var inputs: [String: String]
    /// Whether applying it changes anything.
    package var hasChanges: Bool
    /// The changes, as reviewed.
    package var changes: [PlannedChange]
    /// The drift found by the refresh.
    package var drift: [PlannedChange]

    /// The state a plan was made against.
    package struct StateStamp: Codable, Sendable, Hashable {
        package var lineage: String?
        package var serial: Int
        /// A digest of each entry, keyed by address.
        package var entries: [String: String]
    }

    /// One change as reviewed: what `apply FILE` compares with a fresh plan.
    package struct PlannedChange: Codable, Sendable, Hashable {
        package var address: String
        package var deposed: String?
        package var actions: [String]
        package var reason: String?
        package var fields: [FieldChange]
        package var steps: [ManagedStep]

        init(_ change: ResourceChange) {
            address = change.address.description
            deposed = change.deposed
            actions = PlanJSON.actions(change)
            reason = change.reason?.rawValue
            fields = change.fields
            steps = change.steps
        }

        /// `solution/top-picks: update` for messages.
        var summary: String {
            "\(address)\(deposed.map { " (deposed \($0))" } ?? ""): \(actions.joined(separator: ", "))"
        }
    }

    /// The saved form of `plan`.
    ///
    /// - Parameters:
    ///   - plan: The plan.
    ///   - directory: The manifests' folder as the user named it.
    ///   - environment: The environment.
    ///   - variables: The `--var` values.
    package init(
        plan: Plan, directory: String, environment: String? = nil, variables: [VariableOverride] = [],
        variableFiles: [String] = []
    ) {
        format = "tailor-plan"
        version = Self.currentVersion
        tailorVersion = TailorVersion.current
        self.directory = directory
        self.environment = environment
        self.variables = Dictionary(
            variables.filter { plan.variables[$0.name] != .string(Redaction.placeholder) }.map { ($0.name, $0.value) }
        ) { _, last in last }
        self.variableFiles = variableFiles
        options = plan.options
        isDestroy = plan.isDestroy
        state = StateStamp(lineage: plan.priorLineage, serial: plan.priorSerial, entries: plan.priorDigests)
        inputs = plan.inputs
        hasChanges = plan.hasChanges
        changes = plan.changes.map(PlannedChange.init)
        drift = plan.drift.map(PlannedChange.init)
    }

    /// The file's bytes: pretty JSON with sorted keys.
    package func encoded() -> Data {
        Data(PrettyJSON.string(encodable: self).utf8)
    }

    /// Reads the saved plan at `path` (a regular file of at most ``StateLimits/fileBytes``).
    ///
    /// - Throws: ``PlanFileError`` when the file cannot be read, is not a saved plan, or is a newer version.
    package static func read(atPath path: String) throws(PlanFileError) -> PlanFile {
        let data: Data?
        do {
            data = try RegularFile.contents(atPath: path, maximumBytes: StateLimits.fileBytes)
        } catch {
            throw .corrupt(file: path, reason: error.description)
        }
        guard let data else { throw .corrupt(file: path, reason: "the file cannot be read") }
        return try decode(data, file: path)
    }

    /// Reads a saved plan.
    ///
    /// - Throws: ``PlanFileError`` when the file is not a saved plan, or a newer version.
    package static func decode(_ data: Data, file: String) throws(PlanFileError) -> PlanFile {
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        if let problem = StateLimits.problem(with: data) { throw .corrupt(file: file, reason: problem) }
        guard let header = try? JSONDecoder().decode(Header.self, from: data), header.format == "tailor-plan",
            let version = header.version
        else { throw .notAPlan(file: file) }
        guard version <= currentVersion else {
            throw .unsupportedVersion(file: file, version: version, highestSupported: currentVersion)
        }
        do {
            return try JSONDecoder().decode(PlanFile.self, from: data)
        } catch {
            throw .corrupt(file: file, reason: "\(error)")
        }
    }
}

/// Why a saved plan cannot be read.
package enum PlanFileError: Error, Sendable, Hashable, CustomStringConvertible {
    case notAPlan(file: String)
    case unsupportedVersion(file: String, version: Int, highestSupported: Int)
    case corrupt(file: String, reason: String)

    package var description: String {
        switch self {
        case .notAPlan(let file): "\(file) is not a saved plan (write one with `tailor plan -out FILE`)"
        case .unsupportedVersion(let file, let version, let highest):
            "\(file) is a version \(version) plan, but this Tailor reads versions up to \(highest); upgrade Tailor"
        case .corrupt(let file, let reason): "\(file) is not a readable saved plan: \(reason)"
        }
    }
}
