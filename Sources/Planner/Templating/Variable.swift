import Foundation

/// A typed variable declared in `tailor.yaml`, with its default and validation rules.
///
/// ```yaml
/// variables:
///   tps: {type: integer, default: 1, minimum: 1, maximum: 100, description: Provisioned TPS}
///   environment: {type: string, allowed: [dev, prod]}
///   trackerSecret: {type: string, sensitive: true}
/// ```
package struct Variable: Sendable, Hashable {
    /// The types a variable can have.
    package enum ValueType: String, CaseIterable, Sendable, Hashable {
        case string, integer, number, boolean, list, map
    }

    package var name: String
    package var type: ValueType
    package var summary: String?
    /// The value when nothing sets one; nil: the variable is required.
    package var defaultValue: SpecValue?
    /// The only values allowed, if restricted.
    package var allowed: [SpecValue]?
    /// Bounds of a number, or of a string's or list's length.
    package var minimum: Double?
    package var maximum: Double?
    /// A regular expression a string must match entirely.
    package var pattern: String?
    /// Whether the value is a secret: kept out of plans, saved plans and state (digests only).
    package var sensitive: Bool
    /// Where it is declared.
    package var location: SourceLocation

    /// The fields of one declaration, for the validator and the JSON Schema.
    static let fields: [FieldDefinition] = [
        FieldDefinition("type", .oneOf(ValueType.allCases.map(\.rawValue)), required: true, "The value's type"),
        FieldDefinition("description", .string, "What the variable is for"),
        FieldDefinition("default", .any, "The value when no values file, --var or TAILOR_VAR_ sets one"),
        FieldDefinition("allowed", .list(.any), "The only values allowed"),
        FieldDefinition("minimum", .number, "The smallest number (for strings and lists: the shortest length)"),
        FieldDefinition("maximum", .number, "The largest number (for strings and lists: the longest length)"),
        FieldDefinition("pattern", .string, "A regular expression the whole string must match"),
        FieldDefinition("sensitive", .boolean, "A secret: never written to plans or state in clear"),
    ]

    /// Why `value` is not a valid value of this variable, or nil when it is.
    package func problem(with value: SpecValue) -> String? {
        guard let typeProblem = typeProblem(value) else { return ruleProblem(value) }
        return typeProblem
    }

    /// `value` written as text (`--var`, `TAILOR_VAR_`) read as this variable's type; nil when it does not read.
    package func value(fromText text: String) -> SpecValue? {
        switch type {
        case .string: return .string(text)
        case .integer: return Int(text).map(SpecValue.int)
        case .number: return Int(text).map(SpecValue.int) ?? Double(text).map(SpecValue.double)
        case .boolean: return ["true": true, "false": false][text].map(SpecValue.bool)
        case .list, .map:
            guard let parsed = try? JSONDecoder().decode(SpecValue.self, from: Data(text.utf8)) else { return nil }
            return typeProblem(parsed) == nil ? parsed : nil
        }
    }

    private func typeProblem(_ value: SpecValue) -> String? {
        if case .double(let number) = value, !number.isFinite {
            return "must be a finite number, found \(number)"
        }
        let matches: Bool =
            switch (type, value) {
            case (.string, .string), (.integer, .int), (.number, .int), (.number, .double), (.boolean, .bool),
                (.list, .list), (.map, .map):
                true
            default: false
            }
        return matches ? nil : "must be \(article) \(type.rawValue), found \(SpecValue.describe(value))"
    }

    private var article: String { type == .integer ? "an" : "a" }

    private func ruleProblem(_ value: SpecValue) -> String? {
        if let allowed, !allowed.contains(value) {
            return "must be one of \(allowed.map(\.description).joined(separator: ", ")), found \(value)"
        }
        let measure: Double? =
            switch value {
            case .int(let number): Double(number)
            case .double(let number): number
            case .string(let text): Double(text.count)
            case .list(let items): Double(items.count)
            default: nil
            }
        let what = value.stringValue != nil || value.listValue != nil ? "a length" : "a value"
        if let minimum, let measure, measure < minimum {
            return "needs \(what) of at least \(Self.format(minimum)), found \(Self.format(measure))"
        }
        if let maximum, let measure, measure > maximum {
            return "needs \(what) of at most \(Self.format(maximum)), found \(Self.format(measure))"
        }
        if let pattern, case .string(let text) = value {
            guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else {
                return "has an invalid pattern '\(pattern)'"
            }
            switch PatternMatcher.matches(regex, text) {
            case true?: break
            case false?:
                return
                    "must match \(pattern), found \(sensitive ? Redaction.placeholder : "'\(Interpolator.excerpt(text))'")"
            case nil:
                return "takes too long to match its pattern '\(pattern)' (repetition inside repetition, as in (a+)+, "
                    + "can take exponential time); simplify the pattern"
            }
        }
        return nil
    }

    private static func format(_ number: Double) -> String {
        // Int(number) traps outside Int's range (and for infinities): only whole numbers well inside it.
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}

extension SpecValue {
    /// "a string", "an integer", ... for messages.
    static func describe(_ value: SpecValue) -> String {
        switch value {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .list: "a list"
        case .map: "a mapping"
        case .null: "nothing"
        }
    }
}

extension YAMLNode {
    /// The node as a plain value: scalars typed by YAML's rules, mappings and sequences recursively.
    var specValue: SpecValue {
        switch content {
        case .scalar(let scalar, let text):
            switch scalar {
            case .null: .null
            case .bool(let value): .bool(value)
            case .int(let value): .int(value)
            case .float(let value): .double(value)
            case .string: .string(text)
            }
        case .sequence(let items): .list(items.map(\.specValue))
        case .mapping(let entries):
            .map(Dictionary(entries.map { ($0.key, $0.value.specValue) }) { first, _ in first })
        }
    }

    /// A node holding `value`, placed at `location` (interpolated values keep the position of what they replace).
    init(_ value: SpecValue, at location: SourceLocation) {
        switch value {
        case .string(let text): self.init(content: .scalar(.string(text), text: text), location: location)
        case .int(let number): self.init(content: .scalar(.int(number), text: String(number)), location: location)
        case .double(let number):
            self.init(content: .scalar(.float(number), text: String(number)), location: location)
        case .bool(let flag):
            self.init(content: .scalar(.bool(flag), text: flag ? "true" : "false"), location: location)
        case .null: self.init(content: .scalar(.null, text: ""), location: location)
        case .list(let items):
            self.init(content: .sequence(items.map { YAMLNode($0, at: location) }), location: location)
        case .map(let map):
            self.init(
                content: .mapping(
                    map.keys.sorted().map {
                        Entry(key: $0, keyLocation: location, value: YAMLNode(map[$0] ?? .null, at: location))
                    }
                ), location: location)
        }
    }
}
