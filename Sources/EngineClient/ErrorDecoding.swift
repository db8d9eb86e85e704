import EngineAPI
import Foundation

/// Reads an error answer as botocore does: the name from `x-amzn-ErrorType`, else the body's `__type`
/// (or `code`), without any `prefix#` or `:suffix`; the message from `message` or `Message`.
enum ErrorDecoding {
    static func error(status: Int, headers: [String: String], body: Data) -> PersonalizeError {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let rawCode =
            headers["x-amzn-errortype"] ?? object["__type"] as? String ?? object["code"] as? String
            ?? object["Code"] as? String
        let message =
            object["message"] as? String ?? object["Message"] as? String
            ?? (body.isEmpty ? "HTTP \(status)" : String(decoding: body.prefix(1000), as: UTF8.self))
        return PersonalizeError(PersonalizeErrorCode(rawValue: rawCode.map(cleaned) ?? fallbackCode(status)), message)
    }

    /// `com.amazon.coral#Name:http://...` → `Name`.
    private static func cleaned(_ code: String) -> String {
        let name = code.split(separator: ":", maxSplits: 1).first.map(String.init) ?? code
        return name.split(separator: "#").last.map(String.init) ?? name
    }

    private static func fallbackCode(_ status: Int) -> String {
        switch status {
        case 400: "InvalidInputException"
        case 403: "AccessDeniedException"
        case 404: "ResourceNotFoundException"
        case 409: "ResourceInUseException"
        case 429: "ThrottlingException"
        case 500..<600: "ServiceUnavailable"
        default: "HTTP\(status)"
        }
    }
}
