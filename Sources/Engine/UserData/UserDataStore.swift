import EngineAPI
package import Foundation
package import ObjectStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way the engine reaches user data: every job that reads or writes a user's files (imports, exports,
/// batch inference and segment jobs, data deletion, metric-attribution reports) resolves its location here.
///
/// A location is a path or a `file://` URL. It is allowed only when, with every symbolic link and `..` resolved,
/// it lies under one of the allowed roots: the data folder's own `files/` area and the folders the engine was
/// configured with (`tailor serve --allow-path`, the manifests' folder for the embedded CLI). Whether a file
/// exists outside the roots is never told: a location outside them is refused with the same message whether
/// or not something is there.
///
/// Reading opens only regular files (never devices, FIFOs, sockets or the kernel's `/proc` and `/sys` files),
/// without blocking, beneath the root without following links, and within a size cap. Writing creates folders
/// and files beneath the root without following links, and replaces only files the engine itself wrote
/// (``OutputLedger``).
///
/// `s3://` locations are read and written through the configured S3 store (``S3Client``): a job downloads its
/// input objects into the data folder's `staging/` area when it runs and reads them there, and writes its
/// output there before it uploads it (see `UserDataStore+S3.swift`). Without an S3 store they are refused with
/// a message that says how to configure one.
package struct UserDataStore: Sendable {
    /// The allowed roots, canonical (every link resolved), the data folder's `files/` area first.
    package let roots: [String]
    let ledger: OutputLedger
    /// The S3 store `s3://` locations are read from and written to; nil when none is configured.
    let s3: S3Client?
    /// Where S3 inputs are downloaded and S3 outputs written before their upload (emptied when the engine opens:
    /// no job outlives the process).
    let stagingRoot: String

    /// Entries of a folder that are examined at most (a folder location, or a recursive walk in all).
    static let maximumFolderEntries = 10_000
    /// How deep a recursive walk goes below the folder given.
    static let maximumDepth = 16

    /// The store of the engine whose data folder is `dataDirectory`, allowing `allowedPaths` besides its
    /// `files/` area (created when missing), and `s3://` locations through `s3` when given.
    ///
    /// - Throws: ``EngineError/cannotOpenDataDirectory(_:reason:)`` when the files area cannot be made,
    ///   ``EngineError/unusableAllowedPath(_:)`` when an allowed path is not an existing folder.
    package init(dataDirectory: URL, allowedPaths: [URL], s3: S3Client? = nil) throws {
        let filesArea = dataDirectory.appendingPathComponent("files", isDirectory: true)
        let staging = dataDirectory.appendingPathComponent("staging", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: filesArea, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: staging)
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw EngineError.cannotOpenDataDirectory(dataDirectory.path, reason: error.localizedDescription)
        }
        guard let stagingRoot = Self.realPath(staging.path) else {
            throw EngineError.cannotOpenDataDirectory(staging.path, reason: "it cannot be resolved")
        }
        self.stagingRoot = stagingRoot
        self.s3 = s3
        var roots: [String] = []
        for url in [filesArea] + allowedPaths {
            var isDirectory: ObjCBool = false
            guard let real = Self.realPath(url.path),
                FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw EngineError.unusableAllowedPath(url.path) }
            if !roots.contains(real) { roots.append(real) }
        }
        self.roots = roots
        self.ledger = try OutputLedger(file: dataDirectory.appendingPathComponent("written-files.log"))
    }

    // MARK: Reading

    /// What a job reads at a location.
    package enum InputSelection: Sendable {
        /// A file, or the `.csv` files directly in a folder (sub-folders are ignored, as the service does).
        case csvFiles
        /// A file, or the `.csv` files in a folder and its sub-folders (data deletion jobs).
        case csvFilesRecursively
        /// A file, or the `.json` and `.jsonl` files directly in a folder (batch jobs).
        case jsonLinesFiles
    }

    /// The files at `location`, checked: allowed, regular, and at most `maximumBytes` in all; for an `s3://`
    /// location, the objects there, which the job fetches and checks when it runs (``stage(_:)``).
    ///
    /// - Parameters:
    ///   - invalid: The start of every refusal's message, e.g. `Invalid Data location.` (the guide's E1).
    ///   - maximumFiles: How many files a folder may hold for the job.
    /// - Throws: `InvalidInputException` naming the location and what is wrong; never the files' content.
    package func inputs(
        at location: String?, invalid: String, selection: InputSelection, maximumBytes: Int64,
        maximumFiles: Int = maximumFolderEntries
    ) throws -> UserDataInput {
        if let (_, object) = try s3Location(location, invalid: invalid) {
            return .s3(
                S3Input(
                    location: object, selection: selection, maximumBytes: maximumBytes, maximumFiles: maximumFiles,
                    invalid: invalid))
        }
        return .local(
            try localInputs(
                at: location, invalid: invalid, selection: selection, maximumBytes: maximumBytes,
                maximumFiles: maximumFiles))
    }

    private func localInputs(
        at location: String?, invalid: String, selection: InputSelection, maximumBytes: Int64, maximumFiles: Int
    ) throws -> [UserDataFile] {
        let target = try resolve(location, invalid: invalid)
        guard target.exists else {
            throw PersonalizeError.invalidInput("\(invalid) No file or folder at \(target.display).")
        }
        let folder: Int32
        do {
            folder = try BeneathRoot.openFolder(target.root, target.components.dropLast())
        } catch {
            throw PersonalizeError.invalidInput("\(invalid) Cannot read \(target.display): \(error.description).")
        }
        defer { close(folder) }
        let last = target.components.last
        let kind = last.map { BeneathRoot.kind(of: $0, in: folder) } ?? .folder
        var files: [UserDataFile]
        switch kind {
        case .file(let size)?:
            files = [UserDataFile(root: target.root, components: target.components, size: size)]
        case .folder?:
            files = try listing(target, selection: selection, maximumFiles: maximumFiles, invalid: invalid)
            guard !files.isEmpty else {
                let wanted = selection == .jsonLinesFiles ? ".json files" : ".csv files"
                throw PersonalizeError.invalidInput("\(invalid) The folder \(target.display) has no \(wanted).")
            }
        case .other?, nil:
            throw PersonalizeError.invalidInput(
                "\(invalid) \(target.display) is not a regular file or folder (devices, FIFOs and sockets are not read)."
            )
        }
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        if total > maximumBytes {
            throw PersonalizeError.invalidInput(
                "\(invalid) \(target.display) holds \(total) bytes; at most \(maximumBytes) are read for this job.")
        }
        return files
    }

    /// The files a folder location selects, in name order.
    private func listing(
        _ target: Target, selection: InputSelection, maximumFiles: Int, invalid: String
    ) throws -> [UserDataFile] {
        let suffixes = selection == .jsonLinesFiles ? [".json", ".jsonl"] : [".csv"]
        var files: [UserDataFile] = []
        var examined = 0
        func walk(_ components: [String], depth: Int) throws(BeneathRootError) {
            let folder = try BeneathRoot.openFolder(target.root, components)
            defer { close(folder) }
            let names = try BeneathRoot.names(in: folder, limit: Self.maximumFolderEntries - examined).sorted()
            examined += names.count
            for name in names {
                switch BeneathRoot.kind(of: name, in: folder) {
                case .file(let size)?:
                    guard suffixes.contains(where: { name.lowercased().hasSuffix($0) }) else { continue }
                    guard files.count < maximumFiles else { throw .tooManyEntries(maximumFiles) }
                    files.append(UserDataFile(root: target.root, components: components + [name], size: size))
                case .folder? where selection == .csvFilesRecursively && depth < Self.maximumDepth:
                    try walk(components + [name], depth: depth + 1)
                default:
                    continue  // links, devices and deeper folders are not followed
                }
            }
        }
        do {
            try walk(target.components, depth: 0)
        } catch .tooManyEntries(let limit) where limit == maximumFiles {
            throw PersonalizeError.invalidInput(
                "\(invalid) \(target.display) holds more than \(maximumFiles) files; a job reads at most \(maximumFiles)."
            )
        } catch {
            throw PersonalizeError.invalidInput("\(invalid) Cannot read \(target.display): \(error.description).")
        }
        return files
    }

    // MARK: Writing

    /// The folder at `location` to write a job's output into, created (with its missing parents) when absent;
    /// for an `s3://` location, a staging folder whose files ``UserDataFolder/publish()`` uploads there.
    ///
    /// - Throws: `InvalidInputException` when the location is not allowed, or is a file.
    package func outputFolder(at location: String?, invalid: String) throws -> UserDataFolder {
        if let (client, destination) = try s3Location(location, invalid: invalid) {
            let name = UUID().uuidString
            do {
                try FileManager.default.createDirectory(
                    atPath: stagingRoot + "/" + name, withIntermediateDirectories: false)
            } catch {
                throw PersonalizeError.invalidInput("\(invalid) Cannot stage the output: \(error.localizedDescription)")
            }
            return UserDataFolder(
                root: stagingRoot, components: [name], ledger: ledger,
                upload: S3Upload(client: client, destination: destination, invalid: invalid))
        }
        let target = try resolve(location, invalid: invalid)
        do {
            let folder = try BeneathRoot.openFolder(target.root, target.components, creating: true)
            close(folder)
        } catch {
            throw PersonalizeError.invalidInput(
                "\(invalid) Cannot use \(target.display) as a folder: \(error.description).")
        }
        return UserDataFolder(root: target.root, components: target.components, ledger: ledger)
    }

    // MARK: Resolving

    /// A location resolved under a root.
    struct Target {
        let root: String
        /// The components below the root, none of them `.`, `..`, empty or a link.
        let components: [String]
        let exists: Bool
        /// The location as the caller gave it, bounded, for messages.
        let display: String
    }

    /// Resolves `location` to a place under one of the roots.
    ///
    /// - Throws: `InvalidInputException` for a malformed location, an `s3://` one (which no root holds), or one
    ///   outside the roots.
    func resolve(_ location: String?, invalid: String) throws -> Target {
        guard let location, !location.isEmpty else { throw PersonalizeError.invalidInput(invalid) }
        let display = ErrorText.bounded(location, limit: 256)
        guard !location.utf8.contains(0), location.utf8.count <= 4096 else {
            throw PersonalizeError.invalidInput("\(invalid) \(display) is not a usable path.")
        }
        let path: String
        if location.hasPrefix("s3://") {
            throw Self.noS3Store(invalid, display)
        } else if location.hasPrefix("file://") {
            guard let url = URL(string: location), url.host == nil || url.host == "" || url.host == "localhost",
                !url.path.isEmpty
            else {
                throw PersonalizeError.invalidInput("\(invalid) \(display) is not a local file:// URL.")
            }
            path = url.path
        } else if location.range(of: "^[A-Za-z][A-Za-z0-9+.-]*://", options: .regularExpression) != nil {
            throw PersonalizeError.invalidInput(
                "\(invalid) \(display) is not a path, a file:// URL or an s3:// URI.")
        } else {
            path = location
        }
        guard let (canonical, exists) = Self.canonical(path) else {
            throw PersonalizeError.invalidInput("\(invalid) \(display) is not a usable path.")
        }
        for root in roots {
            let components: [String]
            if canonical == root {
                components = []
            } else if canonical.hasPrefix(root == "/" ? "/" : root + "/") {
                components = canonical.dropFirst(root.count).split(separator: "/").map(String.init)
            } else {
                continue
            }
            return Target(root: root, components: components, exists: exists, display: display)
        }
        throw PersonalizeError.invalidInput(
            "\(invalid) \(display) is outside the folders this engine may use (\(roots.joined(separator: ", "))); "
                + "place the data there, or allow its folder (tailor serve --allow-path DIR).")
    }

    /// The absolute path of `path` with every link, `.` and `..` resolved as far as it exists, the missing rest
    /// appended; nil when a `..` follows a missing component (nothing could be there).
    static func canonical(_ path: String) -> (String, exists: Bool)? {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let real = realPath(absolute) { return (real, true) }
        let components = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for count in stride(from: components.count - 1, through: 0, by: -1) {
            guard let prefix = realPath("/" + components.prefix(count).joined(separator: "/")) else { continue }
            let rest = components.dropFirst(count).filter { $0 != "." }
            guard !rest.contains("..") else { return nil }
            return ((prefix == "/" ? "" : prefix) + "/" + rest.joined(separator: "/"), false)
        }
        return nil
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// A regular file a job reads, found under an allowed root.
package struct UserDataFile: Sendable {
    let root: String
    let components: [String]
    /// Its size when it was listed.
    package let size: Int64

    /// The file's name, for messages.
    package var name: String { components.last ?? "" }
    /// Its full path, for logs.
    package var path: String { (root == "/" ? "" : root) + "/" + components.joined(separator: "/") }

    /// Opens the file for reading, checked again to be a regular file beneath its root.
    ///
    /// - Returns: The descriptor (the caller closes it).
    /// - Throws: `InvalidInputException` naming the file.
    package func open() throws -> Int32 {
        do {
            return try BeneathRoot.openRegularFile(root, components).0
        } catch {
            throw PersonalizeError.invalidInput("Cannot read \(name): \(error.description).")
        }
    }

    /// The whole file, at most `limit` bytes.
    ///
    /// - Throws: `InvalidInputException` when it cannot be read or is larger.
    package func contents(limit: Int64) throws -> Data {
        let descriptor = try open()
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw PersonalizeError.invalidInput("Cannot read \(name): \(String(cString: strerror(errno))).")
            }
            if count == 0 { return data }
            guard Int64(data.count) + Int64(count) <= limit else {
                throw PersonalizeError.invalidInput("\(name) is larger than \(limit) bytes.")
            }
            data.append(contentsOf: buffer[0..<count])
        }
    }
}
