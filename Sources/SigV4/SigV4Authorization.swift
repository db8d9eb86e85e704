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
            case .malformedCredential(let credential):
                "Credential should be of the form ACCESS_KEY/YYYYMMDD/REGION/SERVICE/aws4_request, got '\(credential)'."
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

    /// The header value.
    package var headerValue: String {
        "\(SigV4.algorithm) Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
    }
}

/// `part` without leading and trailing spaces.
private func trimmingSpaces(_ part: Substring) -> Substring {
    var part = part
    while part.first == " " { part = part.dropFirst() }
    while part.last == " " { part = part.dropLast() }
    return part
}
