import EngineAPI
import Foundation

/// The primitive Avro types Personalize schemas may use.
package enum SchemaFieldType: String, Sendable, Hashable, Codable {
    case string, int, long, float, double, boolean

    package var isNumeric: Bool { self == .int || self == .long || self == .float || self == .double }
}

/// One field of a flat Personalize schema.
package struct SchemaField: Sendable, Hashable, Codable {
    package var name: String
    package var type: SchemaFieldType
    package var nullable: Bool
    package var categorical: Bool
    package var textual: Bool
}

/// A parsed Personalize schema: a flat Avro record of primitive (optionally nullable) fields.
package struct AvroSchema: Sendable, Hashable, Codable {
    package var recordName: String
    package var namespace: String?
    package var fields: [SchemaField]

    package func field(_ name: String) -> SchemaField? { fields.first { $0.name == name } }

    /// Parses the Avro JSON of `CreateSchema`.
    ///
    /// - Throws: `InvalidInputException` naming what is wrong.
    package init(json: String) throws {
        guard let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data),
            let record = object as? [String: Any]
        else {
            throw PersonalizeError.invalidInput("The schema is not valid JSON: expected an Avro record object.")
        }
        guard record["type"] as? String == "record" else {
            throw PersonalizeError.invalidInput("The schema's \"type\" must be \"record\".")
        }
        guard let name = record["name"] as? String, !name.isEmpty else {
            throw PersonalizeError.invalidInput("The schema must have a \"name\" (e.g. \"Interactions\").")
        }
        guard let rawFields = record["fields"] as? [Any], !rawFields.isEmpty else {
            throw PersonalizeError.invalidInput("The schema must have a non-empty \"fields\" array.")
        }
        recordName = name
        namespace = record["namespace"] as? String
        fields = try rawFields.enumerated().map { index, raw in try Self.parseField(raw, index: index) }
        try checkUniqueNames()
    }

    private static func parseField(_ raw: Any, index: Int) throws -> SchemaField {
        guard let object = raw as? [String: Any], let name = object["name"] as? String, !name.isEmpty else {
            throw PersonalizeError.invalidInput("Schema field #\(index + 1) must be an object with a \"name\".")
        }
        guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
            throw PersonalizeError.invalidInput(
                "Invalid field name '\(name)': use letters, digits and underscores, starting with a letter.")
        }
        let (type, nullable) = try parseType(object["type"], field: name)
        let categorical = object["categorical"] as? Bool ?? false
        let textual = object["textual"] as? Bool ?? false
        if (categorical || textual) && type != .string {
            throw PersonalizeError.invalidInput(
                "Field \(name): only string fields can be categorical or textual; it has type \(type.rawValue).")
        }
        if categorical && textual {
            throw PersonalizeError.invalidInput("Field \(name) cannot be both categorical and textual.")
        }
        return SchemaField(name: name, type: type, nullable: nullable, categorical: categorical, textual: textual)
    }

    private static func parseType(_ raw: Any?, field: String) throws -> (SchemaFieldType, Bool) {
        if let name = raw as? String {
            return (try primitive(name, field: field), false)
        }
        if let union = raw as? [Any] {
            let names = union.compactMap { $0 as? String }
            let nonNull = names.filter { $0 != "null" }
            guard names.count == union.count, nonNull.count == 1, names.count <= 2 else {
                throw PersonalizeError.invalidInput(
                    "Field \(field): a union type must be one primitive type, optionally with \"null\".")
            }
            return (try primitive(nonNull[0], field: field), names.contains("null"))
        }
        throw PersonalizeError.invalidInput(
            "Field \(field): nested types, arrays and maps are not supported; use a primitive type.")
    }

    private static func primitive(_ name: String, field: String) throws -> SchemaFieldType {
        guard let type = SchemaFieldType(rawValue: name) else {
            throw PersonalizeError.invalidInput(
                "Field \(field) has unsupported type '\(name)'; use string, int, long, float, double or boolean.")
        }
        return type
    }

    private func checkUniqueNames() throws {
        var seen: [String: String] = [:]
        for field in fields {
            let key = String(field.name.uppercased().filter { $0.isLetter || $0.isNumber })
            if let other = seen[key] {
                throw PersonalizeError.invalidInput(
                    "Field names \(other) and \(field.name) clash: names must stay unique after removing "
                        + "non-alphanumeric characters.")
            }
            seen[key] = field.name
        }
    }
}
