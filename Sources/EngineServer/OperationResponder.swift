import EngineAPI
import Foundation
import Hummingbird
import NIOCore

/// Answers the operations of one ``PersonalizeService`` in Personalize's wire protocols, generically:
/// any operation in ``Operations/all`` is decoded, sent and encoded without code of its own, so every
/// operation the engine implements is served.
struct OperationResponder<Backend: PersonalizeService>: Sendable {
    let service: Backend
    let maximumBodySize: Int

    /// `POST /` with `X-Amz-Target: AmazonPersonalize.<Operation>`.
    func controlPlane(_ request: Request, context: some RequestContext) async throws -> Response {
        let target = request.headers[.amzTarget]
        guard let type = OperationTable.controlPlaneOperation(target: target) else {
            let message =
                target.map { "Unknown operation \($0); the target must be AmazonPersonalize.<Operation>." }
                ?? "Missing the X-Amz-Target header naming the operation (AmazonPersonalize.<Operation>)."
            throw PersonalizeHTTPError.unknownOperation(message, wire: .json11)
        }
        return try await respond(type, to: request, wire: .json11)
    }

    /// `POST <path>` of a runtime or events operation.
    func rest(
        _ type: any PersonalizeOperation.Type, _ request: Request, context: some RequestContext
    ) async throws -> Response {
        try await respond(type, to: request, wire: .restJSON)
    }

    private func respond<Operation: PersonalizeOperation>(
        _ type: Operation.Type, to request: Request, wire: WireProtocol
    ) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: maximumBodySize)
        let typed = try WireCoding.decode(type, from: body, wire: wire)
        let response: Operation.Response
        do {
            response = try await service.send(typed)
        } catch let error as PersonalizeError {
            throw PersonalizeHTTPError(error, wire: wire)
        }
        var headers = HTTPFields()
        headers[.contentType] = wire.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: try WireCoding.encode(response)))
    }
}
