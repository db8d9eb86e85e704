/// The `Authorization` header of a SigV4-signed request:
/// `AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=HEX`.
package struct SigV4Authorization: Sendable, Hashable {
    /// The access key the request claims.
    package var accessKeyID: String
    /// The credential scope.
    package var scope: SigV4Scope
    /// The lowercase names of the signed headers, sorted.
    package var signedHeaders: [String]
    /// The hex signature.
    package var signature: String

    package init(accessKeyID: String, scope: SigV4Scope, signedHeaders: [String], signature: String) {
        self.accessKeyID = accessKeyID
        self.scope = scope
        self.signedHeaders = signedHeaders
        self.signature = signature
    }

    /// Why an `Authorization` header could not be read; the messages are the ones AWS answers with.
    package enum ParseError: Error, Hashable, CustomStringConvertible {
        /// The header does not start with `AWS4-HMAC-SHA256`.
        case unsupportedAlgorithm
        /// A required part (`Credential`, `SignedHeaders`, `Signature`) is missing.
        case missingPart(String)
        /// The credential is not `KEY/DATE/REGION/SERVICE/aws4_request`.
        case malformedCredential(String)

        package var description: String {
            switch self {
            case .unsupportedAlgorithm:
                "Authorization header requires the AWS4-HMAC-SHA256 algorithm."
            case .missingPart(let part):
                "Authorization header requires '\(part)' parameter."
            case .malformedCredential:
                // The value is not quoted: whatever was put there by mistake may be a secret.
                "Credential should be of the form ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request."
            }
        }
    }

    /// Reads an `Authorization` header value.
    ///
    /// - Throws: ``ParseError`` naming what is missing or malformed.
    package init(parsing header: String) throws(ParseError) {
        let trimmed = header.drop { $0 == " " }
        guard trimmed.hasPrefix(SigV4.algorithm + " ") else { throw .unsupportedAlgorithm }
        var parts: [String: String] = [:]
        for part in trimmed.dropFirst(SigV4.algorithm.count + 1).split(separator: ",") {
            let part = trimmingSpaces(part)
            guard let equals = part.firstIndex(of: "=") else { continue }
            parts[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        guard let credential = parts["Credential"] else { throw .missingPart("Credential") }
        guard let signedHeaders = parts["SignedHeaders"] else { throw .missingPart("SignedHeaders") }
        guard let signature = parts["Signature"] else { throw .missingPart("Signature") }
        let fields = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5, fields[4] == "aws4_request", !fields[0].isEmpty, fields[1].count == 8 else {
            throw .malformedCredential(credential)
        }
        self.init(
            accessKeyID: fields[0], scope: SigV4Scope(date: fields[1], region: fields[2], service: fields[3]),
            signedHeaders: signedHeaders.split(separator: ";").map { $0.lowercased() }, signature: signature)
    }

    /// What of an `Authorization` header an error message may quote: nothing unless it is a SigV4 header, then
    /// its `Credential` when it has the credential's shape (an access key id and scope are no secret: AWS quotes
    /// them too) and its `SignedHeaders`, printable and bounded. The `Signature` (valid for a quarter of an
    /// hour), a malformed credential and anything unrecognised are left out.
    package static func redactedEcho(of header: String) -> String {
        let trimmed = header.drop { $0 == " " }
        guard trimmed.hasPrefix(SigV4.algorithm + " ") else { return "<not AWS4-HMAC-SHA256; not shown>" }
        var parts: [String] = [SigV4.algorithm]
        for part in trimmed.dropFirst(SigV4.algorithm.count + 1).split(separator: ",").prefix(8) {
            let part = trimmingSpaces(part)
            guard let equals = part.firstIndex(of: "=") else { continue }
            let value = part[part.index(after: equals)...]
            switch part[..<equals] {
            case "Credential":
                parts.append("Credential=" + (isCredentialShaped(value) ? printable(value) : "<malformed; not shown>"))
            case "SignedHeaders":
                parts.append("SignedHeaders=" + printable(value))
            case "Signature":
                parts.append("Signature=<not shown>")
            default:
                continue
            }
        }
        return parts.joined(separator: " ")
    }

    /// `KEY/YYYYMMDD/REGION/SERVICE/aws4_request` with an alphanumeric key of at most 128 characters.
    private static func isCredentialShaped(_ value: Substring) -> Bool {
        let fields = value.split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[4] == "aws4_request", fields[1].count == 8, (1...128).contains(fields[0].count)
        else { return false }
        return fields[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// The header value.
    package var headerValue: String {
        "\(SigV4.algorithm) Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
    }
}

/// `value` with anything outside printable ASCII as `?`, cut to 128 characters.
private func printable(_ value: some StringProtocol) -> String {
    let limit = 128
    let shown = String(
        decoding: value.utf8.prefix(limit).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    return value.utf8.count > limit ? shown + "..." : shown
}

/// `part` without leading and trailing spaces.
private func trimmingSpaces(_ part: Substring) -> Substring {
    var part = part
    while part.first == " " { part = part.dropFirst() }
    while part.last == " " { part = part.dropLast() }
    return part
}
