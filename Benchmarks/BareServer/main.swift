import Foundation
import Hummingbird

// The reference of Benchmarks/serve-benchmark: a bare Hummingbird route answering POST /recommendations with a
// fixed body the size of a 25-item GetRecommendations response, so that the benchmark can show what HTTP and
// Hummingbird alone cost next to `tailor serve`. Usage: BareServer PORT

let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 8081 : 8081
let items = (0..<25).map { #"{"itemId":"i\#($0 * 37)","score":0.0\#(100 - $0)}"# }.joined(separator: ",")
let body = ByteBuffer(string: #"{"itemList":[\#(items)],"recommendationId":"RID-fixed"}"#)
let router = Router()
router.post("/recommendations") { request, _ -> Response in
    _ = try await request.body.collect(upTo: 1 << 20)
    return Response(
        status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
// Written unbuffered: the benchmark reads this line from a pipe.
FileHandle.standardOutput.write(Data("Listening on http://127.0.0.1:\(port)\n".utf8))
try await app.runService()
