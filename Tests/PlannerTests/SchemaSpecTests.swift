import Foundation
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct SchemaSpecTests {
    private func loadSchemas(_ yaml: String) throws -> ManifestSet {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("schemas.yaml", yaml)
        return try ManifestLoader.load(directory: directory.url)
    }

    private func schema(_ name: String, in manifests: ManifestSet) throws -> SchemaSpec {
        guard case .schema(let spec)? = manifests[ResourceAddress(.schema, name)]?.spec else {
            throw CocoaError(.coderValueNotFound)
        }
        return spec
    }

    @Test func compilesFriendlyFieldsToAvroJSON() throws {
        let manifests = try loadSchemas(
            """
            apiVersion: tailor/v1
            kind: Schema
            metadata: {name: items}
            spec:
              datasetType: ITEMS
              fields:
                - {name: ITEM_ID, type: string}
                - {name: GENRES, type: string, nullable: true, categorical: true}
                - {name: DESCRIPTION, type: string, textual: true}
                - {name: PRICE, type: float}
            """)

        let avro = try schema("items", in: manifests).avroJSON

        #expect(
            avro == #"{"fields":[{"name":"ITEM_ID","type":"string"},"#
                + #"{"categorical":true,"name":"GENRES","type":["null","string"]},"#
                + #"{"name":"DESCRIPTION","textual":true,"type":"string"},{"name":"PRICE","type":"float"}],"#
                + #""name":"Items","namespace":"com.amazonaws.personalize.schema","type":"record","version":"1.0"}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(avro.utf8)) as? [String: Any]
        #expect(parsed?["name"] as? String == "Items")
    }

    @Test func normalisesRawAvroAndFriendlyFieldsToTheSameValue() throws {
        let manifests = try loadSchemas(
            #"""
            apiVersion: tailor/v1
            kind: Schema
            metadata: {name: friendly}
            spec:
              datasetType: USERS
              fields:
                - {name: USER_ID, type: string}
                - {name: AGE, type: int, nullable: true}
            ---
            apiVersion: tailor/v1
            kind: Schema
            metadata: {name: raw}
            spec:
              avro: |
                {"type": "record", "name": "Users", "namespace": "com.amazonaws.personalize.schema",
                 "fields": [{"name": "AGE", "type": ["null", "int"]}, {"name": "USER_ID", "type": "string"}]}
            """#)

        let friendly = try schema("friendly", in: manifests).fields["schema"]
        let raw = try schema("raw", in: manifests).fields["schema"]

        #expect(friendly != nil)
        #expect(friendly == raw)
    }

    @Test func rejectsInvalidRawAvroAndBothForms() throws {
        let error = #expect(throws: DiagnosticsError.self) {
            try loadSchemas(
                """
                apiVersion: tailor/v1
                kind: Schema
                metadata: {name: a}
                spec: {datasetType: USERS, avro: "{not json"}
                ---
                apiVersion: tailor/v1
                kind: Schema
                metadata: {name: b}
                spec: {datasetType: USERS, avro: "{}", fields: [{name: USER_ID, type: string}]}
                ---
                apiVersion: tailor/v1
                kind: Schema
                metadata: {name: c}
                spec: {datasetType: USERS}
                """)
        }
        let messages = try #require(error).diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        #expect(
            messages == [
                "4:34: 'spec.avro' is not valid JSON",
                "9:34: 'spec' sets both 'fields' and 'avro'; keep one",
                "14:7: 'spec' needs 'fields' (or a raw 'avro' schema)",
            ])
    }
}
