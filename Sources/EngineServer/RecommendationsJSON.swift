import EngineAPI
import NIOCore

/// The JSON of a `GetRecommendationsResponse`, written directly: byte for byte what `PersonalizeJSON.encoder()`
/// writes (sorted keys, slashes unescaped), without `JSONEncoder`'s generic machinery, which cost more than the
/// engine's own work for a precomputed answer.
///
/// Only the common case is written here: strings with nothing to escape and finite scores that are not whole
/// numbers. Anything else returns nil, and the caller uses `JSONEncoder`.
enum RecommendationsJSON {
    static func encode(_ response: GetRecommendationsResponse) -> ByteBuffer? {
        var out: [UInt8] = []
        out.reserveCapacity(64 + (response.itemList?.count ?? 0) * 64)
        out.append(UInt8(ascii: "{"))
        var needsComma = false
        if let items = response.itemList {
            key("itemList", into: &out)
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard write(item, into: &out) else { return nil }
            }
            out.append(UInt8(ascii: "]"))
            needsComma = true
        }
        if let id = response.recommendationId {
            if needsComma { out.append(UInt8(ascii: ",")) }
            key("recommendationId", into: &out)
            guard string(id, into: &out) else { return nil }
        }
        out.append(UInt8(ascii: "}"))
        return ByteBuffer(bytes: out)
    }

    /// `{"itemId":…,"metadata":{…},"promotionName":…,"reason":[…],"score":…}`, keys sorted, absent ones left out.
    private static func write(_ item: PredictedItem, into out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "{"))
        var fields = 0
        func next(_ name: StaticString) {
            if fields > 0 { out.append(UInt8(ascii: ",")) }
            fields += 1
            key(name, into: &out)
        }
        if let id = item.itemId {
            next("itemId")
            guard string(id, into: &out) else { return false }
        }
        if let metadata = item.metadata {
            next("metadata")
            out.append(UInt8(ascii: "{"))
            for (index, name) in metadata.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard string(name, into: &out) else { return false }
                out.append(UInt8(ascii: ":"))
                guard string(metadata[name] ?? "", into: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        }
        if let promotion = item.promotionName {
            next("promotionName")
            guard string(promotion, into: &out) else { return false }
        }
        if let reasons = item.reason {
            next("reason")
            out.append(UInt8(ascii: "["))
            for (index, reason) in reasons.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard string(reason, into: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        }
        if let score = item.score {
            next("score")
            // JSONEncoder writes a Double's shortest round-trip description, whole numbers without ".0".
            guard score.isFinite else { return false }
            var text = score.description
            let written = text.withUTF8 { digits in
                guard
                    digits.count < 2 || digits[digits.count - 2] != UInt8(ascii: ".")
                        || digits[digits.count - 1] != UInt8(ascii: "0")
                else { return false }
                out.append(contentsOf: digits)
                return true
            }
            guard written else { return false }
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    private static func key(_ name: StaticString, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    /// A quoted string, unless it holds a character JSON escapes (`"`, `\` or a control character).
    private static func string(_ value: String, into out: inout [UInt8]) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else {
                return false
            }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
    }
}
