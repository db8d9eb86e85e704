import Engine
import EngineAPI
import Foundation
import PersonalizeRules

/// Filter expressions through the parser (``FilterParser``) and the schema rules (``FilterSchemaRules``)
/// against the fixture's schemas. Acceptable refusals: `FilterExpressionError` (what CreateFilter turns
/// into InvalidInputException).
struct FilterTarget: InProcessTarget {
    static let name = "filter"
    private let schemas: [DatasetType: AvroSchema]

    init(scratch: String, repository: String) throws {
        schemas = Dictionary(uniqueKeysWithValues: try CSVTarget.schemaTexts.map { ($0.0, try AvroSchema(json: $0.1)) })
    }

    func input(seed: UInt64, index: Int) -> [UInt8] {
        var random = SplitMix(seed: seed, target: Self.name, index: index)
        var bytes = Array(FilterInputs.expression(&random).utf8)
        if random.oneIn(10) { bytes = ByteMutation.apply(bytes, &random) }
        return bytes
    }

    mutating func run(_ input: [UInt8]) -> String? {
        let expression = String(decoding: input, as: UTF8.self)
        do {
            _ = try FilterSchemaRules.resolve(try FilterParser.parse(expression), schemas: schemas)
            return nil
        } catch is FilterExpressionError {
            return nil
        } catch {
            return "filter parsing threw \(type(of: error)): \(error)"
        }
    }
}

/// Avro schemas through ``AvroSchema`` and the dataset type's rules (what CreateSchema and CreateDataset
/// check). Acceptable refusals: `PersonalizeError`.
struct SchemaTarget: InProcessTarget {
    static let name = "schema"

    init(scratch: String, repository: String) throws {}

    func input(seed: UInt64, index: Int) -> [UInt8] {
        var random = SplitMix(seed: seed, target: Self.name, index: index)
        return Array(SchemaInputs.mutate(random.pick(CSVTarget.schemaTexts).1, &random).utf8)
    }

    mutating func run(_ input: [UInt8]) -> String? {
        do {
            let schema = try AvroSchema(json: String(decoding: input, as: UTF8.self))
            for type in DatasetType.allCases {
                do {
                    try type.validate(schema)
                } catch is PersonalizeError {
                    continue
                }
            }
            return nil
        } catch is PersonalizeError {
            return nil
        } catch {
            return "schema parsing threw \(type(of: error)): \(error)"
        }
    }
}

/// Mutations of Avro schema JSON: fields added, removed, retyped; JSON-level and byte-level changes.
enum SchemaInputs {
    static let types = [
        "\"string\"", "\"int\"", "\"long\"", "\"float\"", "\"double\"", "\"boolean\"", "\"bytes\"", "\"null\"",
        "[\"null\", \"string\"]", "[\"string\", \"null\"]", "[\"null\"]", "[]", "[\"null\", \"int\", \"long\"]",
        "{\"type\": \"array\", \"items\": \"string\"}", "{\"type\": \"record\", \"fields\": []}", "1", "null",
    ]

    static func mutate(_ schema: String, _ random: inout SplitMix) -> String {
        guard var json = FuzzJSON(parsing: schema) else { return schema }
        switch random.below(4) {
        case 0:
            let name = random.pick([
                "USER_ID", "ITEM_ID", "X", "", "é", "1A", "A-B", repeatedString("F", 200),
            ])
            var members: [(key: String, value: FuzzJSON)] = [
                ("name", .text(name)), ("type", .raw(Array(random.pick(types).utf8))),
            ]
            if random.oneIn(3) { members.append(("categorical", random.oneIn(2) ? .bool(true) : .number("1"))) }
            if random.oneIn(4) { members.append(("textual", .bool(true))) }
            if case .object(var top) = json, let index = top.firstIndex(where: { $0.key == "fields" }),
                case .array(var fields) = top[index].value
            {
                let count = random.oneIn(10) ? random.pick([100, 1001]) : 1
                for _ in 0..<count { fields.append(.object(members)) }
                top[index].value = .array(fields)
                json = .object(top)
            }
        case 1, 2:
            for _ in 0..<(random.below(3) + 1) { json = JSONMutation.apply(json, &random) }
        default:
            return String(decoding: ByteMutation.apply(json.bytes, &random), as: UTF8.self)
        }
        return String(decoding: json.bytes, as: UTF8.self)
    }
}

extension FuzzJSON {
    /// The fuzz tree of valid JSON text, members in their order and numbers as spelled (nil if not JSON).
    init?(parsing text: String) {
        var parser = SeedParser(bytes: Array(text.utf8))
        guard let value = parser.value() else { return nil }
        self = value
    }
}

/// A small JSON reader for the seeds (the fuzzer's own valid inputs), keeping members in order.
private struct SeedParser {
    let bytes: [UInt8]
    var at = 0

    mutating func skip() {
        while at < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[at]) { at += 1 }
    }

    mutating func value() -> FuzzJSON? {
        skip()
        guard at < bytes.count else { return nil }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            at += 1
            var members: [(key: String, value: FuzzJSON)] = []
            skip()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                at += 1
                return .object([])
            }
            while true {
                skip()
                guard let key = string(), expect(":"), let member = value() else { return nil }
                members.append((String(decoding: key, as: UTF8.self), member))
                skip()
                if expect(",") { continue }
                return expect("}") ? .object(members) : nil
            }
        case UInt8(ascii: "["):
            at += 1
            var elements: [FuzzJSON] = []
            skip()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                at += 1
                return .array([])
            }
            while true {
                guard let element = value() else { return nil }
                elements.append(element)
                skip()
                if expect(",") { continue }
                return expect("]") ? .array(elements) : nil
            }
        case UInt8(ascii: "\""): return string().map { .string($0) }
        default:
            let start = at
            while at < bytes.count, !",]} \n\r\t".utf8.contains(bytes[at]) { at += 1 }
            let word = String(decoding: bytes[start..<at], as: UTF8.self)
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default: return word.isEmpty ? nil : .number(word)
            }
        }
    }

    /// A string's raw content (escapes kept as written).
    mutating func string() -> [UInt8]? {
        skip()
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
        at += 1
        let start = at
        while at < bytes.count, bytes[at] != UInt8(ascii: "\"") {
            at += bytes[at] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard at < bytes.count else { return nil }
        defer { at += 1 }
        return Array(bytes[start..<at])
    }

    mutating func expect(_ character: Character) -> Bool {
        skip()
        guard at < bytes.count, bytes[at] == character.asciiValue else { return false }
        at += 1
        return true
    }
}
