import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `wait4`, so that the benchmark sees how it
/// ended (exit status or signal) and its peak resident memory, which `Foundation.Process` does not give.
final class Child {
    let pid: pid_t
    private(set) var ending: Ending?

    /// How a child ended.
    struct Ending {
        /// The exit status, or nil when a signal ended it.
        var status: Int32?
        var signal: Int32?
        /// Peak resident memory, KiB (`ru_maxrss`).
        var peakKiB: Int

        var description: String {
            if let signal { return "killed by signal \(signal)" }
            return "exited with status \(status ?? -1)"
        }
    }

    /// Starts `path` with `arguments`; standard output and error go to files (or nowhere when nil).
    init(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, stdout: String? = nil,
        stderr: String? = nil, directory: String? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A process group of its own: a terminal's ^C reaches the benchmark, which stops its children itself.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        // posix_spawn has no portable chdir: a shell changes folder, then becomes the program (same pid).
        let command = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0, path] } ?? [path]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command[0], &actions, &attributes, argv, env)
        guard result == 0 else { throw RawHTTPError("cannot start \(path): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    /// Reaps the child if it ended (without blocking unless `wait`); its ending, or nil while it runs.
    @discardableResult
    func poll(wait: Bool = false) -> Ending? {
        if let ending { return ending }
        var status: Int32 = 0
        var usage = rusage()
        let result = wait4(pid, &status, wait ? 0 : WNOHANG, &usage)
        guard result == pid else { return nil }
        let signalled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        ending = Ending(
            status: signalled ? nil : (status >> 8) & 0xFF, signal: signalled ? status & 0x7F : nil,
            peakKiB: Int(usage.ru_maxrss))
        return ending
    }

    var isRunning: Bool { poll() == nil }

    /// Sends `signal` and waits for the child to end.
    @discardableResult
    func stop(_ signal: Int32 = SIGKILL, timeout: Double = 60) -> Ending {
        if ending == nil { kill(pid, signal) }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let ending = poll() { return ending }
            usleep(2_000)
        }
        kill(pid, SIGKILL)
        return poll(wait: true)!
    }

    /// A `/proc/PID/status` figure in KiB (`VmHWM`: peak resident memory so far; `VmRSS`: now).
    func memoryKiB(_ field: String = "VmHWM") -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
        }
        return nil
    }

    deinit {
        if ending == nil {
            kill(pid, SIGKILL)
            poll(wait: true)
        }
    }
}
