import EngineAPI
import Foundation
import ObjectStore

/// What a job reads: files found under an allowed root when the job was created, or the objects at an `s3://`
/// location, which the job fetches when it runs (``UserDataStore/stage(_:)``).
package enum UserDataInput: Sendable {
    case local([UserDataFile])
    case s3(S3Input)
}

/// The objects at an `s3://` location that a job will read, and the checks they must pass.
package struct S3Input: Sendable {
    let location: S3Location
    let selection: UserDataStore.InputSelection
    let maximumBytes: Int64
    let maximumFiles: Int
    let invalid: String
}

/// The files a job reads, ready to open: local files as they are, or objects downloaded into the engine's
/// staging folder, which ``remove()`` deletes when the job is done.
package struct StagedInput: Sendable {
    package let files: [UserDataFile]
    let folder: URL?

    /// Deletes the downloaded copies (nothing for local files).
    package func remove() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }
}

/// Where a job's output goes when its location is an `s3://` URI: it is written into a staging folder, then
/// ``UserDataFolder/publish()`` uploads each file under the destination prefix.
struct S3Upload: Sendable {
    let client: S3Client
    let destination: S3Location
    let invalid: String
}

extension UserDataStore {
    /// The message for an `s3://` location when no S3 store is configured.
    static func noS3Store(_ invalid: String, _ display: String) -> PersonalizeError {
        PersonalizeError.invalidInput(
            "\(invalid) This engine has no S3 store configured for \(display): start tailor serve with --s3-endpoint "
                + "URL (an S3-compatible store such as MinIO) or --s3-endpoint aws (Amazon S3), or set "
                + "TAILOR_S3_ENDPOINT; or give a path or a file:// URL.")
    }

    /// The `s3://` location `location` names, checked; nil when it is not an `s3://` URI.
    ///
    /// - Throws: `InvalidInputException` when no S3 store is configured or the URI is malformed.
    func s3Location(_ location: String?, invalid: String) throws -> (S3Client, S3Location)? {
        guard let location, location.hasPrefix("s3://") else { return nil }
        let display = ErrorText.bounded(location, limit: 256)
        guard let s3 else { throw Self.noS3Store(invalid, display) }
        guard let parsed = S3Location(location) else {
            throw PersonalizeError.invalidInput(
                "\(invalid) \(display) is not an s3://bucket/key URI (a bucket of 3 to 63 lowercase letters, digits, "
                    + "dots and hyphens).")
        }
        return (s3, parsed)
    }

    /// The files of `input`, downloading an S3 input's objects into the staging folder: the object itself, or
    /// the objects of a prefix (directly under it, or below it for ``InputSelection/csvFilesRecursively``) with
    /// the selection's suffix, within the input's limits. Each staged file keeps its object's name.
    ///
    /// - Throws: `InvalidInputException` with the service's wording when a bucket or key is missing or S3 refuses
    ///   access; never an object's content.
    package func stage(_ input: UserDataInput) async throws -> StagedInput {
        guard case .s3(let input) = input, let s3 else {
            if case .local(let files) = input { return StagedInput(files: files, folder: nil) }
            throw Self.noS3Store("Invalid Data location.", "an s3:// location")
        }
        let objects: [S3Object] = try await Self.mapping(input.location, input.invalid) {
            try await self.objects(of: input, client: s3)
        }
        let folder = URL(fileURLWithPath: stagingRoot).appendingPathComponent(UUID().uuidString, isDirectory: true)
        var files: [UserDataFile] = []
        do {
            for (index, object) in objects.enumerated() {
                let name = ["", ".", ".."].contains(object.location.name) ? "object" : object.location.name
                let components = [folder.lastPathComponent, String(index), name]
                try FileManager.default.createDirectory(
                    at: folder.appendingPathComponent(String(index)), withIntermediateDirectories: true)
                let path = ([stagingRoot] + components).joined(separator: "/")
                let downloaded = try await Self.mapping(object.location, input.invalid) {
                    try await s3.download(object.location, to: path, maximumBytes: input.maximumBytes)
                }
                files.append(UserDataFile(root: stagingRoot, components: components, size: downloaded.size))
            }
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        guard total <= input.maximumBytes else {
            try? FileManager.default.removeItem(at: folder)
            throw PersonalizeError.invalidInput(
                "\(input.invalid) \(input.location) holds \(total) bytes; at most \(input.maximumBytes) are read for "
                    + "this job.")
        }
        return StagedInput(files: files, folder: folder)
    }

    /// The objects an S3 input selects, checked against its limits before anything is downloaded.
    private func objects(of input: S3Input, client: S3Client) async throws -> [S3Object] {
        let location = input.location
        let (prefix, objects, listed) = try await client.selection(
            at: location, suffixes: input.selection == .jsonLinesFiles ? [".json", ".jsonl"] : [".csv"],
            recursive: input.selection == .csvFilesRecursively)
        guard let prefix else { return objects }
        guard !objects.isEmpty else {
            let wanted = input.selection == .jsonLinesFiles ? ".json files" : ".csv files"
            throw PersonalizeError.invalidInput(
                listed == 0 && !location.isPrefix
                    ? "\(input.invalid) No object at \(location)."
                    : "\(input.invalid) \(prefix) holds no \(wanted).")
        }
        guard objects.count <= input.maximumFiles else {
            throw PersonalizeError.invalidInput(
                "\(input.invalid) \(prefix) holds more than \(input.maximumFiles) files; a job reads at most "
                    + "\(input.maximumFiles).")
        }
        let total = objects.reduce(Int64(0)) { $0 + $1.size }
        guard total <= input.maximumBytes else {
            throw PersonalizeError.invalidInput(
                "\(input.invalid) \(prefix) holds \(total) bytes; at most \(input.maximumBytes) are read for this job.")
        }
        return objects
    }

    /// `body`, with S3's errors about `location` told in the service's words (`invalid` first).
    static func mapping<T>(_ location: S3Location, _ invalid: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as S3Error {
            throw Self.personalizeError(error, location: location, invalid: invalid)
        }
    }

    /// An S3 error as the service words it in a job's `failureReason`.
    static func personalizeError(_ error: S3Error, location: S3Location, invalid: String) -> PersonalizeError {
        if error.isAccessDenied {
            return PersonalizeError.invalidInput(
                "Insufficient privileges for accessing data in Amazon S3 (\(location): \(error.code)).")
        }
        switch error.code {
        case "NoSuchBucket":
            return PersonalizeError.invalidInput("\(invalid) The bucket \(location.bucket) does not exist.")
        case "NoSuchKey", "NotFound":
            return PersonalizeError.invalidInput("\(invalid) No object at \(location).")
        case "EntityTooLarge", "TooManyObjects":
            return PersonalizeError.invalidInput("\(invalid) \(error.message)")
        default:
            return PersonalizeError.invalidInput(
                "\(invalid) Cannot use \(location): \(error.code) (\(ErrorText.bounded(error.message, limit: 200))).")
        }
    }
}

extension UserDataFolder {
    /// Uploads the files the job wrote, for a folder whose location is an `s3://` URI (each under the destination
    /// prefix, with its name), then deletes the staged copies; nothing for a local folder.
    ///
    /// - Throws: `InvalidInputException` with the service's wording when S3 refuses the upload.
    package func publish() async throws {
        guard let upload else { return }
        let staging = URL(fileURLWithPath: path, isDirectory: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        let names = try FileManager.default.contentsOfDirectory(atPath: staging.path)
            .filter { !$0.hasPrefix(".") }.sorted()
        for name in names {
            let target = upload.destination.appending(name)
            _ = try await UserDataStore.mapping(target, upload.invalid) {
                try await upload.client.upload(file: staging.appendingPathComponent(name).path, to: target)
            }
        }
    }

    /// Where the output goes, for logs: the `s3://` destination or the local folder.
    package var destination: String { upload.map { $0.destination.description } ?? path }
}
