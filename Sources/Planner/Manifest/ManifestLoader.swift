package import Foundation

/// Loads the manifests of a folder: every `*.yaml`/`*.yml` file below it (hidden folders such as `.tailor`
/// skipped), each a stream of YAML documents, validated as a whole.
package enum ManifestLoader {
    /// The only `apiVersion` this version understands.
    package static let apiVersion = "tailor/v1"

    /// Loads and validates every manifest under `directory`.
    ///
    /// - Parameter directory: The manifests' folder. Locations in diagnostics start with the path as given
    ///   (`examples/movielens/solutions.yaml:3:5`).
    /// - Returns: The validated resources.
    /// - Throws: ``DiagnosticsError`` listing every problem found, sorted by file and position.
    package static func load(directory: URL) throws(DiagnosticsError) -> ManifestSet {
        let root = directory.standardizedFileURL.path
        let display = displayPrefix(for: directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticsError([Diagnostic(at: .file(display), "manifest folder does not exist")])
        }
        let relativePaths = ((try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? [])
            .filter { path in
                (path.hasSuffix(".yaml") || path.hasSuffix(".yml"))
                    && !path.split(separator: "/").contains { $0.hasPrefix(".") }
            }
            .sorted()
        guard !relativePaths.isEmpty else {
            throw DiagnosticsError([Diagnostic(at: .file(display), "no manifests (*.yaml, *.yml) in this folder")])
        }
        var sources: [(text: String, file: String, directory: String)] = []
        var diagnostics: [Diagnostic] = []
        for relative in relativePaths {
            let absolute = URL(fileURLWithPath: root).appendingPathComponent(relative)
            let file = display.isEmpty ? relative : "\(display)/\(relative)"
            guard let data = FileManager.default.contents(atPath: absolute.path),
                let text = String(data: data, encoding: .utf8)
            else {
                diagnostics.append(Diagnostic(at: .file(file), "cannot read the file as UTF-8 text"))
                continue
            }
            sources.append((text, file, absolute.deletingLastPathComponent().path))
        }
        return try load(sources: sources, directory: root, diagnostics: diagnostics)
    }

    /// Loads manifests from texts (one per file), as ``load(directory:)`` does after reading the files.
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
