import Foundation

/// Reads the files of a manifests folder once each: their YAML documents, a digest of each (a saved plan's
/// inputs), and the folder of each (where relative paths in it start).
struct SourceReader {
    /// The manifests' root folder, absolute.
    let root: String
    /// The root as the user named it ("" for the current folder), for locations.
    let display: String
    private(set) var diagnostics: [Diagnostic] = []
    /// `sha256:` of every file read, by path relative to the root (or as given, outside it).
    private(set) var digests: [String: String] = [:]
    /// The absolute folder of every file read, by its path as locations name it.
    private(set) var folders: [String: String] = [:]
    /// The bytes read so far, against ``ManifestLimits/totalBytes``.
    private var bytesRead = 0

    init(root: String, display: String) {
        self.root = root
        self.display = display
    }

    /// The path locations use for a file relative to the root.
    func file(_ relative: String) -> String {
        display.isEmpty ? relative : "\(display)/\(relative)"
    }

    /// The documents of the file at `relative` (to the root); empty when it cannot be read (reported).
    mutating func documents(_ relative: String) -> [YAMLNode] {
        documents(absolute: "\(root)/\(relative)", file: file(relative), key: relative)
    }

    /// The documents of the file at `absolute`, named `file` in locations and `key` among the digests.
    mutating func documents(absolute: String, file: String, key: String) -> [YAMLNode] {
        let start = SourceLocation(file: file, line: 1, column: 1)
        let size: Int?
        do {
            size = try RegularFile.size(atPath: absolute)
        } catch {
            diagnostics.append(Diagnostic(at: start, "cannot read the file: \(error)"))
            return []
        }
        if let size, size > ManifestLimits.fileBytes {
            diagnostics.append(Diagnostic(at: start, YAMLConverter.tooLarge(size)))
            return []
        }
        bytesRead += size ?? 0
        guard bytesRead <= ManifestLimits.totalBytes else {
            diagnostics.append(
                Diagnostic(
                    at: start,
                    "the manifests, project and values files read so far have more than "
                        + "\(ManifestLimits.describe(bytes: ManifestLimits.totalBytes)); this file is not read"))
            return []
        }
        guard let data = FileManager.default.contents(atPath: absolute), data.count <= ManifestLimits.fileBytes else {
            diagnostics.append(Diagnostic(at: .file(file), "cannot read the file"))
            return []
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.append(Diagnostic(at: .file(file), "cannot read the file as UTF-8 text"))
            return []
        }
        digests[key] = SpecHash.digest(data)
        folders[file] = (absolute as NSString).deletingLastPathComponent
        let parsed = YAMLNode.documents(in: text, file: file)
        diagnostics += parsed.diagnostics
        return parsed.documents.compactMap { $0 }
    }

    /// The `*.yaml`/`*.yml` files at or below `relative` (a folder or a file), sorted, hidden folders skipped,
    /// without those at or below `excluded` paths.
    func yamlFiles(under relative: String, excluding excluded: Set<String>) -> [String] {
        let start = Self.normalise(relative)
        let absolute = start.isEmpty ? root : "\(root)/\(start)"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else { return [] }
        let candidates: [String]
        if isDirectory.boolValue {
            candidates = ((try? FileManager.default.subpathsOfDirectory(atPath: absolute)) ?? []).map {
                start.isEmpty ? $0 : "\(start)/\($0)"
            }
        } else {
            candidates = [start]
        }
        return candidates.filter { path in
            (path.hasSuffix(".yaml") || path.hasSuffix(".yml"))
                && !path.split(separator: "/").contains { $0.hasPrefix(".") }
                && !excluded.contains { path == $0 || path.hasPrefix($0 + "/") }
        }.sorted()
    }

    /// Whether `relative` names something that exists.
    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(root)/\(Self.normalise(relative))")
    }

    /// Reports a problem.
    mutating func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// `./base/` as `base`; `.` as the empty path.
    static func normalise(_ path: String) -> String {
        var parts = path.split(separator: "/").filter { $0 != "." }.map(String.init)
        while parts.last == "" { parts.removeLast() }
        return parts.joined(separator: "/")
    }
}
