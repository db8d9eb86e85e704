import Engine
import EngineAPI
import Foundation
import Logging

// Usage: EngineBenchmark import FILE.csv
// Imports an interactions CSV (USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE) into a fresh engine in
// a temporary folder through CreateDatasetImportJob and prints the rows per second.
//
// Usage: EngineBenchmark runtime [--items N] [--users N] [--calls N]
// The runtime figures of a user-personalization campaign over a large catalogue (RuntimeBenchmark.swift).

let arguments = CommandLine.arguments
if arguments.count >= 2, arguments[1] == "runtime" {
    try await RuntimeBenchmark(arguments: Array(arguments.dropFirst(2))).run()
    exit(0)
}
guard arguments.count == 3, arguments[1] == "import" else {
    print("usage: EngineBenchmark import FILE.csv | EngineBenchmark runtime [--items N] [--users N] [--calls N]")
    exit(2)
}
let file = URL(fileURLWithPath: arguments[2])
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tailor-import-bench-\(getpid())")
defer { try? FileManager.default.removeItem(at: folder) }

var logger = Logger(label: "tailor.benchmark")
logger.logLevel = .error
var configuration = EngineConfiguration(dataDirectory: folder)
configuration.allowedPaths = [file.deletingLastPathComponent()]  // the file to import is the user's
let engine = try LocalEngine(configuration: configuration, logger: logger)
let schema = """
    {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
     "fields": [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
                {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"},
                {"name": "EVENT_VALUE", "type": ["null", "float"]}]}
    """
let group = try await engine.send(CreateDatasetGroupRequest(name: "bench")).datasetGroupArn ?? ""
let schemaArn = try await engine.send(CreateSchemaRequest(name: "bench", schema: schema)).schemaArn ?? ""
let dataset =
    try await engine.send(
        CreateDatasetRequest(name: "bench", schemaArn: schemaArn, datasetGroupArn: group, datasetType: "INTERACTIONS")
    ).datasetArn ?? ""
let tracking = try await engine.send(CreateEventTrackerRequest(name: "bench", datasetGroupArn: group)).trackingId ?? ""
let started = ContinuousClock.now
let job =
    try await engine.send(
        CreateDatasetImportJobRequest(
            jobName: "bench", datasetArn: dataset, dataSource: DataSource(dataLocation: file.path))
    ).datasetImportJobArn ?? ""
// Streamed events while the import runs: how long a write waits behind it (one PutEvents every 5 ms).
let probing = ProcessInfo.processInfo.environment["TAILOR_BENCH_NO_PROBE"] == nil
let probe = Task {
    var latencies: [Duration] = []
    guard probing else { return latencies }
    var sent = 0
    while !Task.isCancelled {
        sent += 1
        let before = ContinuousClock.now
        _ = try? await engine.send(
            PutEventsRequest(
                trackingId: tracking, userId: "probe", sessionId: "probe",
                eventList: [Event(eventType: "click", itemId: "i\(sent)", sentAt: Date())]))
        latencies.append(ContinuousClock.now - before)
        try? await Task.sleep(for: .milliseconds(5))
    }
    return latencies
}
await engine.waitForBackgroundJobs()
let elapsed = ContinuousClock.now - started
probe.cancel()
let waits = await probe.value.map { Double($0.components.attoseconds) / 1e15 + Double($0.components.seconds) * 1e3 }
    .sorted()
let described = try await engine.send(DescribeDatasetImportJobRequest(datasetImportJobArn: job)).datasetImportJob
guard described?.status == "ACTIVE" else {
    print("import failed: \(described?.failureReason ?? "unknown")")
    exit(1)
}
let lines = try Int(String(contentsOf: file, encoding: .utf8).utf8.lazy.filter { $0 == UInt8(ascii: "\n") }.count) - 1
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "tailor import: %d rows in %.2f s = %.0f rows/s", lines, seconds, Double(lines) / seconds))
if !waits.isEmpty {
    func percentile(_ p: Double) -> Double { waits[min(waits.count - 1, Int(Double(waits.count) * p / 100))] }
    print(
        String(
            format: "PutEvents during the import: %d calls, p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal p99 < 50 ms)",
            waits.count, percentile(50), percentile(99), waits.last ?? 0))
}
