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

    /// Why a bounded file (state, saved plan) could not be read whole.
    enum ReadFailure: Error, CustomStringConvertible {
        /// The path names something other than a regular file.
        case notRegular(Refusal)
        /// The file has more bytes than the reader takes.
        case tooLarge(bytes: Int, limit: Int)
        /// The file is there but its bytes could not be read.
        case unreadable

        var description: String {
            switch self {
            case .notRegular(let refusal): refusal.description
            case .tooLarge(let bytes, let limit):
                "it has \(bytes) bytes; Tailor reads at most \(ManifestLimits.describe(bytes: limit))"
            case .unreadable: "the file cannot be read"
            }
        }
    }

    /// The bytes of the regular file at `path`, at most `maximumBytes` of them; nil when nothing is there.
    ///
    /// - Throws: ``ReadFailure`` when `path` is not a regular file, is larger than `maximumBytes` (also when it
    ///   grew between the check and the read), or cannot be read.
    static func contents(atPath path: String, maximumBytes: Int) throws(ReadFailure) -> Data? {
        let size: Int?
        do {
            size = try self.size(atPath: path)
        } catch {
            throw .notRegular(error)
        }
        guard let size else { return nil }
        guard size <= maximumBytes else { throw .tooLarge(bytes: size, limit: maximumBytes) }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable }
        guard data.count <= maximumBytes else { throw .tooLarge(bytes: data.count, limit: maximumBytes) }
        return data
    }
}
