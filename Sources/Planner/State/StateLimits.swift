import EngineAPI
import Foundation

/// What a state file (or a saved plan, or a state stored in PostgreSQL) may hold. A state file is data anyone
/// with write access to its folder or database can change: a corrupt or hostile one must give a clear error
/// naming the file and the field, never a crash.
package enum StateLimits {
    /// The largest state file or saved plan read: 64 MiB.
    package static let fileBytes = 64 << 20
    /// The deepest nesting of JSON arrays and objects.
    package static let depth = 100
    /// The largest serial: 2^53, exact in every JSON reader, and far from overflowing when incremented.
    package static let serial = 1 << 53
    /// The largest generation counter (names of import jobs, versions and replacements).
    package static let generation = 1_000_000_000

    /// Why `data` cannot be decoded safely, or nil: too large, or nested too deep (a scan that skips strings).
    static func problem(with data: Data) -> String? {
        guard data.count <= fileBytes else {
            return "it has \(data.count) bytes; Tailor reads at most \(ManifestLimits.describe(bytes: fileBytes))"
        }
        var depth = 0
        var strings = JSONStringTracker()
        for byte in data where !strings.consume(byte) {
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > self.depth { return "its arrays and objects are nested more than \(self.depth) deep" }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }
}

extension State {
    /// Why the decoded state cannot be used, naming the field, or nil: a serial or counter out of range, a
    /// counter of the wrong type.
    func problem() -> String? {
        guard (0...StateLimits.serial).contains(serial) else {
            return "'serial' is \(serial); it must be between 0 and \(StateLimits.serial)"
        }
        let counters = [
            StateEntry.Key.importGeneration, StateEntry.Key.trainingGeneration, StateEntry.Key.replacementGeneration,
        ]
        let entries =
            resources.map { ("resources.\($0.key)", $0.value) }
            + deposed.flatMap { address, objects in objects.map { ("deposed.\(address)", $0) } }
        for (path, entry) in entries.sorted(by: { $0.0 < $1.0 }) {
            for key in counters {
                guard let value = entry.attributes[key] else { continue }
                guard let count = value.intValue, (0...StateLimits.generation).contains(count) else {
                    return "'\(path).attributes.\(key)' is \(value); it must be an integer between 0 and "
                        + "\(StateLimits.generation)"
                }
            }
        }
        return nil
    }
}
