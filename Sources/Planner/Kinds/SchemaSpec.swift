import Foundation
import PersonalizeRules

/// `kind: Schema`: the Avro schema of a dataset's records, written as YAML fields or as raw Avro JSON.
///
/// ```yaml
/// kind: Schema
/// metadata: {name: items}
/// spec:
///   datasetType: ITEMS      # optional when a dataset that uses the schema says its type
///   fields:
///     - {name: ITEM_ID, type: string}
///     - {name: GENRES, type: string, nullable: true, categorical: true}
/// ```
package struct SchemaSpec: KindSpec {
    /// How the manifest writes the schema.
    package enum Definition: Hashable, Sendable, Codable {
        /// Friendly YAML fields, compiled to Avro.
        case fields([SchemaField])
        /// Raw Avro JSON, passed through.
        case avro(String)
    }

    /// The schema as written.
    package var definition: Definition
    /// The dataset type the schema is for (names the Avro record); inferred from the datasets using it when
    /// the manifest leaves it out.
    package var datasetType: String?
    /// `ECOMMERCE` or `VIDEO_ON_DEMAND` for a domain schema.
    package var domain: String?

    /// The Avro JSON the engine takes.
    package var avroJSON: String {
        switch definition {
        case .avro(let json): json
        case .fields(let fields): AvroSchema.compile(fields, datasetType: datasetType ?? "INTERACTIONS").canonicalJSON
        }
    }

    static let fieldTypes = ["string", "int", "long", "float", "double", "boolean"]

    static let definition = KindDefinition(
        kind: .schema,
        fields: [
            FieldDefinition(
                "datasetType", .oneOf(DatasetType.allCases.map(\.rawValue)), "Dataset type the schema is for"),
            FieldDefinition(
                "fields",
                .list(
                    .object([
                        FieldDefinition("name", .string, required: true, "Column name, as in the CSV header"),
                        FieldDefinition("type", .oneOf(fieldTypes), required: true, "Avro type"),
                        FieldDefinition("nullable", .boolean, "Whether the column may be empty"),
                        FieldDefinition("categorical", .boolean, "Whether the values are categories ('|'-separated)"),
                        FieldDefinition("textual", .boolean, "Whether the value is unstructured text"),
                    ])), "Fields, compiled to an Avro record"),
            FieldDefinition("avro", .string, "Raw Avro schema JSON, instead of fields"),
            FieldDefinition("domain", .oneOf(["ECOMMERCE", "VIDEO_ON_DEMAND"]), "Domain of a domain schema"),
        ],
        supportsTags: false,
        parse: parse
    )

    private static func parse(_ spec: MappingView, _ context: inout ParseContext) -> ResourceSpec? {
        let datasetType = spec.string("datasetType")
        let domain = spec.string("domain")
        // The schema as a resource, or nil with the engine's refusal reported where the schema is declared.
        func checked(_ schema: SchemaSpec) -> ResourceSpec? {
            if let problem = schema.engineProblem {
                let key = spec.value("avro") == nil ? "fields" : "avro"
                context.report(spec.location(key), "'\(spec.path)' is not a schema the engine accepts: \(problem)")
                return nil
            }
            return .schema(schema)
        }
        switch (spec.list("fields"), spec.string("avro")) {
        case (let items?, nil):
            guard let fields = SchemaField.parse(items, path: "\(spec.path).fields", context: &context) else {
                return nil
            }
            return checked(SchemaSpec(definition: .fields(fields), datasetType: datasetType, domain: domain))
        case (nil, let json?):
            guard AvroSchema.normalise(json) != nil else {
                context.report(spec.location("avro"), "'\(spec.path).avro' is not valid JSON")
                return nil
            }
            return checked(SchemaSpec(definition: .avro(json), datasetType: datasetType, domain: domain))
        case (_?, _?):
            context.report(spec.location("avro"), "'\(spec.path)' sets both 'fields' and 'avro'; keep one")
            return nil
        case (nil, nil):
            if spec.value("fields") == nil, spec.value("avro") == nil {
                context.report(spec.node.location, "'\(spec.path)' needs 'fields' (or a raw 'avro' schema)")
            }
            return nil
        }
    }

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = [:]
        fields["schema"] = AvroSchema.normalise(avroJSON)
        fields["domain"] = domain.map(SpecValue.string)
        return fields
    }
}

/// One field of a friendly schema.
package struct SchemaField: Hashable, Sendable, Codable {
    /// The column name, as in the CSV header (`USER_ID`).
    package var name: String
    /// An Avro primitive type: string, int, long, float, double or boolean.
    package var type: String
    /// Whether the column may be empty (compiled to `["null", type]`).
    package var nullable: Bool
    /// Whether the values are categories, several separated by `|`.
    package var categorical: Bool
    /// Whether the value is unstructured text (item descriptions).
    package var textual: Bool

    static func parse(_ items: [YAMLNode], path: String, context: inout ParseContext) -> [SchemaField]? {
        var fields: [SchemaField] = []
        var seen: [String: SourceLocation] = [:]
        for (index, item) in items.enumerated() {
            let view = MappingView(node: item, path: "\(path)[\(index)]")
            guard let name = view.string("name"), let type = view.string("type"),
                SchemaSpec.fieldTypes.contains(type)
            else { continue }
            if let first = seen[name] {
                context.report(view.location("name"), "duplicate schema field '\(name)'; first declared at \(first)")
            }
            seen[name] = view.location("name")
            fields.append(
                SchemaField(
                    name: name, type: type, nullable: view.bool("nullable") ?? false,
                    categorical: view.bool("categorical") ?? false, textual: view.bool("textual") ?? false))
        }
        return fields.count == items.count ? fields : nil
    }
}

/// Compiles friendly schemas to Avro and normalises Avro for structural comparison.
enum AvroSchema {
    static let namespace = "com.amazonaws.personalize.schema"

    /// The Avro record for the fields: `{"type": "record", "name": "Interactions", "fields": [...]}`.
    static func compile(_ fields: [SchemaField], datasetType: String) -> SpecValue {
        let record = PersonalizeRules.DatasetType(rawValue: datasetType)?.recordName ?? "Interactions"
        let avroFields: [SpecValue] = fields.map { field in
            var entry: [String: SpecValue] = ["name": .string(field.name)]
            entry["type"] = field.nullable ? .list([.string("null"), .string(field.type)]) : .string(field.type)
            if field.categorical { entry["categorical"] = .bool(true) }
            if field.textual { entry["textual"] = .bool(true) }
            return .map(entry)
        }
        return .map([
            "type": .string("record"), "name": .string(record), "namespace": .string(namespace),
            "fields": .list(avroFields), "version": .string("1.0"),
        ])
    }

    /// The schema as a value whose `fields` is a map keyed by field name (order does not matter to Personalize,
    /// which matches CSV columns by header) and without `version`; nil when the JSON does not parse.
    static func normalise(_ json: String) -> SpecValue? {
        guard let value = try? JSONDecoder().decode(SpecValue.self, from: Data(json.utf8)),
            case .map(var record) = value
        else { return nil }
        record["version"] = nil
        if case .list(let fields)? = record["fields"] {
            var byName: [String: SpecValue] = [:]
            for case .map(var field) in fields {
                guard let name = field.removeValue(forKey: "name")?.stringValue else { continue }
                byName[name] = .map(field)
            }
            record["fields"] = .map(byName)
        }
        return .map(record)
    }
}
