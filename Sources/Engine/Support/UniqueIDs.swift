import Synchronization

/// Identifiers issued per request (recommendation IDs, `x-amzn-RequestId`): random-looking and never repeated
/// within a process, without a system call each.
///
/// Each value is a process-wide counter mixed with a random key drawn once per process by SplitMix64's
/// finalizer, a bijection on 64 bits: two values of one process never share their first word, and values
/// of different processes collide only by chance. These IDs name things; they are not secrets.
package enum UniqueIDs {
    private static let keys: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private static let counter = Atomic<UInt64>(0)

    /// The next 128 bits: the first word unique within the process, the second a further mix of the count.
    package static func next() -> (UInt64, UInt64) {
        let count = counter.add(1, ordering: .relaxed).newValue
        return (mix(count ^ keys.0), mix(count &+ keys.1))
    }

    /// A version-4-shaped UUID in lower case (`8-4-4-4-12` hex digits), as `x-amzn-RequestId` carries them.
    package static func uuidString() -> String {
        let (high, low) = next()
        let versioned = (high & ~0xF000) | 0x4000  // version 4
        let variant = (low & ~(0xC << 60)) | (0x8 << 60)  // RFC 4122 variant
        let groups = [(versioned >> 32, 8), (versioned >> 16, 4), (versioned, 4), (variant >> 48, 4), (variant, 12)]
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var at = 0
            for (index, (value, digits)) in groups.enumerated() {
                if index > 0 {
                    buffer[at] = UInt8(ascii: "-")
                    at += 1
                }
                hex(value, digits: digits, into: buffer, at: &at)
            }
            return at
        }
    }

    /// The low `digits` hex digits of `value`, lower case, most significant first.
    package static func hex(
        _ value: UInt64, digits: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: inout Int
    ) {
        for position in 0..<digits {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt64(4 * (digits - 1 - position))) & 0xF
            buffer[index + position] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
        index += digits
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
