import ArgumentParser
import Foundation

/// `RobustnessBenchmark`: the fuzzer and the kill -9 soak (see Benchmarks/README.md).
struct RobustnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "RobustnessBenchmark",
        abstract: "Fuzzing and kill -9 soaking of tailor: crashes, hangs, answers of the wrong shape, lost data.",
        subcommands: [FuzzCommand.self, SoakCommand.self, ReplayCommand.self, FuzzWorkerCommand.self])
}

/// Where things are: the `tailor` binary, the repository, the working folder.
struct Locations: ParsableArguments {
    @Option(help: "The tailor binary (default: the one beside this executable).")
    var tailor: String?

    @Option(help: "The repository's root (default: the folder above the first Package.swift from here).")
    var repository: String?

    @Option(help: "A working folder (default: a new one under the temporary folder, removed at the end).")
    var work: String?

    var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    func tailorBinary() throws -> String {
        let path = URL(
            fileURLWithPath: tailor ?? (URL(fileURLWithPath: executable).deletingLastPathComponent().path + "/tailor")
        )
        .standardizedFileURL.path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError(
                "no tailor binary at \(path); build it (swift build -c release --product tailor) or pass --tailor")
        }
        return path
    }

    func repositoryRoot() throws -> String {
        if let repository { return repository }
        for start in [
            FileManager.default.currentDirectoryPath, URL(fileURLWithPath: executable).deletingLastPathComponent().path,
        ] {
            var folder = URL(fileURLWithPath: start)
            while folder.path != "/" {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                    return folder.path
                }
                folder.deleteLastPathComponent()
            }
        }
        throw ValidationError("cannot find the repository (a folder with Package.swift); pass --repository")
    }

    /// The working folder and whether it is ours to remove.
    func workFolder(_ prefix: String) throws -> (String, Bool) {
        if let work {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            return (work, false)
        }
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let folder = base + "/\(prefix)-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return (folder, true)
    }
}

/// `fuzz`: every target, a share of `--inputs` each, and the table.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz", abstract: "Fuzz tailor serve over HTTP and the parsers in-process; print the table.")

    @OptionGroup var locations: Locations

    @Option(help: "Inputs in all (shared among the targets by weight).")
    var inputs = 1_000_000

    @Flag(help: "A short run: 20,000 inputs.")
    var quick = false

    @Option(help: "The run's seed: input i of a target is the same in every run with the same seed.")
    var seed: UInt64 = 1

    @Option(help: "Targets, comma-separated: http,sigv4,csv,filter,schema,manifest,state.")
    var targets = "http,sigv4,csv,filter,schema,manifest,state"

    @Option(help: "Worker processes per in-process target.")
    var jobs = 2

    @Option(help: "HTTP connections (threads) sending at once.")
    var connections = 4

    @Option(help: "Seconds without an answer (HTTP) or without progress (in-process) that make a hang.")
    var timeout = 10.0

    @Option(help: "Resident memory of the server, MiB, above which it counts as exhausted.")
    var memoryLimit = 4096

    @Option(help: "Where to save the inputs that crashed, hung or were answered in the wrong shape.")
    var findings = "fuzz-findings"

    static let weights: [String: Double] = [
        "http": 0.3, "sigv4": 0.05, "csv": 0.2, "filter": 0.2, "schema": 0.05, "manifest": 0.1, "state": 0.1,
    ]

    func run() throws {
        let chosen = targets.split(separator: ",").map(String.init)
        for name in chosen where Self.weights[name] == nil {
            throw ValidationError(
                "unknown target '\(name)'; known: \(Self.weights.keys.sorted().joined(separator: ", "))")
        }
        let total = quick ? 20_000 : inputs
        let weightSum = chosen.map { Self.weights[$0]! }.reduce(0, +)
        let (work, owned) = try locations.workFolder("tailor-fuzz")
        defer { if owned { try? FileManager.default.removeItem(atPath: work) } }
        let findings = URL(fileURLWithPath: self.findings).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: findings, withIntermediateDirectories: true)
        let repository = try locations.repositoryRoot()
        print("fuzz: \(total) inputs, seed \(seed), targets \(chosen.joined(separator: ",")); findings in \(findings)")
        var results: [TargetResult] = []
        for name in chosen {
            let count = Int((Double(total) * Self.weights[name]! / weightSum).rounded())
            FileHandle.standardError.write(Data("\(name): \(count) inputs...\n".utf8))
            if name == "http" || name == "sigv4" {
                let fuzzer = HTTPFuzzer(
                    options: HTTPFuzzer.Options(
                        tailor: try locations.tailorBinary(), work: work, findings: findings, seed: seed, inputs: count,
                        connections: connections, timeout: timeout, memoryLimitMiB: memoryLimit,
                        signing: name == "sigv4"))
                results.append(try fuzzer.run())
            } else {
                let pool = WorkerPool(
                    executable: locations.executable, repository: repository, work: work, findings: findings,
                    seed: seed,
                    jobs: jobs, timeout: timeout, chunk: max(1000, min(50_000, count / (jobs * 4) + 1)))
                results.append(try pool.run(InProcessTargets.named(name)!, inputs: count))
            }
            FileHandle.standardError.write(Data((Report.table([results.last!]) + "\n").utf8))
        }
        print(Report.table(results))
        for note in results.flatMap(\.notes) { print(note) }
        if results.contains(where: \.failed) {
            print("FAILED: crashes, hangs or answers of the wrong shape; see \(findings)")
            throw ExitCode(1)
        }
    }
}

/// `fuzz-worker`: the child process of an in-process target (started by `fuzz`).
struct FuzzWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-worker", abstract: "Run a range of one in-process target's inputs (started by fuzz).",
        shouldDisplay: false)

    @Option var target: String
    @Option var seed: UInt64
    @Option var first: Int
    @Option var end: Int
    @Option var progress: String
    @Option var scratch: String
    @Option var repository: String
    @Option var findings: String

    func run() throws {
        try FuzzWorker.run(
            target: target, seed: seed, first: first, end: end, progress: progress, scratch: scratch,
            repository: repository, findings: findings)
    }
}

/// `replay`: sends a saved request to a server and prints the answer.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Send a saved .request file to a running server and print the answer.")

    @Argument(help: "A .request file saved by fuzz.")
    var file: String

    @Option(help: "The server's port on 127.0.0.1.")
    var port: Int

    @Option(help: "Seconds to wait for the answer.")
    var timeout = 10.0

    func run() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let connection = try RawConnection(port: port)
        connection.send(bytes, timeout: timeout)
        connection.shutdownWrite()
        switch connection.readResponse(timeout: timeout) {
        case .response(let response): print(HTTPFuzzer.describe(response))
        case .closed(let partial): print("closed without an answer (\(partial.count) bytes)")
        case .timeout: print("no answer within \(timeout) s")
        }
    }
}

enum Report {
    static func table(_ results: [TargetResult]) -> String {
        var rows = [["target", "inputs", "crashes", "hangs", "non-AWS/bad errors", "peak RSS MiB", "inputs/s"]]
        for result in results {
            rows.append([
                result.target, String(result.inputs), String(result.crashes), String(result.hangs),
                String(result.badErrors), String(result.peakKiB / 1024),
                String(Int(Double(result.inputs) / max(result.seconds, 0.001))),
            ])
        }
        if results.count > 1 {
            rows.append([
                "total", String(results.map(\.inputs).reduce(0, +)), String(results.map(\.crashes).reduce(0, +)),
                String(results.map(\.hangs).reduce(0, +)), String(results.map(\.badErrors).reduce(0, +)),
                String((results.map(\.peakKiB).max() ?? 0) / 1024),
                String(
                    Int(Double(results.map(\.inputs).reduce(0, +)) / max(results.map(\.seconds).reduce(0, +), 0.001))),
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == 0
                    ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
