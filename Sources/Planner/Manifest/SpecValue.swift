import EngineAPI

/// A normalised field value: what the planner compares, hashes and records in state.
///
/// Manifests are normalised into these values (Avro schemas become maps keyed by field name, hyperparameters
/// maps of strings), so diffs are structural and independent of key order or YAML spelling. Encodes as plain
/// JSON.
package enum SpecValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([SpecValue])
    case map([String: SpecValue])
    case null

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([SpecValue].self) {
            self = .list(value)
        } else {
            self = .map(try container.decode([String: SpecValue].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .map(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// The value as compact JSON with sorted keys: stable across runs, so it can be hashed.
    package var canonicalJSON: String {
        switch self {
        case .string(let value): Self.quoted(value)
        case .int(let value): String(value)
        case .double(let value): value.description
        case .bool(let value): value ? "true" : "false"
        case .list(let items): "[" + items.map(\.canonicalJSON).joined(separator: ",") + "]"
        case .map(let entries):
            "{"
                + entries.keys.sorted().map { Self.quoted($0) + ":" + (entries[$0]?.canonicalJSON ?? "null") }
                .joined(separator: ",") + "}"
        case .null: "null"
        }
    }

    /// How plans print the value: strings quoted, maps and lists as compact JSON.
    package var description: String { canonicalJSON }

    /// The string, if the value is one.
    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, if the value is one.
    package var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The list, if the value is one.
    package var listValue: [SpecValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// The map, if the value is one.
    package var mapValue: [String: SpecValue]? {
        if case .map(let value) = self { return value }
        return nil
    }

    /// How many nodes the value has: 1, plus those of its items or entries; counting stops once past `limit`.
    func nodeCount(upTo limit: Int) -> Int {
        var count = 1
        switch self {
        case .list(let items):
            for item in items where count <= limit { count += item.nodeCount(upTo: limit - count) }
        case .map(let entries):
            for value in entries.values where count <= limit { count += value.nodeCount(upTo: limit - count) }
        case .string, .int, .double, .bool, .null: break
        }
        return count
    }

    private static func quoted(_ string: String) -> String { "\"" + string.jsonEscaped + "\"" }
}
