import EngineAPI
import PersonalizeRules
import Testing

@testable import Engine

@Suite struct SchemaValidationTests {
    static func schema(_ fields: String, name: String = "Interactions") -> String {
        #"{"type": "record", "name": "\#(name)", "namespace": "com.amazonaws.personalize.schema", "fields": [\#(fields)]}"#
    }

    @Test func parsesNullableUnionsInEitherOrder() throws {
        let schema = try AvroSchema(
            json: Self.schema(
                #"""
                {"name": "USER_ID", "type": "string"}, {"name": "EVENT_VALUE", "type": ["float", "null"]},
                {"name": "GENDER", "type": ["null", "string"], "categorical": true}, {"name": "X", "type": ["long"]}
                """#))
        #expect(schema.fields.map(\.nullable) == [false, true, true, false])
        #expect(schema.field("GENDER")?.categorical == true)
        #expect(schema.field("X")?.type == .long)
    }

    @Test(arguments: [
        (#"{"name": "TAGS", "type": {"type": "array", "items": "string"}}"#, "nested types, arrays and maps"),
        (#"{"name": "X", "type": "bytes"}"#, "unsupported type 'bytes'"),
        (#"{"name": "GENRES_FIELD_1", "type": "string"}, {"name": "GENRESFIELD1", "type": "string"}"#, "clash"),
        (#"{"name": "N", "type": "int", "categorical": true}"#, "only string fields can be categorical"),
        (#"{"name": "A", "type": ["null", "string", "int"]}"#, "one primitive type"),
    ])
    func rejectsMalformedFields(fields: String, message: String) {
        #expect {
            try AvroSchema(json: Self.schema(fields))
        } throws: { error in
            let error = error as? PersonalizeError
            return error?.code == .invalidInputException && error?.message.contains(message) == true
        }
    }

    @Test func rejectsInvalidJSON() {
        #expect(throws: PersonalizeError.self) { try AvroSchema(json: "{not json") }
    }

    @Test(arguments: [
        (
            DatasetType.interactions, #"{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}"#,
            "missing the required field TIMESTAMP"
        ),
        (
            DatasetType.interactions,
            #"{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "string"}"#,
            "Field TIMESTAMP must be of type long"
        ),
        (
            DatasetType.interactions,
            #"{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string", "categorical": true}"#,
            "EVENT_TYPE cannot be categorical"
        ),
        (
            DatasetType.interactions,
            #"{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_VALUE", "type": "string"}"#,
            "Reserved field EVENT_VALUE must be of type float"
        ),
    ])
    func interactionsRulesNameTheField(type: DatasetType, fields: String, message: String) throws {
        let schema = try AvroSchema(json: Self.schema(fields))
        #expect {
            try type.validate(schema)
        } throws: { error in
            (error as? PersonalizeError)?.message.contains(message) == true
        }
    }

    @Test func usersNeedAMetadataFieldAndNoTextualFields() throws {
        let onlyID = try AvroSchema(json: Self.schema(#"{"name": "USER_ID", "type": "string"}"#, name: "Users"))
        #expect(
            throws: PersonalizeError.invalidInput(
                "A USERS schema needs at least one metadata field besides USER_ID.")
        ) { try DatasetType.users.validate(onlyID) }
        let textual = try AvroSchema(
            json: Self.schema(
                #"""
                {"name": "USER_ID", "type": "string"}, {"name": "BIO", "type": "string", "textual": true}
                """#, name: "Users"))
        #expect(
            throws: PersonalizeError.invalidInput(
                "Field BIO: textual fields are allowed only in an Items schema.")
        ) { try DatasetType.users.validate(textual) }
    }

    @Test func recordNameMustMatchTheDatasetType() throws {
        let items = try AvroSchema(
            json: Self.schema(
                #"""
                {"name": "ITEM_ID", "type": "string"}, {"name": "GENRES", "type": "string", "categorical": true}
                """#, name: "Items"))
        try DatasetType.items.validate(items)
        #expect(throws: PersonalizeError.self) { try DatasetType.users.validate(items) }
    }
}
