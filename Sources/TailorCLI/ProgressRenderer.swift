import Foundation
import Planner
import Synchronization

/// Renders apply events: one line per step; on a terminal, the waits under way (several when apply runs in
/// parallel) share one status line that updates in place.
final class ProgressRenderer: Sendable {
    private let interactive: Bool
    private let pendingLine = Mutex(false)
    private let waits = Mutex<[ResourceAddress: String]>([:])

    init(interactive: Bool) {
        self.interactive = interactive
    }

    func render(_ event: ApplyEvent) {
        switch event {
        case .started:
            break
        case .step(let address, let text):
            line("\(address): \(text)")
        case .waiting(let address, let what, let status, let elapsed, let statusChanged):
            let text = "\(address): \(what): \(status) (\(Self.format(elapsed)))"
            if interactive {
                let all = waits.withLock { waits in
                    waits[address] = text
                    return waits.keys.sorted().compactMap { waits[$0] }
                }
                write("\r\u{1B}[K" + Self.fit(all.joined(separator: " · ")))
                pendingLine.withLock { $0 = true }
            } else if statusChanged {
                line(text)
            }
        case .metrics(let address, _, let metrics):
            let shown = ["normalized_discounted_cumulative_gain_at_10", "precision_at_10", "coverage"]
                .compactMap { key in metrics[key].map { "\(key) \(String(format: "%.4f", $0))" } }
            line("\(address): metrics: " + shown.joined(separator: ", "))
        case .heldBack(let address, let versionArn, let reason):
            line("\(address): held back \(versionArn): \(reason)")
        case .completed(let address, let action, let elapsed):
            waits.withLock { $0[address] = nil }
            line("\(address): \(Self.past(action)) (\(Self.format(elapsed)))")
        case .failed(let address, _, let message):
            waits.withLock { $0[address] = nil }
            line(message.hasPrefix("\(address)") ? "\(message)" : "\(address): failed: \(message)")
        case .skipped(let address, _, let reason):
            line("\(address): skipped: \(reason)")
        case .stateSaved:
            break
        }
    }

    func finish() {
        if pendingLine.withLock({ $0 }) { write("\n") }
    }

    private func line(_ text: String) {
        let clear = pendingLine.withLock { pending in
            defer { pending = false }
            return pending
        }
        write((clear ? "\r\u{1B}[K" : "") + text + "\n")
    }

    private func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)  // all streams: the plan was printed through the same buffer
    }

    private static func past(_ action: ChangeAction) -> String {
        switch action {
        case .create: "created"
        case .update: "updated"
        case .replace: "replaced"
        case .delete: "destroyed"
        case .noOp: "unchanged"
        }
    }

    /// The status line cut to the terminal's width (`COLUMNS`, else 120).
    private static func fit(_ text: String) -> String {
        let width = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 120
        return text.count <= width ? text : String(text.prefix(max(1, width - 1))) + "…"
    }

    static func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds < 60
            ? String(format: "%.1fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}
