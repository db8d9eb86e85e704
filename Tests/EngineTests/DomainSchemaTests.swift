import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// The guide's domain schemas (part 1 §8.3–8.5): required fields and reserved keywords of VIDEO_ON_DEMAND and
/// ECOMMERCE, checked at CreateSchema with a domain and at CreateDataset in a domain dataset group.
@Suite struct DomainSchemaTests {
    private static func schema(_ record: String, _ fields: String) -> String {
        #"{"type": "record", "name": "\#(record)", "namespace": "com.amazonaws.personalize.schema", "fields": [\#(fields)], "version": "1.0"}"#
    }

    /// The guide's default domain schemas, verbatim.
    static let defaults: [(domain: String, record: String, fields: String)] = [
        (
            "VIDEO_ON_DEMAND", "Interactions",
            #"{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "EVENT_TYPE", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}"#
        ),
        (
            "VIDEO_ON_DEMAND", "Users",
            #"{"name": "USER_ID", "type": "string"}, {"name": "SUBSCRIPTION_MODEL", "type": "string", "categorical": true}"#
        ),
        (
            "VIDEO_ON_DEMAND", "Items",
            #"{"name": "ITEM_ID", "type": "string"}, {"name": "GENRES", "type": ["string"], "categorical": true}, {"name": "CREATION_TIMESTAMP", "type": "long"}"#
        ),
        (
            "ECOMMERCE", "Interactions",
            #"{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "EVENT_TYPE", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}"#
        ),
        (
            "ECOMMERCE", "Users",
            #"{"name": "USER_ID", "type": "string"}, {"name": "MEMBERSHIP_STATUS", "type": "string", "categorical": true}"#
        ),
        (
            "ECOMMERCE", "Items",
            #"{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"}, {"name": "CATEGORY_L1", "type": ["string"], "categorical": true}"#
        ),
    ]

    @Test func theGuidesDefaultSchemasMakeTheDatasetsOfADomainGroup() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        for domain in ["VIDEO_ON_DEMAND", "ECOMMERCE"] {
            let group =
                try await engine.send(
                    CreateDatasetGroupRequest(
                        name: domain.lowercased().replacingOccurrences(of: "_", with: "-"),
                        domain: Domain(rawValue: domain))
                ).datasetGroupArn ?? ""
            for entry in Self.defaults where entry.domain == domain {
                let schema =
                    try await engine.send(
                        CreateSchemaRequest(
                            name: "\(domain)-\(entry.record)", schema: Self.schema(entry.record, entry.fields),
                            domain: Domain(rawValue: domain))
                    ).schemaArn ?? ""
                let dataset = try await engine.send(
                    CreateDatasetRequest(
                        name: "\(domain)-\(entry.record)", schemaArn: schema, datasetGroupArn: group,
                        datasetType: entry.record))
                #expect(dataset.datasetArn != nil)
            }
        }
    }

    static let refusals: [(domain: String, record: String, fields: String, message: String)] = [
        (
            "VIDEO_ON_DEMAND", "Items",
            #"{"name": "ITEM_ID", "type": "string"}, {"name": "CREATION_TIMESTAMP", "type": "long"}, {"name": "GENRE", "type": "string", "categorical": true}"#,
            "A VIDEO_ON_DEMAND ITEMS schema needs the field GENRES, a categorical string"
        ),
        (
            "VIDEO_ON_DEMAND", "Items",
            #"{"name": "ITEM_ID", "type": "string"}, {"name": "GENRES", "type": "string"}, {"name": "CREATION_TIMESTAMP", "type": "long"}"#,
            "Field GENRES of a VIDEO_ON_DEMAND ITEMS schema must be a categorical string"
        ),
        (
            "VIDEO_ON_DEMAND", "Items",
            #"{"name": "ITEM_ID", "type": "string"}, {"name": "GENRES", "type": ["null", "string"], "categorical": true}, {"name": "CREATION_TIMESTAMP", "type": "long"}"#,
            "Field GENRES is required in a VIDEO_ON_DEMAND ITEMS schema and cannot be nullable"
        ),
        (
            "VIDEO_ON_DEMAND", "Users",
            #"{"name": "USER_ID", "type": "string"}, {"name": "SUBSCRIPTION_MODEL", "type": "string"}"#,
            "Reserved field SUBSCRIPTION_MODEL of a VIDEO_ON_DEMAND USERS schema must be a categorical string"
        ),
        (
            "ECOMMERCE", "Interactions",
            #"{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"}, {"name": "TIMESTAMP", "type": "long"}"#,
            "A ECOMMERCE INTERACTIONS schema needs the field EVENT_TYPE"
        ),
        (
            "ECOMMERCE", "Items",
            #"{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "string", "categorical": true}, {"name": "CATEGORY_L1", "type": "string", "categorical": true}"#,
            "Field PRICE of a ECOMMERCE ITEMS schema must be a float"
        ),
        (
            "ECOMMERCE", "Items",
            #"{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"}, {"name": "CATEGORY_L1", "type": "string", "categorical": true}, {"name": "PRODUCT_DESCRIPTION", "type": ["null", "string"]}"#,
            "Reserved field PRODUCT_DESCRIPTION of a ECOMMERCE ITEMS schema must be a textual string"
        ),
        (
            "ECOMMERCE", "Items",
            #"{"name": "ITEM_ID", "type": "string"}, {"name": "PRICE", "type": "float"}, {"name": "CATEGORY_L1", "type": "string", "categorical": true}, {"name": "GENDER", "type": ["null", "string"]}"#,
            "Reserved field GENDER of a ECOMMERCE ITEMS schema must be a categorical string"
        ),
        (
            "ECOMMERCE", "Actions",
            #"{"name": "ACTION_ID", "type": "string"}, {"name": "VALUE", "type": ["null", "long"]}"#,
            "domain dataset groups have no ACTIONS datasets"
        ),
        (
            "GROCERY", "Users",
            #"{"name": "USER_ID", "type": "string"}, {"name": "TIER", "type": "string", "categorical": true}"#,
            "Invalid domain GROCERY"
        ),
    ]

    @Test(arguments: refusals.indices) func createSchemaChecksTheDomainsRules(_ index: Int) async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let entry = Self.refusals[index]
        await #expect {
            try await harness.engine.send(
                CreateSchemaRequest(
                    name: "s", schema: Self.schema(entry.record, entry.fields), domain: Domain(rawValue: entry.domain)))
        } throws: { error in
            let failure = error as? PersonalizeError
            return failure?.code == .invalidInputException && failure?.message.contains(entry.message) == true
        }
    }

    @Test func aDomainGroupsDatasetsNeedASchemaOfItsDomain() async throws {
        let harness = try EngineHarness()
        defer { harness.directory.remove() }
        let engine = harness.engine
        let shop =
            try await engine.send(CreateDatasetGroupRequest(name: "shop", domain: .ecommerce)).datasetGroupArn ?? ""
        let custom = try await engine.send(CreateDatasetGroupRequest(name: "custom")).datasetGroupArn ?? ""
        let interactions = Self.defaults[0].fields
        let plain =
            try await engine.send(
                CreateSchemaRequest(name: "plain", schema: Self.schema("Interactions", interactions))
            ).schemaArn ?? ""
        let video =
            try await engine.send(
                CreateSchemaRequest(
                    name: "video", schema: Self.schema("Interactions", interactions), domain: .videoOnDemand)
            ).schemaArn ?? ""
        func refused(_ schema: String, _ group: String, _ message: String) async {
            await #expect {
                try await engine.send(
                    CreateDatasetRequest(
                        name: "i", schemaArn: schema, datasetGroupArn: group, datasetType: "Interactions"))
            } throws: { error in
                (error as? PersonalizeError)?.message.contains(message) == true
            }
        }
        await refused(
            plain, shop, "its datasets need a schema created with domain ECOMMERCE, and schema \(plain) has no domain.")
        await refused(video, shop, "and schema \(video) has domain VIDEO_ON_DEMAND.")
        await refused(video, custom, "is a custom dataset group: its datasets need a schema without a domain.")
        #expect(
            try await engine.send(
                CreateDatasetRequest(name: "i", schemaArn: plain, datasetGroupArn: custom, datasetType: "Interactions")
            ).datasetArn != nil)
    }
}
