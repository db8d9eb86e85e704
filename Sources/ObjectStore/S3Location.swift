/// An `s3://bucket/key` URI: an object, or with an empty key or one ending in `/`, a prefix ("folder").
package struct S3Location: Sendable, Hashable, CustomStringConvertible {
    /// The bucket's name.
    package var bucket: String
    /// The key below the bucket, without a leading `/` (empty for the whole bucket).
    package var key: String

    package init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `uri`; nil when it is not an `s3://` URI with a valid bucket name (3 to 63 lowercase letters,
    /// digits, dots and hyphens, starting and ending with a letter or digit) and a key of at most 1,024 bytes
    /// without control characters.
    package init?(_ uri: String) {
        guard uri.hasPrefix("s3://") else { return nil }
        let rest = uri.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        let key = rest.dropFirst(bucket.count).drop { $0 == "/" }
        guard Self.isValidBucket(bucket), key.utf8.count <= 1024,
            !key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        self.init(bucket: String(bucket), key: String(key))
    }

    /// Whether the location names a prefix rather than one object: its key is empty or ends in `/`.
    package var isPrefix: Bool { key.isEmpty || key.hasSuffix("/") }

    /// The last part of the key (the object's name), empty for a prefix.
    package var name: String { String(key.split(separator: "/", omittingEmptySubsequences: false).last ?? "") }

    /// The object `name` under this location taken as a folder (a `/` is put between them when missing).
    package func appending(_ name: String) -> S3Location {
        S3Location(bucket: bucket, key: key.isEmpty || key.hasSuffix("/") ? key + name : key + "/" + name)
    }

    package var description: String { "s3://\(bucket)/\(key)" }

    static func isValidBucket(_ name: Substring) -> Bool {
        guard (3...63).contains(name.utf8.count), let first = name.utf8.first, let last = name.utf8.last else {
            return false
        }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return alphanumeric(first) && alphanumeric(last)
            && name.utf8.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }
}

/// An object as S3 describes it.
package struct S3Object: Sendable, Hashable {
    /// Where it is.
    package var location: S3Location
    /// Its size in bytes.
    package var size: Int64
    /// Its entity tag, without quotes (for a single-part upload, the hex MD5 of its content).
    package var etag: String
}

/// An error S3 answered, or a failure to reach it.
package struct S3Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// S3's error code (`NoSuchKey`, `NoSuchBucket`, `AccessDenied`, `SignatureDoesNotMatch`,
    /// `InvalidAccessKeyId`, ...), or `RequestFailed` when no answer came.
    package var code: String
    /// S3's message, or what went wrong.
    package var message: String
    /// The HTTP status (0 when no answer came).
    package var status: Int

    /// Whether S3 refused the credentials or the permission (the service's "Insufficient privileges").
    package var isAccessDenied: Bool {
        status == 403
            || [
                "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidToken",
                "ExpiredToken",
            ].contains(code)
    }

    /// Whether the bucket or key does not exist.
    package var isNotFound: Bool { status == 404 || code == "NoSuchKey" || code == "NoSuchBucket" }

    package var description: String { "\(code): \(message)" }
}
