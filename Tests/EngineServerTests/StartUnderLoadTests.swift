import Foundation
import TailorTestSupport
import Testing

/// A server started while clients already send at full rate: each model loads once, whatever the number of
/// requests that find it missing; those that cannot wait for it get a 503 `ServiceUnavailable` with `Retry-After`
/// (which the AWS SDKs retry), and every request succeeds once it is loaded.
@Suite(.tags(.large))
struct StartUnderLoadTests {
    static func recommendations(_ campaign: String, user: Int, port: Int) -> [UInt8] {
        let body = #"{"campaignArn": "\#(campaign)", "userId": "u\#(user)", "numResults": 5}"#
        return RawHTTP.crlf(
            "POST /recommendations HTTP/1.1\nHost: 127.0.0.1:\(port)\nContent-Type: application/json\n"
                + "Content-Length: \(body.utf8.count)\nConnection: close\n\n") + Array(body.utf8)
    }

    @Test func aModelLoadsOnceWhileManyRequestsWaitOrAreToldToRetry() async throws {
        let workspace = try TemporaryDirectory("tailor-start-under-load")
        defer { workspace.remove() }
        try workspace.write("m/data/interactions.csv", SyntheticData(users: 200, items: 120).interactionsCSV())
        try workspace.write(
            "m/resources.yaml",
            ManifestFixtures.interactions("load") + "---\n" + ManifestFixtures.solution("picks", group: "load"))
        let apply = try TailorProcess.run(["apply", "--auto-approve", "m"], in: workspace.url)
        try #require(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let campaign = "arn:aws:personalize:local:000000000000:campaign/picks"

        for wait in ["0", "30"] {
            // A fresh process: nothing loaded. With no wait, requests that find the model loading are told to retry;
            // with a long one, they all wait for the same load.
            let server = try ServeProcess(arguments: [
                "--data-dir", workspace.url.appendingPathComponent("m/.tailor/engine").path, "--verbose",
                "--model-load-wait", wait,
            ])
            defer { server.stop() }
            let port = server.port
            let answers = try await withThrowingTaskGroup(of: RawHTTP.Response?.self) { group in
                for user in 0..<48 {
                    group.addTask {
                        try await RawHTTP.onThread {
                            try RawHTTP.exchange(Self.recommendations(campaign, user: user, port: port), port: port)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.count == 48)
            for answer in answers {
                let answer = try #require(answer, "the server closed a connection without answering")
                if answer.status == 503 {
                    #expect(wait == "0", "with a 30 s wait every request waits for the load")
                    #expect(answer.header("retry-after") == "1")
                    #expect(answer.header("x-amzn-errortype") == "ServiceUnavailable")
                    #expect(answer.hasAWSErrorShape)
                } else {
                    #expect(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
                }
            }
            // Once loaded, everyone is served.
            var served = false
            for _ in 0..<100 where !served {
                let answer = try await RawHTTP.onThread {
                    try RawHTTP.exchange(Self.recommendations(campaign, user: 1, port: port), port: port)
                }
                served = answer?.status == 200
                if !served { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(served)
            let loads = server.log.components(separatedBy: "model loaded").count - 1
            #expect(loads == 1, "\(loads) loads of one model\n\(server.log.suffix(2000))")
        }
    }

    /// The new numbers a server takes are checked before it starts: out of range, not finite, beyond 64 bits.
    @Test(arguments: [
        ["--model-load-wait", "-1"], ["--model-load-wait", "nan"], ["--model-load-wait", "1e400"],
        ["--model-load-wait", "3601"], ["--list-users", "-5"], ["--list-users", "10000001"],
        ["--list-users", "99999999999999999999"],
    ])
    func outOfRangeNumbersAreRefusedBeforeTheServerStarts(_ option: [String]) throws {
        let folder = try TemporaryDirectory("tailor-serve-options")
        defer { folder.remove() }
        let result = try TailorProcess.run(
            ["serve", "--port", "0", "--data-dir", folder.url.appendingPathComponent("data").path] + option,
            in: folder.url)
        #expect(result.status != 0)
        #expect(result.stderr.contains(option[0]) || result.stderr.contains("list-users"), "\(result.stderr)")
        #expect(!result.stdout.contains("Listening on"))
    }
}
