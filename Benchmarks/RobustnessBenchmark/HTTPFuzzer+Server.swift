import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension HTTPFuzzer {
    /// Replaces the server (called with `lock` held): the old one stopped (SIGTERM, then SIGKILL after 10 s;
    /// SIGKILL at once after a failure), a fresh copy of the template, a new server.
    func restart(reason: String?) throws {
        if let old = server {
            // A job that never ends (an import reading a device or a pipe) is a hang the answers do not show.
            for job in SoakChecks.stuck(old.database, olderThan: options.timeout * 3) {
                tally.hangs += 1
                saveSuspects(
                    "stuck-job", index: -1, thread: -1,
                    note: "a job in progress for over \(Int(options.timeout * 3)) s: \(job)")
            }
            peak(old.child.memoryKiB() ?? 0)
            if old.child.isRunning {
                let graceful = reason == nil
                let ending = old.child.stop(graceful ? SIGTERM : SIGKILL, timeout: graceful ? 10 : 60)
                if graceful, ending.signal == SIGKILL { tally.slowStops += 1 }
                peak(ending.peakKiB)
            } else if let ending = old.child.poll() {
                peak(ending.peakKiB)
            }
            tally.restarts += 1
        }
        let fm = FileManager.default
        try? fm.removeItem(atPath: live)
        try fm.copyItem(atPath: template, toPath: live)
        // A named pipe no one writes to, where an import may be pointed (reading it blocks forever).
        mkfifo(live + "/files/fifo.csv", 0o644)
        let log = options.work + "/http/serve-\(generation + 1).log"
        let backtrace = CrashSite.backtraceSetting
        server = try Server(
            tailor: options.tailor, dataDirectory: live, log: log, directory: scratch,
            environment: ["SWIFT_BACKTRACE": backtrace].merging(
                options.signing
                    ? [
                        "TAILOR_AUTH_ACCESS_KEY_ID": SignatureMutation.keyID,
                        "TAILOR_AUTH_SECRET_ACCESS_KEY": SignatureMutation.secret,
                    ] : [:]
            ) { $1 })
        generation += 1
    }

    func peak(_ kib: Int) {
        tally.peakKiB = max(tally.peakKiB, kib)
    }

    /// Samples the server's memory four times a second; over the limit, the inputs in flight are saved as an
    /// exhaustion and the server is replaced.
    func monitorMemory() {
        while true {
            usleep(250_000)
            lock.lock()
            defer { lock.unlock() }
            if stopMonitor { return }
            guard let server = server, let resident = server.child.memoryKiB("VmRSS") else { continue }
            peak(server.child.memoryKiB() ?? resident)
            if resident > options.memoryLimitMiB * 1024 {
                tally.exhausted += 1
                saveSuspects(
                    "exhausted", index: Array(inFlight.values).first ?? -1, thread: -1,
                    note: "resident memory \(resident / 1024) MiB, over the \(options.memoryLimitMiB) MiB limit")
                try? restart(reason: "exhausted")
            }
        }
    }

    /// Saves an answer of the wrong shape (one example per status and first bytes of body).
    func saveExample(_ kind: String, _ input: HTTPInput, _ index: Int, _ answer: String) {
        let key = kind + Self.change(input) + String(answer.prefix(80))
        guard tally.savedNonAWS.insert(key).inserted, tally.savedNonAWS.count < 200 else { return }
        let base = options.findings + "/\(name)/\(kind)-\(index)"
        try? Data(input.bytes).write(to: URL(fileURLWithPath: base + ".request"))
        let text =
            "input \(index) (seed \(options.seed)): \(input.summary), \(input.framing.rawValue)\n"
            + "--- request (first 2000 bytes) ---\n\(Self.printable(input.bytes.prefix(2000)))\n--- answer ---\n\(answer)\n"
        try? text.write(toFile: base + ".txt", atomically: true, encoding: .utf8)
    }

    /// Saves the inputs in flight and each thread's last few, with the server's log, after a crash, hang or
    /// exhaustion.
    func saveSuspects(_ kind: String, index: Int, thread: Int, note: String) {
        let folder =
            options.findings + "/\(name)/\(kind)-" + (index >= 0 ? String(index) : "g\(generation)-\(tally.hangs)")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var lines = [
            "\(kind) at input \(index) (seed \(options.seed)): \(note)", "in flight: \(Array(inFlight.values))",
        ]
        for suspect in Set(Array(inFlight.values) + recent.values.flatMap { $0 } + (index >= 0 ? [index] : [])).sorted()
        {
            guard let input = generator?.input(seed: options.seed, index: suspect) else { continue }
            try? Data(input.bytes).write(to: URL(fileURLWithPath: folder + "/input-\(suspect).request"))
            lines.append("input \(suspect): \(input.summary), \(input.framing.rawValue), \(input.bytes.count) bytes")
        }
        if let database = server?.database {
            lines.append("--- jobs in progress (a job started earlier can be the cause) ---")
            lines += SoakChecks.stuck(database, olderThan: 0)
        }
        if let report = server?.crashReport {
            lines.append("--- crash report ---")
            lines.append(report)
        }
        lines.append("--- server log (tail) ---")
        lines.append(server?.logTail() ?? "")
        try? lines.joined(separator: "\n").write(toFile: folder + "/summary.txt", atomically: true, encoding: .utf8)
        FileHandle.standardError.write(Data("  \(name): \(kind) at input \(index): \(note); saved \(folder)\n".utf8))
    }

    static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        var out = ""
        for byte in bytes {
            switch byte {
            case 0x20..<0x7F, 0x0A: out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x0D: out += "\\r"
            default: out += String(format: "\\x%02X", byte)
            }
        }
        return out
    }
}
