/// SplitMix64: small, fast, and seeded, so that input `i` of a target is the same in every run and can be
/// generated again from its index alone (the driver regenerates a crashing input to save it).
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The generator of input `index` of `target` in a run seeded with `seed`.
    init(seed: UInt64, target: String, index: Int) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in target.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        state = seed ^ hash ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (0 when `bound` is not positive).
    mutating func below(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int(next() % UInt64(bound))
    }

    /// True with probability `1 / n`.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }

    /// An element of `values` (which must not be empty).
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    /// A length that is usually small and sometimes large: 0–8 mostly, up to `maximum` rarely.
    mutating func length(maximum: Int = 4096) -> Int {
        switch below(10) {
        case 0..<6: below(9)
        case 6..<9: below(64)
        default: below(maximum + 1)
        }
    }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// `unit` repeated `count` times, built as bytes (`String(repeating:count:)` appends one unit at a time,
/// which made long values most of the generators' time).
func repeated(_ unit: String, _ count: Int) -> [UInt8] {
    let bytes = Array(unit.utf8)
    guard count > 0, !bytes.isEmpty else { return [] }
    if bytes.count == 1 { return [UInt8](repeating: bytes[0], count: count) }
    var out = bytes
    out.reserveCapacity(bytes.count * count)
    while out.count * 2 <= bytes.count * count { out.append(contentsOf: out) }
    out.append(contentsOf: out[0..<(bytes.count * count - out.count)])
    return out
}

/// ``repeated(_:_:)`` as a string.
func repeatedString(_ unit: String, _ count: Int) -> String {
    String(decoding: repeated(unit, count), as: UTF8.self)
}
