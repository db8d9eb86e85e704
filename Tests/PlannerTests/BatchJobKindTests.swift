import Engine
import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Batch inference and batch segment jobs on the embedded engine: a job runs once per spec, input content and
/// solution version; its output has a line per input line; a failed job reports the engine's reason.
@Suite struct BatchJobKindTests {
    static let solutions =
        ShopFixtures.popular + """
            ---
            apiVersion: tailor/v1
            kind: Filter
            metadata: {name: no-purchases}
            spec:
              datasetGroup: shop
              expression: EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")

            """

    static func job(numResults: Int = 5, filter: Bool = false, team: String = "recs") -> String {
        """
        apiVersion: tailor/v1
        kind: BatchInferenceJob
        metadata: {name: weekly, tags: {team: \(team)}}
        spec:
          solution: popular
          input: batch/users.jsonl
          output: batch/out
          numResults: \(numResults)
        \(filter ? "  filter: no-purchases" : "")
        """
    }

    static func users(_ ids: [Int]) -> String {
        ids.map { #"{"userId": "u\#($0)"}"# }.joined(separator: "\n") + "\n"
    }

    private func harness() throws -> EngineBackedHarness {
        let harness = try EngineBackedHarness()
        try ShopFixtures.write(to: harness.directory)
        try harness.directory.write("solutions.yaml", Self.solutions)
        try harness.directory.write("job.yaml", Self.job())
        try harness.directory.write("batch/users.jsonl", Self.users([1, 2, 3]))
        return harness
    }

    /// The output file's lines, parsed.
    private func output(_ harness: EngineBackedHarness) throws -> [[String: Any]] {
        try harness.directory.read("batch/out/users.jsonl.out").split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    private func recommended(_ line: [String: Any]) -> [String] {
        (line["output"] as? [String: Any])?["recommendedItems"] as? [String] ?? []
    }

    @Test func runsOncePerSpecInputAndVersion() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        let address = ResourceAddress(.batchInferenceJob, "weekly")
        let created = try await harness.plan()
        #expect(created[address]?.action == .create)
        #expect(created[address]?.fields.first { $0.path == "solutionVersion" }?.after == .unknown)
        #expect(try await harness.apply(created).succeeded)
        var lines = try output(harness)
        #expect(lines.count == 3)
        #expect(lines.map { ($0["input"] as? [String: Any])?["userId"] as? String } == ["u1", "u2", "u3"])
        #expect(lines.allSatisfy { recommended($0).count == 5 })
        let state = try harness.state()
        let version = try #require(
            state[ResourceAddress(.solution, "popular")]?.string(StateEntry.Key.solutionVersionArn))
        #expect(state[address]?.string(StateEntry.Key.solutionVersionArn) == version)
        #expect(state[address]?.spec["solutionVersion"] == .string(version))
        #expect(state[address]?.string(StateEntry.Key.outputPath)?.hasSuffix("/batch/out") == true)
        #expect(try await !harness.plan().hasChanges)

        // A new input runs a new job.
        try harness.directory.write("batch/users.jsonl", Self.users([1, 2, 3, 4]))
        var plan = try await harness.plan()
        #expect(plan[address]?.action == .replace)
        #expect(plan[address]?.fields.map(\.path) == ["contentHash"])
        #expect(plan[address]?.notes.contains { $0.contains("a new job runs") } == true)
        #expect(plan.changes.filter { $0.action != .noOp }.count == 1)
        #expect(try await harness.apply(plan).succeeded)
        #expect(try output(harness).count == 4)
        #expect(try await !harness.plan().hasChanges)

        // So does another spec; the filter's ARN reaches the job.
        try harness.directory.write("job.yaml", Self.job(numResults: 3, filter: true))
        plan = try await harness.plan()
        #expect(plan[address]?.action == .replace)
        #expect(plan[address]?.fields.map(\.path) == ["filter", "numResults"])
        #expect(try await harness.apply(plan).succeeded)
        lines = try output(harness)
        #expect(lines.allSatisfy { recommended($0).count == 3 })
        let sent = await harness.engine.sent(CreateBatchInferenceJobRequest.self)
        #expect(sent.count == 3)
        #expect(sent.last?.filterArn == (try harness.arn(ResourceAddress(.filter, "no-purchases"))))
        #expect(Set(sent.map(\.jobName)).count == 3)
        #expect(try await !harness.plan().hasChanges)

        // New data retrains the solution: the job runs again on the new version.
        try harness.directory.write("data/interactions.csv", ShopFixtures.interactions(seed: 99))
        plan = try await harness.plan()
        let rerun = try #require(plan[address])
        #expect(rerun.action == .replace)
        let field = try #require(rerun.fields.first { $0.path == "solutionVersion" })
        #expect(field.before == .known(.string(version)) && field.after == .unknown && field.forcesReplacement)
        #expect(try await harness.apply(plan).succeeded)
        let retrained = try harness.state()[ResourceAddress(.solution, "popular")]?.string(
            StateEntry.Key.solutionVersionArn)
        #expect(retrained != version)
        #expect(try harness.state()[address]?.string(StateEntry.Key.solutionVersionArn) == retrained)
        #expect(await harness.engine.sent(CreateBatchInferenceJobRequest.self).last?.solutionVersionArn == retrained)
        #expect(try await !harness.plan().hasChanges)

        // Tags change in place: no new job.
        try harness.directory.write("job.yaml", Self.job(numResults: 3, filter: true, team: "growth"))
        plan = try await harness.plan()
        #expect(plan[address]?.action == .update)
        #expect(plan[address]?.fields.map(\.path) == ["tags.team"])
        #expect(try await harness.apply(plan).succeeded)
        let tags = try await harness.local.send(ListTagsForResourceRequest(resourceArn: try harness.arn(address)))
        #expect(tags.tags?.map(\.tagValue) == ["growth"])
        #expect(await harness.engine.sent(CreateBatchInferenceJobRequest.self).count == 4)
        #expect(try await !harness.plan().hasChanges)

        // Removing the document only forgets the job.
        try harness.directory.write("job.yaml", "")
        plan = try await harness.plan()
        #expect(plan[address]?.action == .delete)
        #expect(try await harness.apply(plan).succeeded)
        #expect(try harness.state()[address] == nil)
        let jobs = try await harness.local.send(ListBatchInferenceJobsRequest()).batchInferenceJobs ?? []
        #expect(jobs.count == 4)
    }

    @Test func aFailedJobReportsTheEnginesReasonAndRunsAgainOnceFixed() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        try Data([0x7B, 0xFF, 0xFE, 0x0A]).write(to: harness.directory.url.appendingPathComponent("batch/users.jsonl"))
        let address = ResourceAddress(.batchInferenceJob, "weekly")
        let summary = try await harness.apply()
        guard case .failed(_, let message)? = summary.outcome(of: address) else {
            Issue.record("expected the job to fail: \(summary)")
            return
        }
        #expect(message.contains("Cannot read users.jsonl as UTF-8 text."), "\(message)")
        #expect(try harness.state()[address]?.status == .failed)

        try harness.directory.write("batch/users.jsonl", Self.users([5]))
        let plan = try await harness.plan()
        #expect(plan[address]?.action == .replace)
        #expect(try await harness.apply(plan).succeeded)
        #expect(try output(harness).count == 1)
    }

    @Test func segmentJobsListUsersPerItem() async throws {
        let harness = try harness()
        defer { harness.directory.remove() }
        try harness.directory.write("job.yaml", "")
        try harness.directory.write(
            "segments.yaml",
            """
            apiVersion: tailor/v1
            kind: Solution
            metadata: {name: affinity}
            spec: {datasetGroup: shop, recipe: aws-item-affinity, performAutoTraining: false}
            ---
            apiVersion: tailor/v1
            kind: BatchSegmentJob
            metadata: {name: fans}
            spec: {solution: affinity, input: segments/items.jsonl, output: segments/out, numResults: 7}

            """)
        try harness.directory.write("segments/items.jsonl", #"{"itemId": "i1"}"# + "\n" + #"{"itemId": "i2"}"# + "\n")
        #expect(try await harness.apply().succeeded)
        let lines = try harness.directory.read("segments/out/items.jsonl.out").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { (($0?["output"] as? [String: Any])?["recommendedUsers"] as? [String])?.count == 7 })
        let address = ResourceAddress(.batchSegmentJob, "fans")
        #expect(try harness.state()[address]?.status == .ready)
        #expect(try await !harness.plan().hasChanges)
        try harness.directory.write("segments/items.jsonl", #"{"itemId": "i3"}"# + "\n")
        #expect(try await harness.plan()[address]?.action == .replace)
    }

    @Test func aMissingInputIsReportedWhereItIsWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try ShopFixtures.write(to: directory)
        try directory.write("solutions.yaml", Self.solutions)
        try directory.write("job.yaml", Self.job().replacingOccurrences(of: "users.jsonl", with: "missing.jsonl"))
        #expect {
            try ManifestLoader.load(directory: directory.url)
        } throws: { error in
            "\(error)".contains("job.yaml:6:10: error: batch input 'batch/missing.jsonl' does not exist")
        }
    }
}
