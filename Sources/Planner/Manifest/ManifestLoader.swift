package import Foundation

/// Loads the manifests of a folder: every `*.yaml`/`*.yml` file below it (hidden folders such as `.tailor`
/// skipped), each a stream of YAML documents, validated as a whole. With a `tailor.yaml` project file, the
/// selected environment's values and overlays apply and `${...}` references are interpolated first.
package enum ManifestLoader {
    /// The only `apiVersion` this version understands.
    package static let apiVersion = "tailor/v1"

    /// Loads and validates every manifest under `directory`.
    ///
    /// - Parameters:
    ///   - directory: The manifests' folder. Locations in diagnostics start with the path as given
    ///     (`examples/movielens/solutions.yaml:3:5`).
    ///   - options: The environment, variables and process environment to template with.
    /// - Returns: The validated resources.
    /// - Throws: ``DiagnosticsError`` listing every problem found, sorted by file and position.
    package static func load(directory: URL, options: LoadOptions = LoadOptions()) throws(DiagnosticsError)
        -> ManifestSet
    {
        try PatternMatcher.withBudget { () throws(DiagnosticsError) in try loadFolder(directory, options: options) }
    }

    private static func loadFolder(_ directory: URL, options: LoadOptions) throws(DiagnosticsError) -> ManifestSet {
        let root = directory.standardizedFileURL.path
        let display = displayPrefix(for: directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticsError([Diagnostic(at: .file(display), "manifest folder does not exist")])
        }
        var reader = SourceReader(root: root, display: display)
        if FileManager.default.fileExists(atPath: "\(root)/\(Project.fileName)") {
            guard let project = readProject(&reader) else { throw DiagnosticsError(reader.diagnostics) }
            var loader = ProjectLoader(project: project, reader: reader, options: options)
            return try loader.load()
        }
        guard options.environment == nil else {
            throw DiagnosticsError([
                Diagnostic(
                    at: .file(reader.file(Project.fileName)),
                    "--env \(options.environment ?? "") needs a \(Project.fileName) that declares environments")
            ])
        }
        var loader = ProjectLoader(project: nil, reader: reader, options: options)
        return try loader.load()
    }

    /// Reads only the project file of `directory`, for the commands that do not load the manifests (the state
    /// commands need its `spec.state`).
    ///
    /// - Parameter directory: The manifests' root folder.
    /// - Returns: The project; nil when the folder has no `tailor.yaml`.
    /// - Throws: ``DiagnosticsError`` when the project file has problems.
    package static func project(in directory: URL) throws(DiagnosticsError) -> Project? {
        try PatternMatcher.withBudget { () throws(DiagnosticsError) in try readProject(in: directory) }
    }

    private static func readProject(in directory: URL) throws(DiagnosticsError) -> Project? {
        let root = directory.standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: "\(root)/\(Project.fileName)") else { return nil }
        var reader = SourceReader(root: root, display: displayPrefix(for: directory))
        guard let project = readProject(&reader), !reader.diagnostics.containsErrors else {
            throw DiagnosticsError(reader.diagnostics)
        }
        return project
    }

    private static func readProject(_ reader: inout SourceReader) -> Project? {
        guard let node = reader.documents(Project.fileName).first else {
            if reader.diagnostics.isEmpty {
                reader.report(
                    Diagnostic(
                        at: SourceLocation(file: reader.file(Project.fileName), line: 1, column: 1),
                        "the project file is empty"))
            }
            return nil
        }
        let parsed = Project.parse(node)
        parsed.diagnostics.forEach { reader.report($0) }
        return parsed.project
    }

    /// Loads manifests from texts (one per file), as ``load(directory:options:)`` does after reading the files.
    ///
    /// - Parameters:
    ///   - sources: Each file's text, its path for locations and its absolute folder (where relative import
    ///     sources start).
    ///   - directory: The manifests' root folder (the default place of the state file).
    ///   - diagnostics: Problems already found (unreadable files).
    /// - Returns: The validated resources.
    /// - Throws: ``DiagnosticsError`` listing every problem found.
    package static func load(
        sources: [(text: String, file: String, directory: String)], directory: String, diagnostics: [Diagnostic] = []
    ) throws(DiagnosticsError) -> ManifestSet {
        var diagnostics = diagnostics
        var documents: [ManifestDocument] = []
        for source in sources {
            let parsed = YAMLNode.documents(in: source.text, file: source.file)
            diagnostics += parsed.diagnostics
            for case let node? in parsed.documents {
                let document = ManifestDocument.parse(node, directory: source.directory)
                diagnostics += document.diagnostics
                documents.append(document)
            }
        }
        var linker = ManifestLinker(documents: documents)
        let resources = linker.link()
        diagnostics += linker.diagnostics
        guard !diagnostics.containsErrors else { throw DiagnosticsError(diagnostics) }
        return ManifestSet(resources: resources, directory: directory, warnings: diagnostics.sortedByLocation())
    }

    /// The folder as the user named it, without a trailing slash; empty for `.`.
    private static func displayPrefix(for directory: URL) -> String {
        var path = directory.relativePath
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path == "." ? "" : path
    }
}

/// How to template the manifests: the environment and the variables set on the command line.
package struct LoadOptions: Sendable, Hashable {
    /// `--env NAME`.
    package var environment: String?
    /// `--var NAME=VALUE`, in order.
    package var variables: [VariableOverride]
    /// `--var-file FILE`, in order (paths as given).
    package var variableFiles: [String]
    /// The process environment: `${env.X}` and `TAILOR_VAR_NAME`.
    package var processEnvironment: [String: String]

    package init(
        environment: String? = nil, variables: [VariableOverride] = [], variableFiles: [String] = [],
        processEnvironment: [String: String] = [:]
    ) {
        self.environment = environment
        self.variables = variables
        self.variableFiles = variableFiles
        self.processEnvironment = processEnvironment
    }
}

/// `--var NAME=VALUE`.
package struct VariableOverride: Sendable, Hashable, Codable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Parses `NAME=VALUE`.
    package init?(_ argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        self.init(name: String(argument[..<equals]), value: String(argument[argument.index(after: equals)...]))
    }
}
