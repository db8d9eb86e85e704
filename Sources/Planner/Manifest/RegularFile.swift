import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a manifest's paths may name when the planner reads them (manifests, import sources, batch inputs):
/// regular files only, so a path to a device or a named pipe (`/dev/zero`, `/dev/stdin`, a FIFO) cannot make
/// `validate` or `plan` read forever or block.
enum RegularFile {
    /// Why a path is not a regular file.
    struct Refusal: Error, LocalizedError, CustomStringConvertible {
        /// What the path names instead ("a device", "a named pipe", ...).
        var what: String

        var description: String { "it is \(what), not a regular file" }
        var errorDescription: String? { description }
    }

    /// The size of the file at `path` (symbolic links followed), nil when nothing is there.
    ///
    /// - Throws: ``Refusal`` when `path` names something other than a regular file.
    static func size(atPath path: String) throws(Refusal) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return Int(clamping: info.st_size)
        case S_IFDIR: throw Refusal(what: "a folder")
        case S_IFCHR, S_IFBLK: throw Refusal(what: "a device")
        case S_IFIFO: throw Refusal(what: "a named pipe")
        case S_IFSOCK: throw Refusal(what: "a socket")
        default: throw Refusal(what: "a special file")
        }
    }
}
