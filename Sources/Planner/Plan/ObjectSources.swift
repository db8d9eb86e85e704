import Foundation
package import ObjectStore
import SigV4

/// What the planner reads of an `s3://` source: its identity, which changes when the object does, so that a
/// changed object imports again as a changed local file does.
package protocol ObjectSources: Sendable {
    /// `sha256:` of the object's location, ETag and size (read with a HEAD request).
    ///
    /// - Throws: ``PlannerError``-ready text: a missing object or bucket, refused credentials, an unreachable store.
    func identity(of uri: String, selecting suffixes: [String], recursive: Bool) async throws -> String

    /// Uploads the local file at `path` to `uri` unless an object is already there; returns whether it uploaded.
    func upload(_ path: String, to uri: String) async throws -> Bool

    /// Copies every object below the prefix `uri` into the local folder `directory` (created if missing), each at
    /// its key relative to the prefix; returns the paths written. A key that is not a plain relative path (an
    /// empty, `.` or `..` component) is refused, and nothing is written outside `directory`.
    func download(_ uri: String, into directory: String) async throws -> [String]
}

extension ObjectSources {
    /// The identity of an import source: the `.csv` objects directly under a prefix.
    func identity(of uri: String) async throws -> String {
        try await identity(of: uri, selecting: [".csv"], recursive: false)
    }
}

/// ``ObjectSources`` of an S3 store.
package struct S3ObjectSources: ObjectSources {
    let client: S3Client

    package init(client: S3Client) {
        self.client = client
    }

    /// For an object, its ETag and size; for a prefix (a key ending in `/`, or one with no object of that name),
    /// the keys, ETags and sizes of the objects with one of `suffixes` directly under it (or below it, when
    /// `recursive`), which is what the engine reads.
    package func identity(of uri: String, selecting suffixes: [String], recursive: Bool) async throws -> String {
        guard let location = S3Location(uri) else { throw ObjectSourceError("\(uri) is not an s3://bucket/key URI") }
        let objects: [S3Object]
        do {
            objects = try await client.selection(at: location, suffixes: suffixes, recursive: recursive).objects
        } catch let error as S3Error {
            throw ObjectSourceError("\(uri): \(error.code) (\(error.message))")
        }
        guard !objects.isEmpty else { throw ObjectSourceError("no object at \(uri)") }
        let listing = objects.map { "\($0.location.key)\n\($0.etag)\n\($0.size)" }.joined(separator: "\n")
        return "sha256:" + SigV4.sha256Hex(Array("\(uri)\n\(listing)".utf8))
    }
}

extension S3ObjectSources {
    package func upload(_ path: String, to uri: String) async throws -> Bool {
        guard let location = S3Location(uri) else { throw ObjectSourceError("\(uri) is not an s3://bucket/key URI") }
        do {
            if try await client.head(location) != nil { return false }
            try await client.upload(file: path, to: location)
            return true
        } catch let error as S3Error {
            throw ObjectSourceError("cannot upload \(path) to \(uri): \(error.code) (\(error.message))")
        }
    }
}

extension S3ObjectSources {
    package func download(_ uri: String, into directory: String) async throws -> [String] {
        guard var prefix = S3Location(uri) else { throw ObjectSourceError("\(uri) is not an s3://bucket/key URI") }
        if !prefix.isPrefix { prefix.key += "/" }
        let objects: [S3Object]
        do {
            objects = try await client.list(prefix, recursive: true, maximumObjects: Self.maximumDownloadObjects)
        } catch let error as S3Error {
            throw ObjectSourceError("cannot list \(prefix): \(error.code) (\(error.message))")
        }
        // Check every key before writing anything: a hostile listing writes nothing.
        var files: [(object: S3Object, components: [Substring])] = []
        for object in objects where object.location.key != prefix.key {
            let components = object.location.key.dropFirst(prefix.key.count).split(
                separator: "/", omittingEmptySubsequences: false)
            guard components.allSatisfy({ !["", ".", ".."].contains($0) && !$0.contains("\0") }) else {
                throw ObjectSourceError(
                    "refusing to download \(object.location): its key is not a plain path below \(prefix)")
            }
            files.append((object, components))
        }
        var written: [String] = []
        for (object, components) in files {
            var folder = URL(fileURLWithPath: directory, isDirectory: true)
            for component in components.dropLast() { folder.appendPathComponent(String(component), isDirectory: true) }
            let target = folder.appendingPathComponent(String(components[components.count - 1]))
            let partial = folder.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).part")
            do {
                // A link already in the folder (`part -> /elsewhere`) must not carry the file out of it: checked
                // before any folder is created through it.
                guard LocalFolder.contains(directory, folder.path) else {
                    throw ObjectSourceError(
                        "refusing to download \(object.location): \(folder.path) leads outside \(directory)")
                }
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                _ = try await client.download(object.location, to: partial.path, maximumBytes: Self.maximumObjectBytes)
                // The whole object, or the previous file: a download killed midway leaves at most a .part file.
                guard rename(partial.path, target.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    unlink(partial.path)
                    throw ObjectSourceError("cannot write \(target.path): \(reason)")
                }
            } catch let error as S3Error {
                throw ObjectSourceError("cannot download \(object.location): \(error.code) (\(error.message))")
            } catch let error as ObjectSourceError {
                throw error
            } catch {
                throw ObjectSourceError("cannot write into \(folder.path): \(error.localizedDescription)")
            }
            written.append(target.path)
        }
        return written
    }

    /// At most this many objects per download (a job writes one per input file, or a few parts).
    static let maximumDownloadObjects = 100_000
    /// At most this many bytes per object.
    static let maximumObjectBytes: Int64 = 1 << 40
}

/// Containment of local paths, links resolved: what a download may write.
enum LocalFolder {
    /// Whether `path` is `root` or lies below it once every link of its existing part is resolved (the part that
    /// does not exist yet has no links to follow).
    static func contains(_ root: String, _ path: String) -> Bool {
        guard let base = resolved(root) else { return false }
        guard let target = resolved(path) else { return false }
        return target == base || target.hasPrefix(base.hasSuffix("/") ? base : base + "/")
    }

    /// `path` with its deepest existing ancestor replaced by that ancestor's real path.
    private static func resolved(_ path: String) -> String? {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var missing: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) {
            guard existing.path != "/" else { return nil }
            missing.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        guard let real = realpath(existing.path, nil) else { return nil }
        defer { free(real) }
        var result = URL(fileURLWithPath: String(cString: real))
        for component in missing { result.appendPathComponent(component) }
        return result.standardizedFileURL.path
    }
}

/// Why the identity of an `s3://` source could not be read.
package struct ObjectSourceError: Error, CustomStringConvertible {
    package let description: String

    init(_ description: String) { self.description = description }
}
