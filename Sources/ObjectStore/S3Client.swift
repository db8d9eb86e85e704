package import AsyncHTTPClient
package import Foundation
import NIOCore
import NIOHTTP1
package import SigV4

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where S3 is and who is asking: an S3-compatible store (MinIO, Ceph, moto's server, LocalStack) at an
/// endpoint, addressed path-style, or AWS S3 itself, addressed virtual-hosted in a region.
package struct S3Configuration: Sendable {
    /// The store's endpoint (`http://127.0.0.1:9000`), nil for AWS S3.
    package var endpoint: URL?
    /// The signing region (and AWS S3's region).
    package var region: String
    /// The credentials requests are signed with; nil sends them unsigned (a public bucket, a store without auth).
    package var credentials: SigV4Credentials?
    /// Objects larger than this are uploaded in parts (S3's smallest part is 5 MiB).
    package var multipartThreshold: Int = 5 << 20
    /// The size of each uploaded part but the last (at least 5 MiB).
    package var partSize: Int = 8 << 20

    package init(endpoint: URL?, region: String, credentials: SigV4Credentials?) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
    }

    /// The configuration the AWS SDKs would use: the endpoint given (else `TAILOR_S3_ENDPOINT`, else AWS S3), the
    /// region and credentials of the standard chain (``AWSEnvironment``).
    ///
    /// - Throws: ``S3ConfigurationError`` for an endpoint that is not an `http(s)://host[:port]` URL, or an
    ///   unusable shared credentials file.
    package static func standard(
        endpoint: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> S3Configuration {
        let written = endpoint ?? environment["TAILOR_S3_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
        var url: URL?
        if let written {
            guard let parsed = URL(string: written), ["http", "https"].contains(parsed.scheme ?? ""),
                let host = parsed.host, !host.isEmpty, parsed.query == nil, parsed.user == nil
            else { throw S3ConfigurationError.invalidEndpoint(written) }
            url = parsed
        }
        let credentials: SigV4Credentials?
        do {
            credentials = try AWSEnvironment.credentials(environment)
        } catch {
            throw S3ConfigurationError.credentials(error.description)
        }
        return S3Configuration(endpoint: url, region: AWSEnvironment.region(environment), credentials: credentials)
    }
}

/// Why an S3 configuration cannot be used.
package enum S3ConfigurationError: Error, Hashable, CustomStringConvertible {
    case invalidEndpoint(String)
    case credentials(String)

    package var description: String {
        switch self {
        case .invalidEndpoint(let endpoint):
            "the S3 endpoint '\(endpoint)' is not an http:// or https:// URL with a host (e.g. http://127.0.0.1:9000)"
        case .credentials(let reason): reason
        }
    }
}

/// A client of S3's REST protocol, signed with SigV4, over AsyncHTTPClient: the objects a job reads and writes.
///
/// Large objects stream: downloads go to a file as they arrive, uploads larger than
/// ``S3Configuration/multipartThreshold`` go in parts of ``S3Configuration/partSize``; nothing is held whole in
/// memory. Answers S3 gives as errors throw ``S3Error`` with S3's code.
package struct S3Client: Sendable {
    package let configuration: S3Configuration
    let http: HTTPClient
    private let signer: SigV4Signer?

    /// The most keys one listing returns (in pages of 1,000), so that a hostile bucket cannot grow a job.
    package static let maximumListedObjects = 100_000

    package init(configuration: S3Configuration, httpClient: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = httpClient
        self.signer = configuration.credentials.map {
            SigV4Signer(credentials: $0, region: configuration.region, service: "s3")
        }
    }

    // MARK: Objects

    /// The object at `location`; nil when there is none (the bucket exists but the key does not).
    ///
    /// - Throws: ``S3Error`` for a missing bucket, refused credentials, or no answer.
    package func head(_ location: S3Location) async throws -> S3Object? {
        let response = try await send("HEAD", location)
        if response.status == .notFound {
            // HEAD answers have no body: ask for the bucket to tell a missing key from a missing bucket.
            try await checkBucket(location.bucket)
            return nil
        }
        try await Self.check(response, "HeadObject")
        let size = response.headers.first(name: "content-length").flatMap { Int64($0) } ?? 0
        return S3Object(
            location: location, size: size, etag: S3XML.unquoted(response.headers.first(name: "etag") ?? ""))
    }

    /// The objects whose keys start with `prefix`'s key, in key order; with `recursive` false only those
    /// directly under it (no further `/` after the prefix), as Personalize reads a folder.
    ///
    /// - Throws: ``S3Error`` (`TooManyObjects` past `maximumObjects`).
    package func list(
        _ prefix: S3Location, recursive: Bool = false, maximumObjects: Int = maximumListedObjects
    ) async throws -> [S3Object] {
        var objects: [S3Object] = []
        var token: String?
        var seenTokens = Set<String>()
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix.key)]
            if !recursive { query.append(("delimiter", "/")) }
            if let token { query.append(("continuation-token", token)) }
            let response = try await send("GET", S3Location(bucket: prefix.bucket, key: ""), query: query)
            let page = try S3XML.listPage(try await Self.body(of: response, "ListObjectsV2"))
            for object in page.objects {
                guard objects.count < maximumObjects else {
                    throw S3Error(
                        code: "TooManyObjects", message: "\(prefix) holds more than \(maximumObjects) objects.",
                        status: 200)
                }
                objects.append(
                    S3Object(
                        location: S3Location(bucket: prefix.bucket, key: object.key), size: object.size,
                        etag: object.etag))
            }
            token = page.nextToken
            if let token, !seenTokens.insert(token).inserted {
                throw S3Error(code: "MalformedResponse", message: "ListObjectsV2 repeated a page token.", status: 200)
            }
        } while token != nil
        return objects
    }

    /// The objects a job reads at `location`, as Personalize selects them: the object itself when there is one
    /// (and the key is not a prefix); else the objects with one of `suffixes` (case-insensitive) directly under the
    /// location taken as a prefix, or below it when `recursive`, in key order.
    ///
    /// - Returns: The prefix listed (nil for an object), the objects selected, and how many the listing held in all.
    package func selection(at location: S3Location, suffixes: [String], recursive: Bool) async throws
        -> (prefix: S3Location?, objects: [S3Object], listed: Int)
    {
        if !location.isPrefix, let object = try await head(location) {
            return (nil, [object], 1)
        }
        let prefix = location.isPrefix ? location : S3Location(bucket: location.bucket, key: location.key + "/")
        let listed = try await list(prefix, recursive: recursive)
        let objects = listed.filter { object in suffixes.contains { object.location.key.lowercased().hasSuffix($0) } }
        return (prefix, objects, listed.count)
    }

    /// Writes the object at `location` into a new file at `path` as it arrives.
    ///
    /// - Throws: ``S3Error`` (`EntityTooLarge` past `maximumBytes`; the partial file is removed), or the
    ///   file system's error.
    /// - Returns: The object as it was downloaded.
    @discardableResult
    package func download(_ location: S3Location, to path: String, maximumBytes: Int64) async throws -> S3Object {
        let response = try await send("GET", location, timeout: .hours(6))
        try await Self.check(response, "GetObject")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw S3Error(
                code: "LocalWriteFailed", message: "cannot create \(path): \(String(cString: strerror(errno)))",
                status: 0)
        }
        var complete = false
        defer {
            close(descriptor)
            if !complete { unlink(path) }
        }
        var total: Int64 = 0
        for try await buffer in response.body {
            total += Int64(buffer.readableBytes)
            guard total <= maximumBytes else {
                throw S3Error(
                    code: "EntityTooLarge", message: "\(location) is larger than \(maximumBytes) bytes.",
                    status: 200)
            }
            try buffer.withUnsafeReadableBytes { try Self.writeAll(descriptor, $0, path: path) }
        }
        complete = true
        return S3Object(
            location: location, size: total, etag: S3XML.unquoted(response.headers.first(name: "etag") ?? ""))
    }

    /// The whole object at `location`, at most `maximumBytes`.
    package func get(_ location: S3Location, maximumBytes: Int) async throws -> Data {
        let response = try await send("GET", location)
        try await Self.check(response, "GetObject")
        let buffer = try await response.body.collect(upTo: maximumBytes)
        return Data(buffer.readableBytesView)
    }

    /// Stores `data` at `location` in one request.
    @discardableResult
    package func put(_ data: Data, at location: S3Location, contentType: String? = nil) async throws -> S3Object {
        var headers: [(String, String)] = []
        if let contentType { headers.append(("content-type", contentType)) }
        let response = try await send("PUT", location, headers: headers, body: data, timeout: .minutes(10))
        try await Self.check(response, "PutObject")
        return S3Object(
            location: location, size: Int64(data.count),
            etag: S3XML.unquoted(response.headers.first(name: "etag") ?? ""))
    }

    /// Uploads the file at `path` to `location`: in one request up to ``S3Configuration/multipartThreshold``,
    /// else in parts (a failed multipart upload is aborted, so no parts are left behind).
    @discardableResult
    package func upload(file path: String, to location: S3Location, contentType: String? = nil) async throws
        -> S3Object
    {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw S3Error(code: "LocalReadFailed", message: "cannot read \(path)", status: 0)
        }
        defer { try? handle.close() }
        let size = Int64(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        guard size > configuration.multipartThreshold else {
            let data = try handle.readToEnd() ?? Data()
            return try await put(data, at: location, contentType: contentType)
        }
        var headers: [(String, String)] = []
        if let contentType { headers.append(("content-type", contentType)) }
        let created = try await send("POST", location, query: [("uploads", "")], headers: headers)
        let uploadID = try S3XML.uploadID(try await Self.body(of: created, "CreateMultipartUpload"))
        do {
            var etags: [String] = []
            let partSize = max(configuration.partSize, 5 << 20)
            while let part = try handle.read(upToCount: partSize), !part.isEmpty {
                let response = try await send(
                    "PUT", location, query: [("partNumber", String(etags.count + 1)), ("uploadId", uploadID)],
                    body: part, timeout: .minutes(10))
                try await Self.check(response, "UploadPart")
                etags.append(S3XML.unquoted(response.headers.first(name: "etag") ?? ""))
            }
            let completed = try await send(
                "POST", location, query: [("uploadId", uploadID)], headers: [("content-type", "application/xml")],
                body: S3XML.completion(etags), timeout: .minutes(10))
            let answer = try await Self.body(of: completed, "CompleteMultipartUpload")
            // CompleteMultipartUpload may answer 200 with an error document.
            if let error = S3XML.error(answer) { throw S3Error(code: error.code, message: error.message, status: 200) }
            return try await head(location) ?? S3Object(location: location, size: size, etag: "")
        } catch {
            _ = try? await send("DELETE", location, query: [("uploadId", uploadID)])
            throw error
        }
    }

    /// Deletes the object at `location` (nothing happens when there is none).
    package func delete(_ location: S3Location) async throws {
        try await Self.check(try await send("DELETE", location), "DeleteObject")
    }

    // MARK: Buckets

    /// Creates the bucket `name` (in the configured region); nothing happens when this account already owns it.
    package func createBucket(_ name: String) async throws {
        let location = S3Location(bucket: name, key: "")
        var body: Data?
        if configuration.endpoint == nil, configuration.region != "us-east-1" {
            body = Data(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                    + configuration.region + "</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        let response = try await send("PUT", location, body: body)
        if response.status == .conflict {
            let data = try await response.body.collect(upTo: 1 << 16)
            if S3XML.error(Data(data.readableBytesView))?.code == "BucketAlreadyOwnedByYou" { return }
            throw Self.error(status: 409, data: Data(data.readableBytesView), operation: "CreateBucket")
        }
        try await Self.check(response, "CreateBucket")
    }

    /// Throws `NoSuchBucket` (or the access error) unless bucket `name` exists and may be read.
    package func checkBucket(_ name: String) async throws {
        let response = try await send(
            "GET", S3Location(bucket: name, key: ""), query: [("list-type", "2"), ("max-keys", "0")])
        _ = try await Self.body(of: response, "ListObjectsV2")
    }

    // MARK: Requests

    /// Sends one signed request about `location` (its bucket alone when the key is empty); retries answers of
    /// 500 and 503 and failures to connect, twice.
    private func send(
        _ method: String, _ location: S3Location, query: [(String, String)] = [],
        headers extra: [(String, String)] = [],
        body: Data? = nil, timeout: Duration = .seconds(60)
    ) async throws -> HTTPClientResponse {
        let payloadHash = SigV4.sha256Hex(body ?? Data())
        var attempt = 0
        while true {
            attempt += 1
            let prepared = prepare(method, location, query: query, headers: extra, payloadHash: payloadHash, at: Date())
            var request = HTTPClientRequest(url: prepared.url)
            request.method = HTTPMethod(rawValue: method)
            for (name, value) in prepared.headers { request.headers.replaceOrAdd(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
            do {
                let response = try await http.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
                if [.internalServerError, .serviceUnavailable].contains(response.status), attempt < 3 {
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    try await Task.sleep(for: .milliseconds(200 * attempt))
                    continue
                }
                return response
            } catch let error as HTTPClientError where attempt < 3 && error != .deadlineExceeded {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw S3Error(code: "RequestFailed", message: "\(method) \(location): \(error)", status: 0)
            }
        }
    }

    /// The URL and headers (`Host`, `x-amz-content-sha256`, `headers`, and the signature's) of a request.
    ///
    /// The URL and signature are botocore's for the same request: the key and query values percent-encoded
    /// (every reserved character; `/` kept in the key), the canonical request from them as sent.
    func prepare(
        _ method: String, _ location: S3Location, query: [(String, String)], headers extra: [(String, String)],
        payloadHash: String, at date: Date
    ) -> (url: String, headers: [(name: String, value: String)]) {
        let address = address(location)
        let wireQuery = query.map {
            SigV4.percentEncode($0.0, keepingSlash: false) + "=" + SigV4.percentEncode($0.1, keepingSlash: false)
        }.joined(separator: "&")
        var headers: [(name: String, value: String)] = [("Host", address.host), ("x-amz-content-sha256", payloadHash)]
        headers += extra.map { (name: $0.0, value: $0.1) }
        if let signer {
            let request = SigV4Request(
                method: method, path: address.path, query: wireQuery, headers: headers,
                payloadHash: payloadHash)
            headers += signer.signingHeaders(for: request, at: date)
        }
        return (address.base + address.path + (wireQuery.isEmpty ? "" : "?" + wireQuery), headers)
    }

    /// The URL's scheme and authority, the `Host` header, and the path (percent-encoded) of `location`.
    private func address(_ location: S3Location) -> (base: String, host: String, path: String) {
        let key = SigV4.percentEncode(location.key, keepingSlash: true)
        if let endpoint = configuration.endpoint {
            let host = (endpoint.host ?? "") + (endpoint.port.map { ":\($0)" } ?? "")
            let basePath = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
            let path = basePath + "/" + location.bucket + (location.key.isEmpty ? "" : "/" + key)
            return ("\(endpoint.scheme ?? "http")://\(host)", host, path)
        }
        let host = "\(location.bucket).s3.\(configuration.region).amazonaws.com"
        return ("https://\(host)", host, "/" + key)
    }

    /// Throws S3's error unless `response` is a success; the success's body is left to read.
    private static func check(_ response: HTTPClientResponse, _ operation: String) async throws {
        guard !(200..<300).contains(response.status.code) else { return }
        let data = (try? await response.body.collect(upTo: 1 << 16)).map { Data($0.readableBytesView) } ?? Data()
        throw error(status: Int(response.status.code), data: data, operation: operation)
    }

    /// The body of a successful answer (at most 64 MiB), else S3's error.
    private static func body(of response: HTTPClientResponse, _ operation: String) async throws -> Data {
        try await check(response, operation)
        return Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
    }

    private static func error(status: Int, data: Data, operation: String) -> S3Error {
        if let error = S3XML.error(data) { return S3Error(code: error.code, message: error.message, status: status) }
        let code =
            switch status {
            case 404: "NotFound"
            case 403: "AccessDenied"
            case 301: "PermanentRedirect"
            default: "HTTP\(status)"
            }
        return S3Error(code: code, message: "\(operation) answered HTTP \(status).", status: status)
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                throw S3Error(
                    code: "LocalWriteFailed", message: "cannot write \(path): \(String(cString: strerror(errno)))",
                    status: 0)
            }
            offset += written
        }
    }
}

extension Duration {
    fileprivate static func minutes(_ minutes: Int64) -> Duration { .seconds(minutes * 60) }
    fileprivate static func hours(_ hours: Int64) -> Duration { .seconds(hours * 3600) }

    fileprivate var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
