import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hands requests that NIO's HTTP/1 decoder could not read to the router, so that they too are answered in
/// the AWS error shape.
///
/// Hummingbird answers an `HTTPParserError` itself, with an empty 400, before any middleware sees the
/// request (`HTTPChannelHandler.handleHTTP`); a head the HTTP types cannot represent is not answered at all.
/// This handler sits between the decoder and Hummingbird (`HTTP1Channel.Configuration.additionalChannelHandlers`)
/// and replaces such an error, in its place among the parts read, by a synthetic request with the method
/// ``MalformedRequest/method``, which no HTTP/1 request on the wire can have, and the reason in a header.
/// ``AccessMiddleware`` answers it with `400 SerializationException` and closes the connection.
///
/// An error in the middle of a request's body cannot be turned into a request of its own: it is passed on as
/// a ``MalformedRequest`` error, which the body's reader throws and ``RequestMiddleware`` renders.
final class MalformedRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private enum State {
        /// Between requests.
        case idle
        /// Between a request's head and its end.
        case reading
        /// A head could not be converted: its body is dropped, its end closes the synthetic request.
        case discardingBody
        /// The decoder failed; it reads nothing more on this connection.
        case failed
    }

    private var state = State.idle

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (state, part) {
        case (.failed, _), (.discardingBody, .head), (.discardingBody, .body):
            return
        case (.discardingBody, .end):
            state = .idle
            context.fireChannelRead(wrapInboundOut(.end(nil)))
            return
        case (_, .head(let head)) where head.method == .connect:
            // NIO's decoder reads nothing after a CONNECT head (the connection would become a tunnel), so the
            // request would never end: it is answered as malformed at once, and the connection closed.
            state = .failed
            context.fireChannelRead(wrapInboundOut(.head(MalformedRequest.head(reason: ConnectRefused()))))
            context.fireChannelRead(wrapInboundOut(.end(nil)))
            return
        case (_, .head):
            state = .reading
        case (_, .end):
            state = .idle
        case (_, .body):
            break
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch (state, error) {
        case (.failed, is ByteToMessageDecoderError), (.failed, is HTTPParserError):
            return  // what the failed decoder says about the bytes after the error
        case (.idle, let error as HTTPParserError):
            state = .failed
            context.fireChannelRead(wrapInboundOut(.head(MalformedRequest.head(reason: error))))
            context.fireChannelRead(wrapInboundOut(.end(nil)))
        case (.reading, let error as HTTPParserError):
            state = .failed
            context.fireErrorCaught(MalformedRequest(reason: "\(error)"))
        case (.idle, let error as HTTP1TypeConversionError):
            state = .discardingBody
            context.fireChannelRead(wrapInboundOut(.head(MalformedRequest.head(reason: error))))
        default:
            context.fireErrorCaught(error)
        }
    }
}

/// The reason given for a CONNECT request, which the server does not tunnel.
private struct ConnectRefused: Error, CustomStringConvertible {
    var description: String { "CONNECT is not supported" }
}

/// A request the HTTP/1 decoder could not read; thrown by the body of a request cut short by one.
struct MalformedRequest: Error, CustomStringConvertible {
    /// What the decoder said.
    let reason: String

    var description: String { "The request is not valid HTTP/1.1 (\(reason)); it was not processed." }

    /// The method of the synthetic request that stands for one: a token, so valid in `HTTPRequest`, but no
    /// method the HTTP/1 parser accepts from a client.
    static let method = HTTPRequest.Method("TAILOR-MALFORMED-REQUEST")!
    /// The header carrying the decoder's reason.
    static let reasonHeader = HTTPField.Name("Tailor-Malformed-Reason")!
    /// The header present when the reason is that the head was over the decoder's size limit.
    static let tooLargeHeader = HTTPField.Name("Tailor-Malformed-Head-Too-Large")!

    static func head(reason: any Error) -> HTTPRequest {
        var fields: HTTPFields = [reasonHeader: Echo.printable("\(reason)"), .connection: "close"]
        if let parserError = reason as? HTTPParserError, parserError == .headerOverflow {
            fields[tooLargeHeader] = "1"
        }
        return HTTPRequest(method: method, scheme: "http", authority: nil, path: "/", headerFields: fields)
    }
}
