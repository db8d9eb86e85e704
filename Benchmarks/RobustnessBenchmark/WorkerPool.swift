import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What one target's run found.
struct TargetResult {
    var target: String
    var inputs = 0
    var crashes = 0
    var hangs = 0
    /// Refusals of the wrong shape: non-AWS-shaped HTTP answers; for in-process targets, errors of the wrong
    /// type or diagnostics without a position.
    var badErrors = 0
    var peakKiB = 0
    var seconds = 0.0
    var notes: [String] = []
    /// Crashes by where they happened.
    var crashSites: [String: Int] = [:]

    var failed: Bool { crashes + hangs + badErrors > 0 }
}

/// Four counters a worker shares with the driver through a mapped file: the input it is on, how many it has
/// finished, how many were refused in the wrong shape, and a heartbeat.
struct SharedProgress {
    let pointer: UnsafeMutablePointer<UInt64>

    init(path: String, create: Bool) throws {
        let descriptor = open(path, O_RDWR | (create ? O_CREAT | O_TRUNC : 0), 0o644)
        guard descriptor >= 0 else { throw RawHTTPError("cannot open \(path)") }
        defer { close(descriptor) }
        if create { ftruncate(descriptor, 64) }
        guard let memory = mmap(nil, 64, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), memory != MAP_FAILED else {
            throw RawHTTPError("cannot map \(path)")
        }
        pointer = memory.bindMemory(to: UInt64.self, capacity: 8)
    }

    var current: Int {
        get { Int(pointer[0]) }
        nonmutating set { pointer[0] = UInt64(newValue) }
    }
    var finished: Int {
        get { Int(pointer[1]) }
        nonmutating set { pointer[1] = UInt64(newValue) }
    }
    var bad: Int {
        get { Int(pointer[2]) }
        nonmutating set { pointer[2] = UInt64(newValue) }
    }
}

/// Runs an in-process target's inputs in child worker processes, a range at a time: a worker that dies
/// is a crash on the input it was on (saved, with the worker's last words), one that stops moving for
/// `timeout` seconds is a hang (killed and saved); either way a new worker goes on from the next input.
struct WorkerPool {
    let executable: String
    let repository: String
    let work: String
    let findings: String
    let seed: UInt64
    let jobs: Int
    let timeout: Double
    let chunk: Int

    private struct Running {
        var child: Child
        var progress: SharedProgress
        var first: Int
        var end: Int
        var log: String
        var lastCurrent: Int
        var lastFinished: Int
        var lastMove: Date
    }

    func run(_ target: any InProcessTarget.Type, inputs: Int) throws -> TargetResult {
        var result = TargetResult(target: target.name)
        let started = Date()
        let folder = work + "/" + target.name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var pending: [(Int, Int)] = stride(from: 0, to: inputs, by: chunk).map { ($0, min(inputs, $0 + chunk)) }
        pending.reverse()
        var running: [Int: Running] = [:]
        var slot = 0
        var regenerator: (any InProcessTarget)?
        while !pending.isEmpty || !running.isEmpty {
            for job in 0..<jobs where running[job] == nil {
                guard let (first, end) = pending.popLast() else { break }
                slot += 1
                running[job] = try start(
                    target, first: first, end: end, folder: folder, slot: slot, job: job, crashes: result.crashes)
            }
            usleep(20_000)
            for (job, var worker) in running {
                let progress = worker.progress
                if let ending = worker.child.poll() {
                    result.peakKiB = max(result.peakKiB, ending.peakKiB)
                    result.badErrors += progress.bad
                    result.inputs += progress.finished
                    running[job] = nil
                    if ending.status == 0, progress.finished == worker.end - worker.first { continue }
                    // Died on `current`: a crash. Save it and go on after it.
                    let index = max(progress.current, worker.first)
                    result.inputs += 1
                    result.crashes += 1
                    let report = (try? String(contentsOfFile: worker.log, encoding: .utf8)) ?? ""
                    let site = CrashSite.describe(report: report, binary: executable) ?? "an unknown place"
                    result.crashSites[site, default: 0] += 1
                    if regenerator == nil { regenerator = try target.init(scratch: folder, repository: repository) }
                    save(
                        target.name, "crash", index, regenerator?.input(seed: seed, index: index) ?? [], worker.log,
                        ending.description)
                    if index + 1 < worker.end { pending.append((index + 1, worker.end)) }
                    continue
                }
                if progress.current != worker.lastCurrent || progress.finished != worker.lastFinished {
                    worker.lastCurrent = progress.current
                    worker.lastFinished = progress.finished
                    worker.lastMove = Date()
                    running[job] = worker
                } else if Date().timeIntervalSince(worker.lastMove) > timeout,
                    (try? String(contentsOfFile: worker.log, encoding: .utf8))?.contains("*** Signal") != true
                        || Date().timeIntervalSince(worker.lastMove) > timeout + 120
                {
                    // (A worker writing a crash report is left to finish it and end: that is a crash.)
                    let index = progress.current
                    let ending = worker.child.stop(SIGKILL)
                    result.peakKiB = max(result.peakKiB, ending.peakKiB)
                    result.badErrors += progress.bad
                    result.inputs += progress.finished + 1
                    result.hangs += 1
                    if regenerator == nil { regenerator = try target.init(scratch: folder, repository: repository) }
                    save(
                        target.name, "hang", index, regenerator?.input(seed: seed, index: index) ?? [], worker.log,
                        "no progress for \(Int(timeout)) s")
                    running[job] = nil
                    if index + 1 < worker.end { pending.append((index + 1, worker.end)) }
                }
            }
        }
        result.seconds = Date().timeIntervalSince(started)
        if !result.crashSites.isEmpty {
            result.notes.append(
                "\(target.name) crash sites: "
                    + result.crashSites.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(
                        separator: "; "))
        }
        return result
    }

    private func start(
        _ target: any InProcessTarget.Type, first: Int, end: Int, folder: String, slot: Int, job: Int, crashes: Int
    ) throws -> Running {
        let progressPath = folder + "/progress-\(job)"
        let progress = try SharedProgress(path: progressPath, create: true)
        progress.current = first
        let scratch = folder + "/job-\(job)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let log = folder + "/worker-\(job).log"
        unlink(log)
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = CrashSite.backtraceSetting
        let child = try Child(
            executable,
            [
                "fuzz-worker", "--target", target.name, "--seed", String(seed), "--first", String(first), "--end",
                String(end), "--progress", progressPath, "--scratch", scratch, "--repository", repository,
                "--findings", findings,
            ], environment: environment, stdout: log, stderr: log)
        return Running(
            child: child, progress: progress, first: first, end: end, log: log, lastCurrent: first, lastFinished: 0,
            lastMove: Date())
    }

    private func save(_ target: String, _ kind: String, _ index: Int, _ input: [UInt8], _ log: String, _ how: String) {
        let folder = findings + "/" + target
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let base = folder + "/\(kind)-\(index)"
        try? Data(input).write(to: URL(fileURLWithPath: base + ".input"))
        let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.suffix(4000) ?? ""
        let report = "target \(target), input \(index) of seed \(seed): worker \(how)\n--- worker output ---\n\(tail)\n"
        try? report.write(toFile: base + ".txt", atomically: true, encoding: .utf8)
        FileHandle.standardError.write(
            Data("  \(target): \(kind) on input \(index) (\(how)); saved \(base).input\n".utf8))
    }
}

/// The child side: runs inputs `first..<end` of one target, reporting through the shared counters.
enum FuzzWorker {
    static func run(
        target name: String, seed: UInt64, first: Int, end: Int, progress path: String, scratch: String,
        repository: String, findings: String
    ) throws {
        guard let type = InProcessTargets.named(name) else { throw RawHTTPError("unknown target \(name)") }
        var target = try type.init(scratch: scratch, repository: repository)
        let progress = try SharedProgress(path: path, create: false)
        var saved = 0
        for index in first..<end {
            progress.current = index
            let input = target.input(seed: seed, index: index)
            if let problem = target.run(input) {
                progress.bad += 1
                if saved < 10 {
                    saved += 1
                    let folder = findings + "/" + name
                    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try? Data(input).write(to: URL(fileURLWithPath: folder + "/bad-\(index).input"))
                    try? "target \(name), input \(index) of seed \(seed): \(problem)\n".write(
                        toFile: folder + "/bad-\(index).txt", atomically: true, encoding: .utf8)
                }
            }
            progress.finished += 1
        }
    }
}
