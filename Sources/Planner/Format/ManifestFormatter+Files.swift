import Foundation

/// `tailor fmt` over folders: every `*.yaml`/`*.yml` below them (hidden folders skipped).
extension ManifestFormatter {
    /// What formatting a set of files found.
    package struct Report: Sendable {
        /// The files whose layout is not (or was not) canonical, as named.
        package var changed: [String] = []
        /// The files that could not be formatted.
        package var diagnostics: [Diagnostic] = []
    }

    /// Formats every manifest file at or below `paths`.
    ///
    /// - Parameters:
    ///   - paths: Files or folders, as the user named them.
    ///   - write: Whether to rewrite files (false: only report, for `--check`).
    /// - Returns: The files not in canonical layout, and the problems found.
    package static func formatFiles(_ paths: [String], write: Bool) -> Report {
        var report = Report()
        for file in paths.flatMap(yamlFiles) {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else {
                report.diagnostics.append(Diagnostic(at: .file(file), "cannot read the file as UTF-8 text"))
                continue
            }
            do {
                let formatted = try format(text, file: file)
                guard formatted != text else { continue }
                report.changed.append(file)
                if write {
                    try AtomicFile.write(
                        Data(formatted.utf8), toPath: URL(fileURLWithPath: file).standardizedFileURL.path)
                }
            } catch let error as DiagnosticsError {
                report.diagnostics += error.diagnostics
            } catch {
                report.diagnostics.append(Diagnostic(at: .file(file), "cannot write the file: \(error)"))
            }
        }
        return report
    }

    private static func yamlFiles(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [path] }
        guard isDirectory.boolValue else { return [path] }
        let prefix = path == "." ? "" : (path.hasSuffix("/") ? path : path + "/")
        return ((try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? [])
            .filter {
                ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml"))
                    && !$0.split(separator: "/").contains { $0.hasPrefix(".") }
            }
            .sorted().map { prefix + $0 }
    }
}
