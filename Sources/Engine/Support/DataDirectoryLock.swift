package import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on a data folder: one engine process at a time owns its database and
/// model files, so recovery after a crash can never mistake a live job for an interrupted one.
package final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock, or throws naming the process that holds it.
    ///
    /// - Throws: ``EngineError/dataDirectoryInUse(_:holder:)``.
    package init(directory: URL) throws {
        let path = directory.appendingPathComponent("engine.lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw EngineError.cannotOpenDataDirectory(directory.path, reason: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw EngineError.dataDirectoryInUse(directory.path, holder: holder ?? "unknown")
        }
        ftruncate(fd, 0)
        let note = "pid \(getpid())\n"
        _ = note.withCString { write(fd, $0, strlen($0)) }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
