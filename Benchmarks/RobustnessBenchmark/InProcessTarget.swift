import Foundation

/// A fuzz target run inside a worker process: its inputs are bytes made from `(seed, index)` alone, so that
/// the driver can make again the input a worker died on.
protocol InProcessTarget {
    static var name: String { get }
    /// What a run needs once per worker (files, parsed seeds, a scratch folder of its own).
    init(scratch: String, repository: String) throws
    /// Input `index` of a run seeded with `seed`.
    func input(seed: UInt64, index: Int) -> [UInt8]
    /// Runs one input: nil when it was accepted or refused as the target's users are told; otherwise what
    /// was wrong with the refusal (an error of the wrong type, a diagnostic without a position).
    mutating func run(_ input: [UInt8]) -> String?
}

enum InProcessTargets {
    static var all: [any InProcessTarget.Type] {
        [CSVTarget.self, FilterTarget.self, SchemaTarget.self, ManifestTarget.self, StateTarget.self]
    }

    static func named(_ name: String) -> (any InProcessTarget.Type)? {
        all.first { $0.name == name }
    }
}

/// Text mutations shared by the text targets (CSV, YAML, JSON): line and character level.
enum TextMutation {
    static func apply(_ text: [UInt8], _ random: inout SplitMix, pool: [String]) -> [UInt8] {
        var bytes = text
        for _ in 0..<(random.below(3) + 1) {
            let at = random.below(bytes.count + 1)
            switch random.below(7) {
            case 0: bytes.insert(contentsOf: Array(random.pick(pool).utf8), at: at)
            case 1:
                var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
                let index = random.below(lines.count)
                lines.insert(lines[index], at: random.below(lines.count + 1))
                bytes = Array(lines.joined(separator: [10]))
            case 2:
                var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
                let index = random.below(lines.count)
                let indent = [UInt8](repeating: 32, count: random.below(7))
                lines[index] = indent + lines[index].drop { $0 == 32 }
                bytes = Array(lines.joined(separator: [10]))
            case 3:
                var lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
                if lines.count > 1 { lines.remove(at: random.below(lines.count)) }
                bytes = Array(lines.joined(separator: [10]))
            default: bytes = ByteMutation.apply(bytes, &random)
            }
        }
        return bytes
    }
}
