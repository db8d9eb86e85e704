import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Fuzzes a real `tailor serve` over TCP: a trained fixture in a template data folder, a fresh copy of it for
/// every server generation, `connections` threads sending inputs, and a supervisor that tells crashes (the
/// process ended), hangs (no answer and no health) and exhaustion (resident memory over the limit) apart,
/// saves the inputs in flight and starts the server again.
final class HTTPFuzzer: @unchecked Sendable {  // @unchecked: shared state is only touched under `lock`.
    struct Options {
        var tailor: String
        var work: String
        var findings: String
        var seed: UInt64
        var inputs: Int
        var connections = 4
        var timeout = 10.0
        var restartEvery = 100_000
        var memoryLimitMiB = 4096
        /// Start the server with auth keys and sign every request (the `sigv4` target).
        var signing = false
    }

    let options: Options
    let lock = NSCondition()
    var server: Server?
    var generation = 0
    var next = 0
    var inFlight: [Int: Int] = [:]
    var recent: [Int: [Int]] = [:]
    var tally = Tally()
    var generator: HTTPInputs?
    var stopMonitor = false
    let template: String
    let live: String
    let scratch: String

    struct Tally {
        var sent = 0
        var ok = 0
        var awsErrors: [String: Int] = [:]
        var statuses: [Int: Int] = [:]
        var nonAWS = 0
        var dropped = 0
        var internalFailures = 0
        var crashes = 0
        var hangs = 0
        var exhausted = 0
        var restarts = 0
        var slowStops = 0
        var peakKiB = 0
        var savedNonAWS: Set<String> = []
        /// Wrong-shaped answers and drops by the input's last change (`json-mutated`, `content-length-bad`, ...).
        var wrongByChange: [String: Int] = [:]
        /// Crashes by where they happened.
        var crashSites: [String: Int] = [:]
    }

    /// `http`, or `sigv4` when signing.
    var name: String { options.signing ? "sigv4" : "http" }

    init(options: Options) {
        self.options = options
        template = options.work + "/http/template"
        live = options.work + "/http/live"
        scratch = options.work + "/http/scratch"
    }

    /// Builds the fixture, runs every input, and returns the figures.
    func run() throws -> TargetResult {
        let fm = FileManager.default
        try? fm.removeItem(atPath: options.work + "/http")  // one HTTP target at a time
        for folder in [template, scratch, options.findings + "/\(name)"] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        FileHandle.standardError.write(Data("http: training the fixture (3 campaigns, 2 filters, a tracker)...\n".utf8))
        let builder = try Server(
            tailor: options.tailor, dataDirectory: template, log: options.work + "/http/fixture.log")
        var fixture = try Fixture.build(on: builder)
        builder.child.stop(SIGTERM)
        // Requests name the files in the live copy's own files/ folder (always an allowed import root).
        fixture.files = fixture.files.map { live + $0.dropFirst(template.count) }
        try JSONEncoder().encode(fixture).write(to: URL(fileURLWithPath: options.work + "/http/fixture.json"))
        let started = Date()
        lock.lock()
        try restart(reason: nil)
        generator = HTTPInputs(fixture: fixture, scratch: scratch, port: server!.port, signing: options.signing)
        lock.unlock()
        let monitor = Thread { [self] in monitorMemory() }
        monitor.start()
        let finished = Countdown(options.connections)
        for thread in 0..<options.connections {
            Thread { [self] in
                loop(thread: thread)
                finished.done()
            }.start()
        }
        finished.wait()
        lock.lock()
        stopMonitor = true
        if let server {
            for job in SoakChecks.stuck(server.database, olderThan: options.timeout * 3) {
                tally.hangs += 1
                saveSuspects(
                    "stuck-job", index: -1, thread: -1,
                    note: "a job in progress for over \(Int(options.timeout * 3)) s: \(job)")
            }
            tally.peakKiB = max(tally.peakKiB, server.child.memoryKiB() ?? 0)
            let ending = server.child.stop(SIGTERM, timeout: 30)
            tally.peakKiB = max(tally.peakKiB, ending.peakKiB)
        }
        let tally = self.tally
        lock.unlock()
        return result(tally, seconds: Date().timeIntervalSince(started))
    }

    private func result(_ tally: Tally, seconds: Double) -> TargetResult {
        var result = TargetResult(target: name)
        result.inputs = tally.sent
        result.crashes = tally.crashes
        result.hangs = tally.hangs + tally.exhausted
        result.badErrors = tally.nonAWS + tally.dropped
        result.peakKiB = tally.peakKiB
        result.seconds = seconds
        let statuses = tally.statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(
            separator: ", ")
        let errors = tally.awsErrors.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \($0.value)" }
        result.notes = [
            "\(name) crash sites: "
                + (tally.crashSites.isEmpty
                    ? "none"
                    : tally.crashSites.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(
                        separator: "; ")),
            "\(name) statuses: \(statuses)",
            "\(name): \(tally.ok) 2xx; AWS-shaped errors: \(errors.joined(separator: ", "))",
            "\(name) wrong-shaped answers by status and change: "
                + tally.wrongByChange.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", "),
            "\(name): \(tally.nonAWS) non-AWS-shaped answers, \(tally.dropped) closed without an answer, "
                + "\(tally.internalFailures) InternalFailure (500), \(tally.exhausted) memory exhaustions, "
                + "\(tally.restarts) server restarts (\(tally.slowStops) needed SIGKILL after SIGTERM)",
        ]
        return result
    }

    // MARK: - Sending

    private func loop(thread: Int) {
        var connection: RawConnection?
        var used = 0
        while true {
            lock.lock()
            guard next < options.inputs, let generator, let server else {
                lock.unlock()
                break
            }
            let index = next
            next += 1
            if index > 0, index % options.restartEvery == 0 {
                try? restart(reason: nil)
                connection = nil
            }
            inFlight[thread] = index
            let current = generation
            let port = self.server?.port ?? server.port
            lock.unlock()
            let input = generator.input(seed: options.seed, index: index)
            if let file = input.file { try? Data(file.bytes).write(to: URL(fileURLWithPath: file.path)) }
            var outcome = send(input, port: port, connection: &connection, used: &used)
            if case .closed(let partial) = outcome, partial.isEmpty, input.framing == .keepAlive, used > 1 {
                // A kept-alive connection the server closed in between: the same input on a new one.
                connection = nil
                outcome = send(input, port: port, connection: &connection, used: &used)
            }
            record(outcome, input: input, index: index, thread: thread, generation: current)
        }
    }

    private func send(
        _ input: HTTPInput, port: Int, connection: inout RawConnection?, used: inout Int
    ) -> ReadOutcome {
        if input.framing != .keepAlive || connection == nil {
            connection?.close()
            connection = nil
            used = 0
            guard let fresh = try? RawConnection(port: port) else { return .closed(partial: []) }
            connection = fresh
        }
        guard let open = connection else { return .closed(partial: []) }
        used += 1
        open.send(input.bytes, timeout: options.timeout)
        if input.framing == .incomplete { open.shutdownWrite() }
        let outcome = open.readResponse(timeout: options.timeout, head: input.head)
        if input.framing != .keepAlive {
            open.close()
            connection = nil
        } else if case .response(let response) = outcome, !response.closes {
            // kept for the next input
        } else {
            open.close()
            connection = nil
        }
        return outcome
    }

    private func record(_ outcome: ReadOutcome, input: HTTPInput, index: Int, thread: Int, generation sent: Int) {
        lock.lock()
        defer {
            inFlight[thread] = nil
            recent[thread, default: []].append(index)
            if recent[thread]!.count > 8 { recent[thread]!.removeFirst() }
            lock.unlock()
        }
        tally.sent += 1
        switch outcome {
        case .response(let response):
            tally.statuses[response.status, default: 0] += 1
            if (200..<300).contains(response.status) {
                tally.ok += 1
            } else if let type = Self.awsErrorType(response, head: input.head) {
                tally.awsErrors[type, default: 0] += 1
                if response.status >= 500 {
                    tally.internalFailures += 1
                    saveExample("internal", input, index, Self.describe(response))
                }
            } else {
                tally.nonAWS += 1
                tally.wrongByChange["\(response.status) \(Self.change(input))", default: 0] += 1
                saveExample("non-aws", input, index, Self.describe(response))
            }
        case .closed(let partial):
            guard generation == sent else { return }  // the server was restarted under it
            if server?.healthy(timeout: 3) == true {
                // The server lives and answers: it dropped this request.
                if input.framing == .incomplete { return }  // a message the client cut short: closing is an answer
                tally.dropped += 1
                tally.wrongByChange["dropped \(Self.change(input))", default: 0] += 1
                saveExample("dropped", input, index, "closed without an answer (\(partial.count) bytes received)")
                return
            }
            serverFailed(index: index, thread: thread)
        case .timeout:
            guard generation == sent else { return }
            if server?.healthy(timeout: 5) == true {
                tally.hangs += 1
                saveSuspects(
                    "hang", index: index, thread: thread,
                    note: "no answer in \(options.timeout) s; the server answers others")
            } else {
                serverFailed(index: index, thread: thread)
            }
        }
    }

    /// The server stopped answering: a crash if it ended or is writing a crash report (the Swift runtime's
    /// backtracer takes a few seconds), a hang otherwise. Either way it is replaced.
    private func serverFailed(index: Int, thread: Int) {
        let deadline = Date().addingTimeInterval(60)
        while server?.child.poll() == nil, server?.crashReport == nil, Date() < deadline { usleep(50_000) }
        if server?.crashReport != nil {
            // Let the backtracer finish writing (a minute at most).
            let finish = Date().addingTimeInterval(60)
            while server?.child.poll() == nil, Date() < finish { usleep(50_000) }
        }
        if let report = server?.crashReport {
            server?.child.stop(SIGKILL)
            tally.crashes += 1
            let site = CrashSite.describe(report: report, binary: options.tailor) ?? "an unknown place"
            tally.crashSites[site, default: 0] += 1
            saveSuspects("crash", index: index, thread: thread, note: "tailor serve crashed: \(site)")
            try? restart(reason: "crash")
        } else if let ending = server?.child.poll() {
            tally.crashes += 1
            saveSuspects("crash", index: index, thread: thread, note: "tailor serve \(ending.description)")
            try? restart(reason: "crash")
        } else {
            tally.hangs += 1
            saveSuspects("hang", index: index, thread: thread, note: "the server stopped answering (GET /health too)")
            try? restart(reason: "unresponsive")
        }
    }

    /// The last change made to an input (or `generated` for none), to group the findings.
    static func change(_ input: HTTPInput) -> String {
        let words = input.summary.split(separator: " ")
        return words.count > 1 ? String(words.last!) : "generated"
    }

    /// The `__type` (or `x-amzn-ErrorType`) of an AWS-shaped error answer, or nil.
    static func awsErrorType(_ response: RawResponse, head: Bool = false) -> String? {
        // A HEAD answer has no body: its header alone can say which error it is.
        if head { return response.header("x-amzn-ErrorType") }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            return nil
        }
        guard let type = object["__type"] as? String ?? response.header("x-amzn-ErrorType"), !type.isEmpty,
            object["message"] is String || object["Message"] is String
        else { return nil }
        return type
    }

    static func describe(_ response: RawResponse) -> String {
        let headers = response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        return "HTTP \(response.status)\n\(headers)\n\n\(String(decoding: response.body.prefix(2000), as: UTF8.self))"
    }
}

/// Waits for `count` threads to say they are done.
final class Countdown: @unchecked Sendable {  // @unchecked: `remaining` is only touched under `condition`.
    private let condition = NSCondition()
    private var remaining: Int

    init(_ count: Int) {
        remaining = count
    }

    func done() {
        condition.lock()
        remaining -= 1
        condition.broadcast()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        while remaining > 0 { condition.wait() }
        condition.unlock()
    }
}
