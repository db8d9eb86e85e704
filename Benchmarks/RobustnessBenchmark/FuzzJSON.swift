import EngineAPI

/// A JSON value as the fuzzer builds it: numbers and strings keep their raw spelling, so that anything can
/// be written (`1e309`, `NaN`, `-9223372036854775809`, unpaired surrogates, bytes that are not UTF-8).
///
/// Not `indirect`: its recursive cases hold arrays already (and `indirect` here tripped the compiler's
/// "circular reference" in incremental builds).
enum FuzzJSON {
    case null
    case bool(Bool)
    /// A number as written (any bytes: `12345678901234567890`, `NaN`, `0x10`).
    case number(String)
    /// A string's content, written between quotes as is (escapes included).
    case string([UInt8])
    case array([FuzzJSON])
    case object([(key: String, value: FuzzJSON)])
    /// Bytes written as they are, in place of a value.
    case raw([UInt8])

    static func text(_ value: String) -> FuzzJSON { .string(Array(value.jsonEscaped.utf8)) }

    /// The value's bytes.
    var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let value): out += Array((value ? "true" : "false").utf8)
        case .number(let spelling): out += Array(spelling.utf8)
        case .string(let content):
            out.append(UInt8(ascii: "\""))
            out += content
            out.append(UInt8(ascii: "\""))
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\""))
                out += Array(member.key.utf8)
                out += Array("\":".utf8)
                member.value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .raw(let bytes): out += bytes
        }
    }
}

/// Values that have broken parsers before: extreme and malformed numbers, strings, nesting.
enum Nasty {
    static let numbers = [
        "0", "-0", "1", "-1", "25", "500", "501", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "12345678901234567890",
        "99999999999999999999999999999999999999", "1e309", "-1e309", "1e-400", "4.9e-324", "1.7976931348623157e308",
        "NaN", "-NaN", "Infinity", "-Infinity", "1.5", "0.1", "-0.0", "1e2", "1E+2", "01", "00", "0x10", "+1",
        ".5", "5.", "1e", "--1", "1_000", "١", "1.0e99999999999", "3.14159265358979323846264338327950288",
    ]

    /// JSON string contents (already escaped as they go on the wire, or deliberately broken).
    static let strings: [[UInt8]] = {
        var values: [[UInt8]] = [
            "", " ", "x", "null", "true", "0", "-1", "u0", "i0", "click", "..", "../../etc/passwd", "/dev/zero",
            "/dev/urandom", "/proc/self/mem", "/etc/passwd", "file:///etc/passwd", "s3://bucket/key",
            "s3://bucket/../../x", "arn:aws:personalize:::", "arn:aws:personalize:us-east-1:000000000000:campaign/",
            "arn:aws:personalize:us-east-1:000000000000:campaign/x/y", "\\u0000", "\\ud800", "\\udc00x",
            "\\ud83d\\ude00", "\\u00e9", "é", "日本語", "🙂", "\\\"", "\\\\", "\\n\\r\\t", "\\/", "\\x41", "\\u12",
            "\\", "%00", "%s%s%s%n", "${var.x}", "' OR 1=1 --", "\"; DROP TABLE resource; --", "INCLUDE ItemID",
            "EXCLUDE ItemID WHERE Items.GENRE IN (\\\"a\\\")", "rate(1 days)", "cron(0 0 * * ? *)",
        ].map { Array($0.utf8) }
        values.append([0xFF, 0xFE])  // not UTF-8
        values.append([0xC0, 0x80])  // overlong NUL
        values.append([0xED, 0xA0, 0x80])  // a UTF-8 encoded surrogate
        values.append([0xF4, 0x90, 0x80, 0x80])  // beyond U+10FFFF
        values.append([0x00])  // a raw NUL inside the quotes
        values.append([0x0A])  // a raw newline
        values.append([0xE2, 0x80])  // truncated sequence
        return values
    }()

    /// A string of `count` repetitions of `unit`.
    static func long(_ unit: String, _ count: Int) -> FuzzJSON {
        .string(repeated(unit, count))
    }

    /// Arrays or objects nested `depth` deep.
    static func deep(_ depth: Int, objects: Bool) -> FuzzJSON {
        let open = Array(repeating: UInt8(ascii: objects ? "{" : "["), count: 1)
        let close = Array(repeating: UInt8(ascii: objects ? "}" : "]"), count: 1)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(depth * 6)
        for _ in 0..<depth { bytes += objects ? Array("{\"a\":".utf8) : open }
        bytes += Array("1".utf8)
        for _ in 0..<depth { bytes += close }
        return .raw(bytes)
    }

    /// Any nasty value.
    static func value(_ random: inout SplitMix) -> FuzzJSON {
        switch random.below(12) {
        case 0, 1, 2: return .number(random.pick(numbers))
        case 3, 4, 5: return .string(random.pick(strings))
        case 6: return long(random.pick(["a", "é", "🙂", "\\u0000", " "]), random.pick([257, 1001, 20_001, 300_000]))
        case 7: return deep(random.pick([2, 64, 513, 1025, 10_000, 100_000]), objects: random.oneIn(2))
        case 8: return random.pick([.null, .bool(true), .bool(false), .array([]), .object([])])
        case 9: return .array((0..<random.pick([1, 2, 11, 101, 1001])).map { _ in .string(Array("x".utf8)) })
        case 10:
            let count = random.pick([1, 11, 101, 1001])
            return .object((0..<count).map { (key: "k\($0)", value: .string(Array("v".utf8))) })
        default: return .raw(random.pick([Array("nul".utf8), Array("{".utf8), Array("[1,]".utf8), [0xFF], []]))
        }
    }
}
