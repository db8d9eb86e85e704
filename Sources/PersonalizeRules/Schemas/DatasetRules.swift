import EngineAPI

/// The guide's required and reserved fields per dataset type, and the checks a schema must pass.
package enum DatasetType: String, Sendable, CaseIterable {
    case interactions = "INTERACTIONS"
    case items = "ITEMS"
    case users = "USERS"
    case actions = "ACTIONS"
    case actionInteractions = "ACTION_INTERACTIONS"

    /// The Avro record name the guide expects for this dataset type.
    package var recordName: String {
        switch self {
        case .interactions: "Interactions"
        case .items: "Items"
        case .users: "Users"
        case .actions: "Actions"
        case .actionInteractions: "ActionInteractions"
        }
    }

    /// The identifier column that makes a record unique (nil: interactions are appended).
    package var keyField: String? {
        switch self {
        case .items: "ITEM_ID"
        case .users: "USER_ID"
        case .actions: "ACTION_ID"
        case .interactions, .actionInteractions: nil
        }
    }

    package var required: [(String, SchemaFieldType)] {
        switch self {
        case .interactions: [("USER_ID", .string), ("ITEM_ID", .string), ("TIMESTAMP", .long)]
        case .items: [("ITEM_ID", .string)]
        case .users: [("USER_ID", .string)]
        case .actions: [("ACTION_ID", .string)]
        case .actionInteractions:
            [("USER_ID", .string), ("ACTION_ID", .string), ("EVENT_TYPE", .string), ("TIMESTAMP", .long)]
        }
    }

    /// Reserved optional fields and the type each must have when present.
    package var reserved: [String: SchemaFieldType] {
        switch self {
        case .interactions:
            [
                "EVENT_TYPE": .string, "EVENT_VALUE": .float, "IMPRESSION": .string, "RECOMMENDATION_ID": .string,
                "EVENT_ATTRIBUTION_SOURCE": .string,
            ]
        case .items: ["CREATION_TIMESTAMP": .long]
        case .users: [:]
        case .actions:
            [
                "CREATION_TIMESTAMP": .long, "VALUE": .long, "TYPE": .string, "EXPIRATION_TIMESTAMP": .long,
                "ACTION_EXPIRATION_TIMESTAMP": .long, "REPEAT_FREQUENCY": .long,
            ]
        case .actionInteractions: ["IMPRESSION": .string, "RECOMMENDATION_ID": .string]
        }
    }

    /// Most metadata fields the type allows (nil: no stated maximum).
    package var maximumMetadataFields: Int? {
        switch self {
        case .users: 25
        case .items: 100
        case .actions: 10
        case .interactions: 5
        case .actionInteractions: nil
        }
    }

    /// Checks `schema` against this type's required and reserved fields and limits.
    ///
    /// - Throws: `InvalidInputException` naming the offending field.
    package func validate(_ schema: AvroSchema) throws {
        guard schema.recordName == recordName else {
            throw PersonalizeError.invalidInput(
                "The schema's record name is \(schema.recordName), but a \(rawValue) dataset needs a schema "
                    + "named \(recordName).")
        }
        for (name, type) in required {
            guard let field = schema.field(name) else {
                throw PersonalizeError.invalidInput(
                    "The schema is missing the required field \(name) (\(type.rawValue)) for a \(rawValue) dataset.")
            }
            guard field.type == type, !field.nullable else {
                throw PersonalizeError.invalidInput(
                    "Field \(name) must be of type \(type.rawValue) and not nullable in a \(rawValue) dataset.")
            }
        }
        for field in schema.fields {
            try checkReserved(field)
        }
        if schema.field("EVENT_TYPE")?.categorical == true {
            throw PersonalizeError.invalidInput("Reserved field EVENT_TYPE cannot be categorical.")
        }
        if self == .actions, schema.field("EXPIRATION_TIMESTAMP") != nil,
            schema.field("ACTION_EXPIRATION_TIMESTAMP") != nil
        {
            throw PersonalizeError.invalidInput(
                "An ACTIONS schema can have EXPIRATION_TIMESTAMP or ACTION_EXPIRATION_TIMESTAMP (the guide uses both "
                    + "names for the action expiration timestamp), not both.")
        }
        let metadata = schema.fields.filter { isMetadata($0.name) }
        if keyField != nil, metadata.isEmpty {
            throw PersonalizeError.invalidInput(
                "\(rawValue.hasPrefix("A") || rawValue.hasPrefix("I") ? "An" : "A") \(rawValue) schema needs at least "
                    + "one metadata field besides \(keyField ?? "").")
        }
        if let maximum = maximumMetadataFields, metadata.count > maximum {
            throw PersonalizeError.invalidInput(
                "A \(rawValue) schema can have at most \(maximum) metadata fields; this one has \(metadata.count).")
        }
        if let textual = schema.fields.first(where: \.textual), self != .items {
            throw PersonalizeError.invalidInput(
                "Field \(textual.name): textual fields are allowed only in an Items schema.")
        }
        if schema.fields.filter(\.textual).count > 1 {
            throw PersonalizeError.invalidInput("An Items schema can have only one textual field.")
        }
    }

    private func checkReserved(_ field: SchemaField) throws {
        guard let type = reserved[field.name] else { return }
        let compatible =
            field.type == type || (type == .float && field.type == .double)
            || (type == .long && field.type == .int)
        guard compatible else {
            throw PersonalizeError.invalidInput(
                "Reserved field \(field.name) must be of type \(type.rawValue), not \(field.type.rawValue).")
        }
    }

    package func isMetadata(_ name: String) -> Bool {
        !required.contains { $0.0 == name } && reserved[name] == nil
    }
}
