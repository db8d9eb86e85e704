package import EngineAPI

/// What the schemas of a domain dataset group need on top of the custom rules (the guide's part 1 §8.3–8.5):
/// required fields with their types and attributes, and reserved keywords that, when present, must have theirs.
/// Any other field is free, as the guide says.
package struct DomainSchemaRules: Sendable {
    /// A field the domain names: its type, and whether a string must be categorical or textual.
    package struct Field: Sendable {
        package enum Kind: Sendable {
            case string, categorical, textual, float, long
        }

        package var name: String
        package var kind: Kind

        init(_ name: String, _ kind: Kind) {
            self.name = name
            self.kind = kind
        }

        /// How the guide writes the requirement.
        var requirement: String {
            switch kind {
            case .string: "a string that is not categorical"
            case .categorical: "a categorical string (\"categorical\": true)"
            case .textual: "a textual string (\"textual\": true)"
            case .float: "a float"
            case .long: "a long"
            }
        }
    }

    package let domain: Domain
    let required: [DatasetType: [Field]]
    let reserved: [DatasetType: [Field]]

    /// The rules of `domain`.
    ///
    /// - Throws: `InvalidInputException` for a domain the service does not have.
    package init(_ domain: Domain) throws {
        let interactions = [Field("EVENT_TYPE", .string)]
        switch domain {
        case .videoOnDemand:
            required = [
                .interactions: interactions,
                .items: [Field("GENRES", .categorical), Field("CREATION_TIMESTAMP", .long)],
            ]
            reserved = [
                .users: [Field("SUBSCRIPTION_MODEL", .categorical)],
                .items: [
                    Field("PRICE", .float), Field("DURATION", .float), Field("GENRE_L2", .categorical),
                    Field("GENRE_L3", .categorical), Field("AVERAGE_RATING", .float),
                    Field("PRODUCT_DESCRIPTION", .textual), Field("CONTENT_OWNER", .categorical),
                    Field("CONTENT_CLASSIFICATION", .categorical),
                ],
            ]
        case .ecommerce:
            required = [
                .interactions: interactions,
                .items: [Field("PRICE", .float), Field("CATEGORY_L1", .categorical)],
            ]
            reserved = [
                .items: [
                    Field("CATEGORY_L2", .categorical), Field("CATEGORY_L3", .categorical),
                    Field("PRODUCT_DESCRIPTION", .textual), Field("CREATION_TIMESTAMP", .long),
                    Field("AGE_GROUP", .categorical), Field("ADULT", .categorical), Field("GENDER", .categorical),
                ]
            ]
        default:
            throw PersonalizeError.invalidInput(
                "Invalid domain \(domain.rawValue); use one of "
                    + Domain.allKnown.map(\.rawValue).joined(separator: ", ") + ".")
        }
        self.domain = domain
    }

    /// Checks a schema of `type` for this domain.
    ///
    /// - Throws: `InvalidInputException` naming the field and what the domain needs of it.
    package func validate(_ schema: AvroSchema, type: DatasetType) throws {
        guard type != .actions, type != .actionInteractions else {
            throw PersonalizeError.invalidInput(
                "\(domain.rawValue) is a domain: domain dataset groups have no \(type.rawValue) datasets, so there "
                    + "is no \(domain.rawValue) \(type.rawValue) schema. Create the schema without a domain.")
        }
        for field in required[type] ?? [] {
            guard let found = schema.field(field.name) else {
                throw PersonalizeError.invalidInput(
                    "A \(domain.rawValue) \(type.rawValue) schema needs the field \(field.name), "
                        + "\(field.requirement).")
            }
            guard !found.nullable else {
                throw PersonalizeError.invalidInput(
                    "Field \(field.name) is required in a \(domain.rawValue) \(type.rawValue) schema and cannot be "
                        + "nullable.")
            }
            try check(found, against: field, type: type, reserved: false)
        }
        for field in reserved[type] ?? [] {
            guard let found = schema.field(field.name) else { continue }
            try check(found, against: field, type: type, reserved: true)
        }
    }

    private func check(_ found: SchemaField, against field: Field, type: DatasetType, reserved: Bool) throws {
        let matches: Bool
        switch field.kind {
        case .string: matches = found.type == .string && !found.categorical && !found.textual
        case .categorical: matches = found.type == .string && found.categorical
        case .textual: matches = found.type == .string && found.textual
        case .float: matches = found.type == .float || found.type == .double
        case .long: matches = found.type == .long || found.type == .int
        }
        guard matches else {
            throw PersonalizeError.invalidInput(
                "\(reserved ? "Reserved field" : "Field") \(found.name) of a \(domain.rawValue) \(type.rawValue) "
                    + "schema must be \(field.requirement).")
        }
    }
}
