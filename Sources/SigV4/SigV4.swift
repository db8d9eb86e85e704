import Crypto
package import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`): the canonical request, the string to sign and the
/// signing-key chain, written once for both sides of the wire: ``SigV4Signer`` signs and
/// ``SigV4/signature(for:signedHeaders:timestamp:scope:secretAccessKey:)`` recomputes a signature to
/// verify one.
///
/// The canonical forms follow botocore's `SigV4Auth` byte for byte, so a request botocore signs is
/// verified here and a request signed here is accepted by AWS.
package enum SigV4 {
    /// The algorithm name in the `Authorization` header and the string to sign.
    package static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash that says the body is not signed.
    package static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The signature of a request: hex HMAC-SHA256 of the string to sign with the derived key.
    ///
    /// - Parameters:
    ///   - request: The parts of the request the signature covers.
    ///   - signedHeaders: The lowercase names of the signed headers.
    ///   - timestamp: The `X-Amz-Date` value, `yyyyMMdd'T'HHmmss'Z'`.
    ///   - scope: The credential scope.
    ///   - secretAccessKey: The secret key.
    /// - Returns: 64 lowercase hex digits.
    package static func signature(
        for request: SigV4Request, signedHeaders: [String], timestamp: String, scope: SigV4Scope,
        secretAccessKey: String
    ) -> String {
        let canonical = canonicalRequest(request, signedHeaders: signedHeaders, pathAsSent: scope.service == "s3")
        let toSign = stringToSign(canonicalRequest: canonical, timestamp: timestamp, scope: scope)
        let key = signingKey(secretAccessKey: secretAccessKey, scope: scope)
        return hex(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key))
    }

    /// The canonical request: method, canonical URI, canonical query, canonical headers, signed
    /// headers and payload hash, one per line.
    ///
    /// With `pathAsSent` (S3, whose object keys may hold `//` and `.`), the canonical URI is the path as sent;
    /// else it is normalised and encoded once more (``canonicalURI(_:)``).
    package static func canonicalRequest(
        _ request: SigV4Request, signedHeaders: [String], pathAsSent: Bool = false
    ) -> String {
        let names = Set(signedHeaders.map { $0.lowercased() }).sorted()
        let headerLines = names.map { name in
            let values = request.headers.filter { $0.name.lowercased() == name }.map { trimAll($0.value) }
            return "\(name):\(values.joined(separator: ","))"
        }
        return [
            request.method.uppercased(),
            pathAsSent ? (request.path.isEmpty ? "/" : request.path) : canonicalURI(request.path),
            canonicalQuery(request.query),
            headerLines.joined(separator: "\n") + "\n",
            names.joined(separator: ";"),
            request.payloadHash,
        ].joined(separator: "\n")
    }

    /// The string to sign: algorithm, timestamp, scope and the hash of the canonical request.
    package static func stringToSign(canonicalRequest: String, timestamp: String, scope: SigV4Scope) -> String {
        [algorithm, timestamp, scope.description, sha256Hex(Data(canonicalRequest.utf8))].joined(separator: "\n")
    }

    /// The signing key: `HMAC("AWS4" + secret, date)`, then region, service and `aws4_request`.
    static func signingKey(secretAccessKey: String, scope: SigV4Scope) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [scope.date, scope.region, scope.service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key))
        }
        return key
    }

    /// The hex SHA-256 of a body, as the canonical request's last line.
    package static func sha256Hex(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Compares two signatures in time independent of where they differ.
    package static func constantTimeEquals(_ left: String, _ right: String) -> Bool {
        let left = Array(left.utf8)
        let right = Array(right.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }

    // MARK: Canonical forms

    /// The path as sent (already percent-encoded), with dot segments and repeated slashes removed and
    /// then percent-encoded once more, as botocore does for every service but S3.
    package static func canonicalURI(_ path: String) -> String {
        percentEncode(removingDotSegments(path.isEmpty ? "/" : path), keepingSlash: true)
    }

    /// The query's `key=value` pairs as sent, sorted.
    package static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> (String, String) in
            guard let equals = pair.firstIndex(of: "=") else { return (String(pair), "") }
            return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// RFC 3986 "remove dot segments", also collapsing repeated slashes (botocore's `remove_dot_segments`).
    static func removingDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = output.popLast()
            } else {
                output.append(segment)
            }
        }
        let first = path.hasPrefix("/") ? "/" : ""
        let last = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return first + output.joined(separator: "/") + last
    }

    /// Percent-encodes everything but unreserved characters (and `/` when asked).
    package static func percentEncode(_ string: String, keepingSlash: Bool) -> String {
        var result = ""
        result.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                result.append("/")
            default:
                result.append("%")
                result.append(hexDigits[Int(byte >> 4)])
                result.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    /// Trims a header value and collapses runs of whitespace to one space.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")
    private static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var digits: [UInt8] = []
        for byte in bytes {
            digits.append(lowerHexDigits[Int(byte >> 4)])
            digits.append(lowerHexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

/// The parts of an HTTP request a signature covers.
package struct SigV4Request: Sendable {
    /// The HTTP method, e.g. `POST`.
    package var method: String
    /// The path as sent on the wire (percent-encoded), without the query.
    package var path: String
    /// The query string as sent, without `?` (empty when there is none).
    package var query: String
    /// The request's headers (any case; repeated names allowed).
    package var headers: [(name: String, value: String)]
    /// The hex SHA-256 of the body (``SigV4/sha256Hex(_:)``) or ``SigV4/unsignedPayload``.
    package var payloadHash: String

    package init(
        method: String, path: String, query: String = "", headers: [(name: String, value: String)],
        payloadHash: String
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    /// The value of the first header called `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name.lowercased() == name }?.value
    }
}

/// A credential scope: `DATE/REGION/SERVICE/aws4_request`.
package struct SigV4Scope: Sendable, Hashable, CustomStringConvertible {
    /// The day, `yyyyMMdd`.
    package var date: String
    /// The region, e.g. `us-east-1`.
    package var region: String
    /// The signing name of the service, e.g. `personalize`.
    package var service: String

    package init(date: String, region: String, service: String) {
        self.date = date
        self.region = region
        self.service = service
    }

    package var description: String { "\(date)/\(region)/\(service)/aws4_request" }
}

/// An access key, its secret and, for temporary credentials, a session token.
package struct SigV4Credentials: Sendable, Hashable {
    package var accessKeyID: String
    package var secretAccessKey: String
    package var sessionToken: String?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}
