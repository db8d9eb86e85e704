package import EngineAPI

/// What `CreateSchema` checks before it stores a schema: the engine runs it on the request, the planner on a
/// Schema manifest, so `tailor validate` reports the engine's own message before anything is created.
package enum SchemaRules {
    /// Parses `json` and checks what CreateSchema checks: a flat Avro record whose name is a dataset type's and,
    /// for a domain schema, the domain's required and reserved fields and the dataset type's rules.
    ///
    /// - Returns: The parsed schema and the dataset type its record name tells.
    /// - Throws: `InvalidInputException` with the service's message.
    package static func checkCreateSchema(json: String, domain: Domain?) throws -> (AvroSchema, DatasetType) {
        let schema = try AvroSchema(json: json)
        guard let type = DatasetType.allCases.first(where: { $0.recordName == schema.recordName }) else {
            throw PersonalizeError.invalidInput(
                "The schema's record name \(schema.recordName) is not a dataset type; use "
                    + DatasetType.allCases.map(\.recordName).joined(separator: ", ") + ".")
        }
        if let domain {
            // A domain schema's record name tells its dataset type, so the domain's rules are checked now.
            try DomainSchemaRules(domain).validate(schema, type: type)
            try type.validate(schema)
        }
        return (schema, type)
    }
}
