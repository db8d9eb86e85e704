import Foundation

/// How local files reach a remote engine and come back: inputs (import files, data deletion files, batch inputs)
/// are uploaded under the project's bucket (`spec.storage.bucket`) at a content-addressed key, and outputs (batch
/// jobs, exports) written under it are downloaded next to the manifests once the job is ACTIVE.
///
/// Plan and apply compute the same locations from here, so the plan's notes name what apply uploads.
enum ObjectExchange {
    /// Where a local input of `contentHash` goes under the storage prefix: `PREFIX/<16 hex digits of the hash>/NAME`
    /// (a file), or `PREFIX/<16 hex digits>/NAME/` (a folder, whose files go below it), so the same content lands
    /// once and a changed input lands beside it.
    static func uploadTarget(prefix: String, contentHash: String, path: String, isFolder: Bool = false) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? "data"
        return "\(trimmed(prefix))/\(contentHash.dropFirst("sha256:".count).prefix(16))/\(name)\(isFolder ? "/" : "")"
    }

    /// Where a job called `jobName` writes under the storage prefix when its manifest names a local folder.
    static func outputTarget(prefix: String, jobName: String) -> String {
        "\(trimmed(prefix))/outputs/\(jobName)/"
    }

    /// The plan's note for a local input a remote engine reads from the bucket; nil when nothing is uploaded.
    static func uploadNote(_ written: String, path: String, contentHash: String?, prefix: String?) -> String? {
        guard let prefix, let contentHash, !path.hasPrefix("s3://") else { return nil }
        let isFolder = (try? BatchJob.inputFiles(atPath: path)) != nil
        let target = uploadTarget(prefix: prefix, contentHash: contentHash, path: path, isFolder: isFolder)
        return "uploads \(written) to \(target) (unless it is there)"
    }

    /// The plan's note for an output apply downloads; nil when the job writes where the manifest says.
    static func downloadNote(_ output: JobOutput, prefix: String?) -> String? {
        if let download = output.download {
            return "downloads \(output.written) into \(download) once the job is ACTIVE"
        }
        guard let prefix, !output.isObject else { return nil }
        return "writes under \(trimmed(prefix))/outputs/ and downloads into \(output.written) once the job is ACTIVE"
    }

    /// The folder apply downloads a job's output into: the manifest's `output.download`, or, for a local folder
    /// and a remote engine writing under the bucket, the folder itself; nil when nothing is downloaded.
    static func downloadFolder(_ output: JobOutput, prefix: String?) -> String? {
        output.downloadPath ?? (prefix != nil && !output.isObject ? output.path : nil)
    }

    private static func trimmed(_ prefix: String) -> String {
        prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
    }
}

extension ApplyContext {
    /// Where the engine reads a job's input: an `s3://` location itself; a local file or folder uploaded (once per
    /// content) under the bucket for a remote engine with one; else the local path.
    ///
    /// - Throws: ``PlannerError/unreadableImportSource(path:location:reason:)`` when no S3 store is configured or
    ///   the upload fails.
    func inputLocation(
        _ written: String, path: String, contentHash: String, at location: SourceLocation, for address: ResourceAddress
    ) async throws -> String {
        guard !path.hasPrefix("s3://"), let prefix = uploadPrefix else { return path }
        let folderFiles = try? BatchJob.inputFiles(atPath: path)
        let target = ObjectExchange.uploadTarget(
            prefix: prefix, contentHash: contentHash, path: path, isFolder: folderFiles != nil)
        guard let objects else {
            throw PlannerError.unreadableImportSource(
                path: written, location: location,
                reason: "no S3 store is configured to upload it to \(target): give --s3-endpoint URL or aws")
        }
        // A folder (a batch input) goes up as the files the job reads of it.
        let files =
            folderFiles.map { names in
                names.map { (path: URL(fileURLWithPath: path).appendingPathComponent($0).path, target: target + $0) }
            } ?? [(path: path, target: target)]
        do {
            var uploaded = 0
            for file in files where try await objects.upload(file.path, to: file.target) { uploaded += 1 }
            if uploaded > 0 { emit(.step(address, "uploaded \(written) to \(target)")) }
        } catch {
            throw PlannerError.unreadableImportSource(path: written, location: location, reason: "\(error)")
        }
        return target
    }

    /// Where the engine writes a job's output: an `s3://` location itself; for a local folder and a remote engine
    /// with a bucket, under the bucket (apply downloads it afterwards); else the local folder.
    func outputLocation(_ output: JobOutput, jobName: String) -> String {
        guard !output.isObject, let prefix = uploadPrefix else { return output.path }
        return ObjectExchange.outputTarget(prefix: prefix, jobName: jobName)
    }

    /// Copies the objects a job wrote at `uri` into the output's download folder, if it has one.
    ///
    /// - Throws: ``PlannerError/engine(address:operation:reason:)`` when no S3 store is configured or the download
    ///   fails (the job stays in state as being created, so the next apply downloads again).
    func downloadOutput(_ output: JobOutput, from uri: String?, for address: ResourceAddress) async throws {
        guard let folder = ObjectExchange.downloadFolder(output, prefix: uploadPrefix) else { return }
        guard let root = downloadRoot, LocalFolder.contains(root, folder) else {
            throw PlannerError.engine(
                address: address, operation: "download",
                reason: "\(folder) is not inside the manifests' folder (links resolved); nothing was downloaded")
        }
        guard let uri, uri.hasPrefix("s3://") else {
            throw PlannerError.engine(
                address: address, operation: "download",
                reason: "the job reports no s3:// output to download into \(folder)")
        }
        guard let objects else {
            throw PlannerError.engine(
                address: address, operation: "download",
                reason: "no S3 store is configured to download \(uri) from: give --s3-endpoint URL or aws")
        }
        do {
            let written = try await objects.download(uri, into: folder)
            emit(.step(address, "downloaded \(written.count) file(s) from \(uri) into \(folder)"))
        } catch {
            throw PlannerError.engine(address: address, operation: "download", reason: "\(error)")
        }
    }
}
