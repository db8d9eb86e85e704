import EngineAPI
import NIOCore

/// Reads a `GetRecommendationsRequest` body directly, for the common shape of the runtime's busiest call:
/// one JSON object whose members are strings, integers, `null`, or (for `context` and `filterValues`) objects
/// of strings.
///
/// `JSONDecoder` builds a map of the whole document and walks it through the generic `Decoder` protocol, a
/// cost of several microseconds on a request that the engine answers in about as many. Anything outside the
/// common shape returns nil and is left to `JSONDecoder`, which then gives the answer (and the error) it always
/// gave: `\u` escapes, invalid UTF-8, numbers that are not plain integers, `promotions`, `metadataColumns`,
/// members the shape does not have, repeated members, and any syntax error.
enum RecommendationsRequestJSON {
    static func decode(_ body: ByteBuffer) -> GetRecommendationsRequest? {
        body.withUnsafeReadableBytes { bytes in
            var reader = Reader(bytes: bytes)
            return try? reader.request()
        }
    }

    /// The members read; raw values are their names.
    private enum Member: String, CaseIterable {
        case campaignArn, itemId, userId, numResults, context, filterArn, filterValues, recommenderArn

        init?(_ name: UnsafeRawBufferPointer) {
            guard let member = Member.allCases.first(where: { $0.rawValue.utf8.elementsEqual(name) }) else {
                return nil
            }
            self = member
        }
    }

    /// What makes the reader hand a body over to `JSONDecoder`.
    private struct NotCommonShape: Error {}

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        mutating func request() throws -> GetRecommendationsRequest {
            var request = GetRecommendationsRequest()
            skipSpace()
            if at == bytes.count { return request }  // an empty body is `{}`
            try expect(UInt8(ascii: "{"))
            var seen: UInt16 = 0  // one bit per member, by its place in `Member.allCases`
            skipSpace()
            if !take(UInt8(ascii: "}")) {
                repeat {
                    skipSpace()
                    guard let member = Member(try rawString()) else { throw NotCommonShape() }
                    let bit: UInt16 = 1 << (Member.allCases.firstIndex(of: member) ?? 0)
                    guard seen & bit == 0 else { throw NotCommonShape() }
                    seen |= bit
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    skipSpace()
                    if !takeNull() {
                        switch member {
                        case .campaignArn: request.campaignArn = try string()
                        case .itemId: request.itemId = try string()
                        case .userId: request.userId = try string()
                        case .filterArn: request.filterArn = try string()
                        case .recommenderArn: request.recommenderArn = try string()
                        case .numResults: request.numResults = try integer()
                        case .context: request.context = try stringMap()
                        case .filterValues: request.filterValues = try stringMap()
                        }
                    }
                    skipSpace()
                } while take(UInt8(ascii: ","))
                try expect(UInt8(ascii: "}"))
            }
            skipSpace()
            guard at == bytes.count else { throw NotCommonShape() }
            return request
        }

        /// `{"name": "value", ...}` with string values, no name twice.
        private mutating func stringMap() throws -> [String: String] {
            try expect(UInt8(ascii: "{"))
            var map: [String: String] = [:]
            skipSpace()
            if take(UInt8(ascii: "}")) { return map }
            repeat {
                skipSpace()
                let name = try string()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                guard map.updateValue(try string(), forKey: name) == nil else { throw NotCommonShape() }
                skipSpace()
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
            return map
        }

        /// A string: UTF-8 (checked, as `JSONDecoder` checks it), with the escapes `\"`, `\\`, `\/`, `\b`, `\f`,
        /// `\n`, `\r` and `\t` (filter values need them: they are quoted, as in `"\"comedy\""`).
        private mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            let start = at
            var text: [UInt8] = []  // the string so far, once it had an escape
            var plain = at  // where the bytes not yet copied to `text` start
            var ascii = true
            while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: "\""):
                    let tail = UnsafeRawBufferPointer(rebasing: bytes[plain..<at])
                    at += 1
                    if text.isEmpty, plain == start, ascii { return String(decoding: tail, as: UTF8.self) }
                    text.append(contentsOf: tail)
                    guard let string = String(validating: text, as: UTF8.self) else { throw NotCommonShape() }
                    return string
                case UInt8(ascii: "\\"):
                    text.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[plain..<at]))
                    guard at + 1 < bytes.count, let unescaped = Self.unescaped(bytes[at + 1]) else {
                        throw NotCommonShape()
                    }
                    text.append(unescaped)
                    at += 2
                    plain = at
                case 0..<0x20:
                    throw NotCommonShape()
                case 0x80...:
                    ascii = false
                    at += 1
                default:
                    at += 1
                }
            }
            throw NotCommonShape()
        }

        /// The byte `\` followed by `byte` stands for; nil for `\u` escapes (not read here) and invalid ones.
        private static func unescaped(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        }

        /// The bytes between the quotes of a member name: printable ASCII without escapes.
        private mutating func rawString() throws -> UnsafeRawBufferPointer {
            try expect(UInt8(ascii: "\""))
            let start = at
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    at += 1
                    return UnsafeRawBufferPointer(rebasing: bytes[start..<(at - 1)])
                }
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { throw NotCommonShape() }
                at += 1
            }
            throw NotCommonShape()
        }

        /// An optional minus and 1 to 18 digits, no leading zero, no fraction or exponent: a number that fits an
        /// `Int` and means what `JSONDecoder` reads it as. Longer numbers are left to `JSONDecoder` (which reads
        /// those that fit and refuses the others), and are never accumulated here: 19 digits can overflow.
        private mutating func integer() throws -> Int {
            let negative = take(UInt8(ascii: "-"))
            let start = at
            var value = 0
            while at < bytes.count, isDigit(bytes[at]) {
                guard at - start < Self.maximumDigits else { throw NotCommonShape() }
                value = value * 10 + Int(bytes[at] - UInt8(ascii: "0"))
                at += 1
            }
            let digits = at - start
            guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else {
                throw NotCommonShape()
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") || bytes[at] | 0x20 == UInt8(ascii: "e") {
                throw NotCommonShape()
            }
            return negative ? -value : value
        }

        /// The most digits read here: 10^18 - 1 < `Int.max`, so no digit string this long overflows.
        private static let maximumDigits = 18

        private func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }

        private mutating func takeNull() -> Bool {
            guard bytes.count - at >= 4, bytes[at] == UInt8(ascii: "n"), bytes[at + 1] == UInt8(ascii: "u"),
                bytes[at + 2] == UInt8(ascii: "l"), bytes[at + 3] == UInt8(ascii: "l")
            else { return false }
            at += 4
            return true
        }

        private mutating func expect(_ byte: UInt8) throws {
            guard take(byte) else { throw NotCommonShape() }
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        private mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): at += 1
                default: return
                }
            }
        }
    }
}
