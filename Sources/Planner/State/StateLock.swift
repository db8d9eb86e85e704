import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a state file: the lock file `<state>.lock` holds the holder's ``LockInfo``, and an
/// advisory `flock` on it is held while the lock is. The kernel releases the `flock` when the holder dies,
/// so a process killed with SIGKILL never leaves a lock that blocks the next run; a live holder's lock
/// refuses everyone else with its details.
final class StateLock: Sendable {
    /// The lock file.
    let path: String
    /// What this process recorded in it.
    let info: LockInfo
    private let descriptor: Int32

    private init(path: String, info: LockInfo, descriptor: Int32) {
        self.path = path
        self.info = info
        self.descriptor = descriptor
    }

    /// Takes the lock, or throws ``StateError/locked(file:holder:)`` with the holder's details.
    ///
    /// - Parameters:
    ///   - path: The lock file.
    ///   - info: What to record in it.
    static func acquire(path: String, info: LockInfo) throws(StateError) -> StateLock {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // A holder that releases unlinks the file; if we locked the unlinked file, try again on the new one.
        for _ in 0..<10 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .io(file: path, reason: "cannot open the lock file: \(Self.errnoText())") }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let reason = errno
                let holder = FileManager.default.contents(atPath: path).flatMap(LockInfo.decode)
                close(fd)
                guard reason == EWOULDBLOCK else {
                    throw .io(file: path, reason: "cannot lock: \(String(cString: strerror(reason)))")
                }
                throw .locked(file: path, holder: holder)
            }
            guard Self.isSameFile(fd, path) else {
                close(fd)
                continue
            }
            let data = info.encoded()
            ftruncate(fd, 0)
            let written = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            guard written == data.count else {
                close(fd)
                throw .io(file: path, reason: "cannot write the lock file: \(Self.errnoText())")
            }
            _ = fsync(fd)
            return StateLock(path: path, info: info, descriptor: fd)
        }
        throw .io(file: path, reason: "the lock file keeps changing; another process is taking and releasing it")
    }

    /// Releases the lock: removes the lock file (if it is still ours) and drops the `flock`.
    func release() {
        if Self.isSameFile(descriptor, path) { unlink(path) }
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Who holds the lock on `path`, if anyone (a lock file whose holder died is not held).
    static func holder(path: String) -> (info: LockInfo?, held: Bool)? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let info = FileManager.default.contents(atPath: path).flatMap(LockInfo.decode)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return (info, false) }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return (info, false)
        }
        return (info, true)
    }

    private static func isSameFile(_ fd: Int32, _ path: String) -> Bool {
        var open = stat()
        var named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
