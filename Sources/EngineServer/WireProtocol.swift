import EngineAPI
import Foundation
import NIOCore

/// The two wire protocols of Amazon Personalize.
package enum WireProtocol: Sendable, Hashable {
    /// AWS JSON 1.1: the control plane, `POST /` with `X-Amz-Target: AmazonPersonalize.<Operation>`.
    case json11
    /// REST-JSON: the runtime and events, one path per operation.
    case restJSON

    /// The protocol of an operation of `service`.
    init(_ service: ServiceKind) {
        self = service == .controlPlane ? .json11 : .restJSON
    }

    /// The `Content-Type` of its bodies.
    var contentType: String {
        switch self {
        case .json11: "application/x-amz-json-1.1"
        case .restJSON: "application/json"
        }
    }

    /// The `X-Amz-Target` prefix of control-plane operations.
    static let targetPrefix = "AmazonPersonalize."
}

/// Where each operation is found on the wire, from the service models' `OperationInfo`.
enum OperationTable {
    /// Control-plane operations by name.
    static let controlPlane: [String: any PersonalizeOperation.Type] = Operations.all.filter {
        $0.value.operation.service == .controlPlane
    }

    /// Runtime and events operations by request path.
    static let rest: [String: any PersonalizeOperation.Type] = Dictionary(
        Operations.all.values.filter { $0.operation.service != .controlPlane }.map { ($0.operation.path, $0) },
        uniquingKeysWith: { first, _ in first })

    /// The control-plane operation an `X-Amz-Target` value names, if any.
    static func controlPlaneOperation(target: String?) -> (any PersonalizeOperation.Type)? {
        guard let target, target.hasPrefix(WireProtocol.targetPrefix) else { return nil }
        return controlPlane[String(target.dropFirst(WireProtocol.targetPrefix.count))]
    }
}

/// Turns a request body into a typed request, and a typed response into a body.
enum WireCoding {
    /// Decodes `buffer` (an empty body is `{}`) as `Operation`; a `GetRecommendationsRequest` of the common
    /// shape without `JSONDecoder` (``RecommendationsRequestJSON``).
    ///
    /// - Throws: ``PersonalizeHTTPError``: `InvalidInputException` for a missing required member (the
    ///   service's "Member must not be null"), `SerializationException` for anything else unreadable.
    static func decode<Operation: PersonalizeOperation>(
        _ type: Operation.Type, from buffer: ByteBuffer, wire: WireProtocol
    ) throws -> Operation {
        if Operation.self == GetRecommendationsRequest.self,
            let request = RecommendationsRequestJSON.decode(buffer) as? Operation
        {
            return request
        }
        let body = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        do {
            return try PersonalizeJSON.decoder().decode(Operation.self, from: body)
        } catch let error as DecodingError {
            throw mapped(error, operation: Operation.operation.name, body: body, wire: wire)
        }
    }

    /// Encodes a response the way the service writes it.
    static func encode(_ response: some Encodable) throws -> ByteBuffer {
        if let recommendations = response as? GetRecommendationsResponse,
            let buffer = RecommendationsJSON.encode(recommendations)
        {
            return buffer
        }
        return ByteBuffer(bytes: try PersonalizeJSON.encoder().encode(response))
    }

    private static func mapped(
        _ error: DecodingError, operation: String, body: Data, wire: WireProtocol
    ) -> PersonalizeHTTPError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = memberPath(context.codingPath + [key])
            return PersonalizeHTTPError(
                "InvalidInputException",
                "1 validation error detected: Value null at '\(path)' failed to satisfy constraint: Member must not be null",
                wire: wire)
        case .valueNotFound(_, let context):
            let path = memberPath(context.codingPath)
            return PersonalizeHTTPError(
                "InvalidInputException",
                "1 validation error detected: Value null at '\(path)' failed to satisfy constraint: Member must not be null",
                wire: wire)
        case .typeMismatch(let type, let context):
            let path = memberPath(context.codingPath)
            let place = path.isEmpty ? "the request body" : "'\(path)'"
            return .serialization(
                "Cannot read \(operation) request: expected \(describe(type)) at \(place).", wire: wire)
        case .dataCorrupted(let context):
            let path = memberPath(context.codingPath)
            let detail =
                if !path.isEmpty {
                    "the value at '\(path)' is not valid"
                } else if isValidJSON(withNumbersAsZero: body) {
                    // JSONDecoder says "not valid JSON", without a path, of numbers its member's type cannot hold.
                    "a number does not fit its member (integers must be whole and within 64 bits)"
                } else {
                    "the body is not valid JSON"
                }
            return .serialization("Cannot read \(operation) request: \(detail).", wire: wire)
        @unknown default:
            return .serialization("Cannot read \(operation) request.", wire: wire)
        }
    }

    /// Whether `body` is valid JSON once every number in it is replaced by `0`: then what made it unreadable is
    /// a number (too large for any type, or not whole where an integer is expected). Only on the error path.
    private static func isValidJSON(withNumbersAsZero body: Data) -> Bool {
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var strings = JSONStringTracker()
        var inNumber = false
        for byte in body {
            if strings.consume(byte) {
                inNumber = false
                output.append(byte)
                continue
            }
            let numeric =
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                || (inNumber
                    && [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+")].contains(byte))
            if numeric {
                if !inNumber { output.append(UInt8(ascii: "0")) }
                inNumber = true
                continue
            }
            inNumber = false
            output.append(byte)
        }
        return (try? JSONSerialization.jsonObject(with: Data(output), options: [.fragmentsAllowed])) != nil
    }

    private static func memberPath(_ path: [any CodingKey]) -> String {
        path.map { key in key.intValue.map { String($0 + 1) } ?? key.stringValue }.joined(separator: ".")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [String: Any].Type: "an object"
        case is [Any].Type: "a list"
        default:
            String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
