import Foundation

/// Where a crashed process died, from the Swift runtime's crash report: the runtime reports addresses only
/// (symbolicating takes seconds, so the children run with `SWIFT_BACKTRACE=...,symbolicate=off`), and the
/// first frames are symbolized here once per distinct place with `llvm-symbolizer`.
enum CrashSite {
    /// The backtracer settings for children: on, not interactive, addresses only (0.1 s instead of 5–10 s).
    static let backtraceSetting = "enable=yes,interactive=no,symbolicate=off"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: String] = [:]

    /// `Swift runtime failure: arithmetic overflow at RecommendationsRequestJSON.swift:174:31`, or nil if `report`
    /// is not a crash report that names `binary`'s frames.
    static func describe(report: String, binary: String) -> String? {
        let lines = report.components(separatedBy: "\n")
        let name = URL(fileURLWithPath: binary).lastPathComponent
        guard let imageLine = lines.first(where: { $0.hasPrefix("0x") && $0.contains(" \(name) ") }),
            let base = UInt64(imageLine.prefix(while: { $0 != "–" && $0 != "-" }).dropFirst(2), radix: 16),
            let crashed = lines.firstIndex(where: { $0.hasSuffix("crashed:") })
        else { return nil }
        var offsets: [String] = []
        for line in lines[(crashed + 1)...].prefix(12) {
            guard let range = line.range(of: "0x[0-9a-f]{16}", options: .regularExpression),
                let address = UInt64(line[range].dropFirst(2), radix: 16), address >= base
            else { continue }
            offsets.append("0x" + String(address - base, radix: 16))
            if offsets.count == 4 { break }
        }
        guard !offsets.isEmpty else { return nil }
        let key = binary + offsets.joined(separator: " ")
        lock.lock()
        defer { lock.unlock() }
        if let known = cache[key] { return known }
        let site = symbolize(binary: binary, offsets: offsets) ?? "at \(offsets[0]) in \(name)"
        cache[key] = site
        return site
    }

    private static func symbolize(binary: String, offsets: [String]) -> String? {
        let tool = ["/opt/swift/usr/bin/llvm-symbolizer", "/usr/bin/llvm-symbolizer"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let tool else { return nil }
        let output = NSTemporaryDirectory() + "symbolizer-\(getpid()).txt"
        defer { unlink(output) }
        guard let child = try? Child(tool, ["--obj=" + binary, "--inlining"] + offsets, stdout: output) else {
            return nil
        }
        child.poll(wait: true)
        guard let text = try? String(contentsOfFile: output, encoding: .utf8) else { return nil }
        let lines = text.components(separatedBy: "\n")
        let failure = lines.first { $0.hasPrefix("Swift runtime failure") || $0.hasPrefix("Fatal error") }
        let place = lines.first {
            $0.hasPrefix("/") && !$0.hasPrefix("/<compiler-generated>") && !$0.contains("/checkouts/")
        }
        .map { line -> String in
            let parts = line.split(separator: "/")
            return parts.suffix(2).joined(separator: "/")
        }
        guard failure != nil || place != nil else { return nil }
        return [failure, place.map { "at " + $0 }].compactMap { $0 }.joined(separator: " ")
    }
}
