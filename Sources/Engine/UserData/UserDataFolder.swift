import EngineAPI
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A folder under an allowed root that a job writes its output files into.
///
/// Each file is written whole: into a new temporary file beside it (created exclusively, never through a
/// link), synced, then moved into place, so readers see the complete file or none. A name that is already
/// taken is replaced only when the engine wrote what is there (``OutputLedger``); a file someone else put
/// there is never overwritten.
package struct UserDataFolder: Sendable {
    let root: String
    let components: [String]
    let ledger: OutputLedger
    /// For an `s3://` output location: where ``publish()`` uploads the files written here.
    var upload: S3Upload? = nil

    /// The folder's full path, for logs.
    package var path: String { (root == "/" ? "" : root) + "/" + components.joined(separator: "/") }

    /// Writes the file `name` in the folder with what `body` gives the sink.
    ///
    /// - Throws: `InvalidInputException` naming the file when it cannot be written, or when another program's
    ///   file has the name; whatever `body` throws (the partial file is removed).
    package func write(_ name: String, _ body: (inout FileSink) throws -> Void) throws {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.utf8.contains(0) else {
            throw PersonalizeError.invalidInput("Cannot write an output file named '\(ErrorText.bounded(name))'.")
        }
        let folder: Int32
        do {
            folder = try BeneathRoot.openFolder(root, components)
        } catch {
            throw PersonalizeError.invalidInput("Cannot write \(name): \(error.description).")
        }
        defer { close(folder) }
        let temporary = ".\(name).\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).partial"
        let descriptor = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PersonalizeError.invalidInput("Cannot write \(name): \(String(cString: strerror(errno))).")
        }
        var placed = false
        defer {
            if !placed { unlinkat(folder, temporary, 0) }
        }
        var sink = FileSink(descriptor: descriptor, name: name)
        do {
            try body(&sink)
            try sink.finish()
        } catch {
            close(descriptor)
            throw error
        }
        var info = stat()
        fstat(descriptor, &info)
        close(descriptor)
        let identity = OutputLedger.Identity(
            path: path + "/" + name, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        try ledger.record(identity)
        try place(temporary, as: name, in: folder)
        placed = true
    }

    /// Moves the finished temporary file to `name`: atomically when nothing is there, replacing only a file
    /// the ledger says the engine wrote.
    private func place(_ temporary: String, as name: String, in folder: Int32) throws {
        if linkat(folder, temporary, folder, name, 0) == 0 {
            unlinkat(folder, temporary, 0)
            return
        }
        guard errno == EEXIST else {
            throw PersonalizeError.invalidInput("Cannot write \(name): \(String(cString: strerror(errno))).")
        }
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG,
            ledger.contains(
                .init(path: path + "/" + name, device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        else {
            throw PersonalizeError.invalidInput(
                "Cannot write \(name): a file the engine did not write is already there; choose another output "
                    + "folder or remove it.")
        }
        guard renameat(folder, temporary, folder, name) == 0 else {
            throw PersonalizeError.invalidInput("Cannot write \(name): \(String(cString: strerror(errno))).")
        }
    }
}

/// Buffered writes into an output file.
package struct FileSink: ~Copyable {
    private let descriptor: Int32
    private let name: String
    private var buffer: [UInt8] = []
    /// Bytes written so far.
    package private(set) var count = 0

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends `text`.
    package mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        count += text.utf8.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends `bytes`.
    package mutating func write(_ bytes: some Sequence<UInt8>) throws {
        let before = buffer.count
        buffer.append(contentsOf: bytes)
        count += buffer.count - before
        if buffer.count >= 1 << 20 { try flush() }
    }

    private mutating func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw PersonalizeError.invalidInput("Cannot write \(name): \(String(cString: strerror(errno))).")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and syncs the file to disk.
    mutating func finish() throws {
        try flush()
        guard fsync(descriptor) == 0 else {
            throw PersonalizeError.invalidInput("Cannot write \(name): \(String(cString: strerror(errno))).")
        }
    }
}

/// The files the engine wrote into user folders, so that a job may replace its own earlier output but never a
/// file it did not write: an append-only list of path, device and inode in the data folder
/// (`written-files.log`), loaded when the engine opens.
///
/// A file is recorded before it is moved into place; a crash in between leaves a record of a file that is not
/// there, which is harmless.
final class OutputLedger: Sendable {
    struct Identity: Hashable, Sendable {
        let path: String
        let device: UInt64
        let inode: UInt64
    }

    private let file: URL
    private let known: Mutex<Set<Identity>>

    init(file: URL) throws {
        self.file = file
        var known = Set<Identity>()
        if let data = FileManager.default.contents(atPath: file.path) {
            for line in data.split(separator: UInt8(ascii: "\n")) {
                let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2)
                guard parts.count == 3, let device = UInt64(String(decoding: parts[0], as: UTF8.self)),
                    let inode = UInt64(String(decoding: parts[1], as: UTF8.self))
                else { continue }
                known.insert(Identity(path: String(decoding: parts[2], as: UTF8.self), device: device, inode: inode))
            }
        }
        self.known = Mutex(known)
    }

    func contains(_ identity: Identity) -> Bool {
        known.withLock { $0.contains(identity) }
    }

    func record(_ identity: Identity) throws {
        guard !identity.path.contains("\n") else {
            throw PersonalizeError.invalidInput("Cannot write a file whose path holds a line break.")
        }
        try known.withLock { known in
            guard known.insert(identity).inserted else { return }
            let line = "\(identity.device) \(identity.inode) \(identity.path)\n"
            let descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard descriptor >= 0 else {
                known.remove(identity)
                throw PersonalizeError.invalidInput(
                    "Cannot record the output file: \(String(cString: strerror(errno))).")
            }
            defer { close(descriptor) }
            let written = line.withCString { systemWrite(descriptor, $0, strlen($0)) }
            guard written == line.utf8.count, fsync(descriptor) == 0 else {
                known.remove(identity)
                throw PersonalizeError.invalidInput(
                    "Cannot record the output file: \(String(cString: strerror(errno))).")
            }
        }
    }
}

/// Text from outside (a location, a cell, a header) made safe to put in a message.
package enum ErrorText {
    /// `text` with control characters replaced by `?`, cut to `limit` characters (with `…`).
    package static func bounded(_ text: some StringProtocol, limit: Int = 40) -> String {
        var result = ""
        for character in text.prefix(limit) {
            result.append(
                character.unicodeScalars.contains { $0.properties.generalCategory == .control } ? "?" : character)
        }
        return text.dropFirst(limit).isEmpty ? result : result + "…"
    }
}

/// `write(2)`, under a name the sinks' own `write` methods do not hide.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
