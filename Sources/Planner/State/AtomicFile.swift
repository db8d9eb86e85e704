import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Crash-safe file replacement: write a temporary file in the same folder, fsync it, rename it over the
/// target, then fsync the folder. A reader sees the old content or the new, never a mix.
enum AtomicFile {
    /// Replaces the file at `path` with `data`.
    ///
    /// - Parameters:
    ///   - data: The new content.
    ///   - path: The file to replace (its folder is created if missing).
    /// - Throws: A message naming the step that failed.
    static func write(_ data: Data, toPath path: String) throws(AtomicFileError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw AtomicFileError("cannot create folder \(folder): \(error.localizedDescription)")
        }
        let name = (path as NSString).lastPathComponent
        let temporary = "\(folder)/.\(name).tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
        do {
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw AtomicFileError("cannot create \(temporary): \(errnoText())")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            defer { try? handle.close() }
            try handle.synchronize()
        } catch {
            unlink(temporary)
            throw error as? AtomicFileError
                ?? AtomicFileError("cannot write \(temporary): \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw AtomicFileError("cannot rename \(temporary) to \(path): \(reason)")
        }
        let folderDescriptor = open(folder, O_RDONLY)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

/// A failed atomic write, with the step and the system's reason.
struct AtomicFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
