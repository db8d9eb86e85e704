package import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Model artifacts as files in `models/`, each written completely before it becomes visible
/// (temporary file, fsync, rename, fsync of the folder), so a crash never leaves half a model.
package struct ModelStore: Sendable {
    package let directory: URL

    package init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        where name.hasSuffix(".partial") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// The file of the model trained by `solutionVersionArn`.
    package func url(for solutionVersionArn: String) -> URL {
        let safe = solutionVersionArn.split(separator: ":").last.map(String.init) ?? solutionVersionArn
        return directory.appendingPathComponent(safe.replacingOccurrences(of: "/", with: "_") + ".model")
    }

    /// Writes `bytes` as the model of `solutionVersionArn`, atomically and durably.
    ///
    /// - Throws: ``ModelStoreError`` when the file system refuses.
    package func write(_ bytes: [UInt8], for solutionVersionArn: String) throws {
        let target = url(for: solutionVersionArn)
        let partial = target.appendingPathExtension("partial")
        let fd = open(partial.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ModelStoreError(path: partial.path, errno: errno) }
        let ok = writeAll(fd, bytes) && fsync(fd) == 0
        let savedErrno = errno
        close(fd)
        guard ok else { throw ModelStoreError(path: partial.path, errno: savedErrno) }
        guard rename(partial.path, target.path) == 0 else { throw ModelStoreError(path: target.path, errno: errno) }
        let directoryDescriptor = open(directory.path, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    package func read(for solutionVersionArn: String) throws -> [UInt8] {
        // Read straight into the array: a model is loaded while a server may already be busy, and a copy through
        // `Data` would hold the file twice at the peak of the load.
        let path = url(for: solutionVersionArn).path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ModelStoreError(path: path, errno: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw ModelStoreError(path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ModelStoreError(path: path, errno: EINVAL) }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size, let base = buffer.baseAddress {
                let count = readBytes(descriptor, base + offset, size - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    failure = count < 0 ? errno : 0
                    break
                }
                offset += count
            }
            initialized = offset
        }
        guard failure == 0 else { throw ModelStoreError(path: path, errno: failure) }
        return bytes
    }

    package func remove(for solutionVersionArn: String) {
        try? FileManager.default.removeItem(at: url(for: solutionVersionArn))
    }
}

/// A model file that could not be written or read.
package struct ModelStoreError: Error, CustomStringConvertible {
    package let path: String
    package let errno: Int32
    package var description: String { "model file \(path): \(String(cString: strerror(errno)))" }
}

/// The system's `read(2)` (inside `ModelStore`, `read` is the store's own method).
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Writes every byte of `bytes` to `fd`; false on an error.
private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return true }
        var written = 0
        while written < buffer.count {
            let result = write(fd, base + written, buffer.count - written)
            if result <= 0 { return false }
            written += result
        }
        return true
    }
}
