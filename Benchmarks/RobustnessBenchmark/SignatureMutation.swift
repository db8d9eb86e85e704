import Foundation
import SigV4

/// Signs requests as botocore does (for a server started with auth keys), then breaks the signature in one
/// place: the credential scope, the signed headers, the signature, the date, the payload hash, the body.
enum SignatureMutation {
    static let keyID = "FUZZKEYID"
    static let secret = "fuzz-secret-access-key"
    static let signer = SigV4Signer(
        credentials: SigV4Credentials(accessKeyID: keyID, secretAccessKey: secret), region: "us-east-1",
        service: "personalize")

    /// Adds `X-Amz-Date`, `X-Amz-Content-Sha256` and `Authorization` for the request as it stands (signed now:
    /// the server allows 15 minutes of skew, so the signing time is the one part of an input that is not
    /// made from its seed).
    static func sign(_ request: inout RequestParts) {
        let payload = SigV4.sha256Hex(request.body)
        let headers =
            request.headers.map {
                (name: String(decoding: $0.name, as: UTF8.self), value: String(decoding: $0.value, as: UTF8.self))
            }
            + [(name: "X-Amz-Content-Sha256", value: payload)]
        let signed = signer.signingHeaders(
            for: SigV4Request(method: request.method, path: request.target, headers: headers, payloadHash: payload),
            at: Date())
        request.headers.append((Array("X-Amz-Content-Sha256".utf8), Array(payload.utf8)))
        for header in signed { request.headers.append((Array(header.name.utf8), Array(header.value.utf8))) }
    }

    /// Breaks the signature in one place; returns the change's name.
    static func apply(_ request: inout RequestParts, _ random: inout SplitMix) -> String {
        guard let index = request.headers.firstIndex(where: { $0.name == Array("Authorization".utf8) }) else {
            return "unsigned"
        }
        var value = String(decoding: request.headers[index].value, as: UTF8.self)
        switch random.below(12) {
        case 0:
            value = value.replacingOccurrences(
                of: keyID, with: random.pick(["OTHERKEY", "", "FUZZKEYID/x", repeatedString("K", 5000)]))
        case 1:
            value = value.replacingOccurrences(
                of: "/us-east-1/", with: random.pick(["/eu-west-1/", "//", "/us-east-1/x/"]))
        case 2:
            value = value.replacingOccurrences(
                of: "/personalize/", with: random.pick(["/s3/", "/personalize-runtime/", "/"]))
        case 3:
            value = value.replacingOccurrences(
                of: "SignedHeaders=",
                with: "SignedHeaders="
                    + random.pick(["", ";", "x-amz-date;", "HOST;", "host;host;", repeatedString("a;", 2000)])
            )
        case 4:
            if let range = value.range(of: "Signature=") {
                value =
                    String(value[..<range.upperBound])
                    + random.pick([
                        "", "00", "zz", repeatedString("0", 64), repeatedString("f", 10_000),
                    ])
            }
        case 5:
            value = random.pick([
                "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA512 " + value.dropFirst(17), value + ", Extra=1",
                value.replacingOccurrences(of: ", ", with: ","),
                value.replacingOccurrences(of: "Credential=", with: "Credential ="),
                String(value.prefix(random.below(value.count + 1))),
            ])
        case 6:
            setHeader(
                &request, "X-Amz-Date",
                random.pick([
                    "20240230T250000Z", "", "0", "99999999T999999Z", "20000101T000000Z", "21000101T000000Z",
                    "2024-01-01T00:00:00Z",
                ]))
            return "sigv4-date"
        case 7:
            setHeader(
                &request, "X-Amz-Content-Sha256",
                random.pick(["UNSIGNED-PAYLOAD", "", "00", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"]))
            return "sigv4-payload-hash"
        case 8:
            request.body = ByteMutation.apply(request.body, &random)
            return "sigv4-body-changed"
        case 9:
            request.headers.append(request.headers[index])
            return "sigv4-duplicate-authorization"
        case 10:
            request.headers.remove(at: index)
            return "sigv4-no-authorization"
        default:
            request.headers.append(
                (
                    Array("X-Amz-Security-Token".utf8),
                    Array(random.pick(["", "token", repeatedString("t", 100_000)]).utf8)
                ))
            return "sigv4-token"
        }
        request.headers[index].value = Array(value.utf8)
        return "sigv4-authorization"
    }

    private static func setHeader(_ request: inout RequestParts, _ name: String, _ value: String) {
        let key = Array(name.utf8)
        request.headers.removeAll { $0.name == key }
        request.headers.append((key, Array(value.utf8)))
    }
}
