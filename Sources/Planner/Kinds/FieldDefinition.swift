/// How the engine applies a change to a field.
package enum UpdateRule: String, Hashable, Sendable, Codable {
    /// An Update* operation changes the field in place.
    case inPlace
    /// The field is immutable: changing it deletes the resource and creates it again.
    case replace
}

/// The type a manifest field must have. The validator checks it; JSON Schemas can be generated from it.
indirect enum FieldType: Sendable {
    /// Any non-null scalar, taken as written (`eventValueThreshold: 0.5` is the string `"0.5"`).
    case string
    /// A Personalize resource name: letters, digits, `-` and `_`, starting with a letter or digit, 1–63 long.
    case name
    /// An integer, optionally within bounds.
    case integer(ClosedRange<Int>?)
    /// `true` or `false`.
    case boolean
    /// A number, integer or not.
    case number
    /// One of a fixed set of strings.
    case oneOf([String])
    /// The name of another resource of the given kind.
    case reference(ResourceKind)
    /// A mapping from strings to scalars (hyperparameters, tags), normalised to strings.
    case stringMap
    /// A list of values of one type.
    case list(FieldType)
    /// A nested mapping with its own fields.
    case object([FieldDefinition])
    /// A scalar taken as a string (the short form), or a nested mapping with its own fields (the long form): a
    /// job's `output: out/` or `output: {path: s3://bucket/out/, download: out/}`.
    case stringOrObject([FieldDefinition])
    /// A mapping from names of the user's choosing to values of one type (a project's variables).
    case mapOf(FieldType)
    /// Anything; checked elsewhere (the `spec` of a document whose kind is unknown).
    case any

    /// How messages name the type: "a string", "an integer", ...
    var expectation: String {
        switch self {
        case .string, .name, .oneOf, .reference: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean (true or false)"
        case .stringMap, .object, .mapOf: "a mapping"
        case .stringOrObject: "a string or a mapping"
        case .list: "a list"
        case .any: "a value"
        }
    }
}

/// One field of a manifest kind: its name, type, whether it is required and how changes to it are applied.
struct FieldDefinition: Sendable {
    let name: String
    let type: FieldType
    let isRequired: Bool
    let update: UpdateRule
    /// One line for documentation and JSON Schemas.
    let summary: String

    init(_ name: String, _ type: FieldType, required: Bool = false, update: UpdateRule = .replace, _ summary: String) {
        self.name = name
        self.type = type
        self.isRequired = required
        self.update = update
        self.summary = summary
    }
}

extension FieldDefinition {
    /// `itemExplorationConfig` of campaigns and recommenders, updated in place.
    static let itemExplorationConfig = FieldDefinition(
        "itemExplorationConfig", .stringMap, update: .inPlace,
        "explorationWeight (0 to 1) and explorationItemAgeCutOff (days)")

    /// `enableMetadataWithRecommendations` of campaigns and recommenders, updated in place.
    static let enableMetadataWithRecommendations = FieldDefinition(
        "enableMetadataWithRecommendations", .boolean, update: .inPlace,
        "Allow item metadata in recommendations (metadataColumns)")
}

/// Everything the manifest language knows about one kind: its `spec` fields and how to build its spec.
struct KindDefinition: Sendable {
    /// The kind described.
    let kind: ResourceKind
    /// The fields of `spec`.
    let fields: [FieldDefinition]
    /// Whether `metadata.tags` is allowed (the engine's Create operation takes tags).
    let supportsTags: Bool
    /// Builds the typed spec from a `spec` mapping that passed the field checks, reporting semantic problems.
    let parse: @Sendable (_ spec: MappingView, _ context: inout ParseContext) -> ResourceSpec?

    /// The update rule of a top-level field (tags are updated in place; unknown fields replace).
    func updateRule(of field: String) -> UpdateRule {
        if field == "tags" { return .inPlace }
        return fields.first { $0.name == field }?.update ?? .replace
    }
}
