#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File operations confined to one allowed root folder: every path is opened one component at a time from the
/// root's descriptor, never following a symbolic link, so that nothing swapped in after a check can lead out of
/// the root.
///
/// Paths are given as components below the root (no `.`, `..` or empty components: ``UserDataStore`` resolves
/// them first). Every function returns a descriptor the caller closes, or throws ``BeneathRootError``.
enum BeneathRoot {
    /// Opens the folder `components` below `root` (the root itself for none), creating the missing ones (mode
    /// 0755) when `creating`.
    static func openFolder(
        _ root: String, _ components: some Collection<String>, creating: Bool = false
    ) throws(BeneathRootError) -> Int32 {
        var folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw .system(errno) }
        for component in components {
            if creating, mkdirat(folder, component, 0o755) != 0, errno != EEXIST {
                let failure = errno
                close(folder)
                throw .system(failure)
            }
            let next = openat(folder, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let failure = errno
            close(folder)
            guard next >= 0 else { throw .system(failure) }
            folder = next
        }
        return folder
    }

    /// Opens the regular file `components` below `root` for reading.
    ///
    /// The open does not block (a FIFO would wait for a writer) and what it opened is checked to be a regular
    /// file before anything is read: devices, FIFOs, sockets and folders are refused, and so are the files of
    /// `/proc` and `/sys`, which claim to be regular but are made up by the kernel.
    static func openRegularFile(_ root: String, _ components: [String]) throws(BeneathRootError) -> (Int32, Int64) {
        guard let name = components.last else { throw .notRegularFile }
        let folder = try openFolder(root, components.dropLast())
        defer { close(folder) }
        let descriptor = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw .system(errno) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, !isKernelFileSystem(info.st_dev)
        else {
            close(descriptor)
            throw .notRegularFile
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return (descriptor, Int64(info.st_size))
    }

    /// The kind of the entry `name` in the open folder `folder`, without following a link.
    static func kind(of name: String, in folder: Int32) -> EntryKind? {
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(size: Int64(info.st_size))
        case S_IFDIR: return .folder
        default: return .other
        }
    }

    enum EntryKind: Equatable {
        case file(size: Int64)
        case folder
        case other
    }

    /// The names in the open folder `folder` (not `.` and `..`), at most `limit` of them.
    static func names(in folder: Int32, limit: Int) throws(BeneathRootError) -> [String] {
        let copy = dup(folder)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            throw .system(errno)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            guard names.count < limit else { throw .tooManyEntries(limit) }
            names.append(name)
        }
        return names
    }

    /// Whether the open file lives on a file system the kernel makes up (`/proc`, `/sys`): on the same device as
    /// those folders.
    private static func isKernelFileSystem(_ device: dev_t) -> Bool {
        for folder in ["/proc", "/sys"] {
            var info = stat()
            if stat(folder, &info) == 0, info.st_dev == device { return true }
        }
        return false
    }
}

/// Why a file operation below a root failed.
enum BeneathRootError: Error, Equatable {
    /// A system call failed with this `errno`.
    case system(Int32)
    /// What is there is not a regular file (a device, FIFO, socket, folder, or a kernel-made file).
    case notRegularFile
    /// A folder holds more entries than are examined.
    case tooManyEntries(Int)

    /// A short description that names no path or content.
    var description: String {
        switch self {
        case .system(ELOOP), .system(ENOTDIR): "a path component is a symbolic link or not a folder"
        case .system(let code): String(cString: strerror(code))
        case .notRegularFile: "not a regular file (devices, FIFOs, sockets and kernel files are not read)"
        case .tooManyEntries(let limit): "a folder holds more than \(limit) entries"
        }
    }
}
