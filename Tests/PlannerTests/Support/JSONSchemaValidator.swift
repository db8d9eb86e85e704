import Foundation

@testable import Planner

/// A JSON Schema (draft-07) validator for the keywords `tailor schema` emits: `type`, `enum`, `const`,
/// `pattern`, `minimum`, `maximum`, `properties`, `required`, `additionalProperties`, `propertyNames`, `items`,
/// `anyOf`, `allOf`, `if`/`then` and `$ref` to `#/definitions/...`. Anything else fails loudly, so the
/// generator cannot start emitting a keyword this check would silently ignore.
struct JSONSchemaValidator {
    let root: SpecValue

    /// The problems of `value` (empty when it is valid), each with its JSON path.
    func errors(_ value: SpecValue) -> [String] {
        errors(value, against: root, at: "$")
    }

    private static let annotations: Set = ["$schema", "$id", "title", "description", "definitions"]

    private func errors(_ value: SpecValue, against schema: SpecValue, at path: String) -> [String] {
        guard let schema = schema.mapValue else { return ["\(path): the schema is not an object"] }
        var errors: [String] = []
        for (keyword, argument) in schema {
            switch keyword {
            case _ where Self.annotations.contains(keyword), "then": continue
            case "$ref":
                guard let reference = argument.stringValue, reference.hasPrefix("#/definitions/"),
                    let target = root.mapValue?["definitions"]?.mapValue?[String(reference.dropFirst(14))]
                else { return ["\(path): unresolvable $ref \(argument)"] }
                errors += self.errors(value, against: target, at: path)
            case "type":
                let types = argument.listValue?.compactMap(\.stringValue) ?? [argument.stringValue ?? ""]
                if !types.contains(where: { Self.has(value, type: $0) }) {
                    errors.append("\(path): expected \(types.joined(separator: " or ")), found \(value)")
                }
            case "enum":
                if !(argument.listValue ?? []).contains(where: { Self.equal($0, value) }) {
                    errors.append("\(path): \(value) is not one of \(argument)")
                }
            case "const":
                if !Self.equal(argument, value) { errors.append("\(path): \(value) is not \(argument)") }
            case "pattern":
                if case .string(let text) = value, let pattern = argument.stringValue,
                    text.range(of: pattern, options: .regularExpression) == nil
                {
                    errors.append("\(path): '\(text)' does not match \(pattern)")
                }
            case "minimum", "maximum":
                guard let number = Self.number(value), let bound = Self.number(argument) else { continue }
                if keyword == "minimum" ? number < bound : number > bound {
                    errors.append("\(path): \(number) is out of bounds (\(keyword) \(bound))")
                }
            case "properties", "additionalProperties", "required", "propertyNames":
                errors += objectErrors(value, keyword, argument, schema, at: path)
            case "items":
                for (index, item) in (value.listValue ?? []).enumerated() {
                    errors += self.errors(item, against: argument, at: "\(path)[\(index)]")
                }
            case "anyOf":
                let branches = argument.listValue ?? []
                if !branches.contains(where: { self.errors(value, against: $0, at: path).isEmpty }) {
                    errors.append(
                        "\(path): matches none of anyOf: \(branches.map { self.errors(value, against: $0, at: path) })")
                }
            case "allOf":
                for branch in argument.listValue ?? [] { errors += self.errors(value, against: branch, at: path) }
            case "if":
                if self.errors(value, against: argument, at: path).isEmpty, let then = schema["then"] {
                    errors += self.errors(value, against: then, at: path)
                }
            default:
                errors.append("\(path): the validator does not know the keyword '\(keyword)'")
            }
        }
        return errors
    }

    private func objectErrors(
        _ value: SpecValue, _ keyword: String, _ argument: SpecValue, _ schema: [String: SpecValue], at path: String
    ) -> [String] {
        guard let object = value.mapValue else { return [] }
        let properties = schema["properties"]?.mapValue ?? [:]
        switch keyword {
        case "properties":
            return object.keys.sorted().flatMap { key in
                properties[key].map { errors(object[key] ?? .null, against: $0, at: "\(path).\(key)") } ?? []
            }
        case "required":
            return (argument.listValue ?? []).compactMap(\.stringValue).filter { object[$0] == nil }.map {
                "\(path): missing required property '\($0)'"
            }
        case "propertyNames":
            return object.keys.sorted().flatMap { errors(.string($0), against: argument, at: "\(path) (key \($0))") }
        default:
            let extra = object.keys.filter { properties[$0] == nil }.sorted()
            if argument == .bool(false) { return extra.map { "\(path): unknown property '\($0)'" } }
            if argument.mapValue != nil {
                return extra.flatMap { errors(object[$0] ?? .null, against: argument, at: "\(path).\($0)") }
            }
            return []
        }
    }

    private static func has(_ value: SpecValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double),
            ("array", .list), ("object", .map), ("null", .null):
            true
        case ("integer", .double(let number)): number == number.rounded()
        default: false
        }
    }

    private static func number(_ value: SpecValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    private static func equal(_ lhs: SpecValue, _ rhs: SpecValue) -> Bool {
        if let left = number(lhs), let right = number(rhs) { return left == right }
        return lhs == rhs
    }
}
