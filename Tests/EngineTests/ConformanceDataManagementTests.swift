import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// Managing data and resources: `UpdateDataset` (part 3 §2.5), export `ALL` (§2.4) and tags (§7).
@Suite struct ConformanceDataManagementTests {
    static let usersSchema = avroSchema(
        "Users", [("USER_ID", #""string""#, nil), ("TIER", #"["null", "string"]"#, #""categorical": true"#)])

    // MARK: UpdateDataset

    /// Expects UpdateDataset of `dataset` to the schema `schema` (created as `name`) to fail with
    /// InvalidInputException, its message starting with `message`.
    private func expectUpdateRefused(
        _ shop: ConformanceShop, _ dataset: String, to schema: String, named name: String, message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let schemaArn = try await shop.engine.send(CreateSchemaRequest(name: name, schema: schema)).schemaArn ?? ""
        let error = await ConformanceShop.error {
            _ = try await shop.engine.send(UpdateDatasetRequest(datasetArn: dataset, schemaArn: schemaArn))
        }
        #expect(error?.code == .invalidInputException, sourceLocation: sourceLocation)
        #expect(
            error?.message.hasPrefix(message) == true, "\(error?.message ?? "no error")", sourceLocation: sourceLocation
        )
    }

    @Test func onlyItemsAndUsersDatasetsCanChangeTheirSchema() async throws {
        let shop = try await ConformanceShop.open()
        let interactions = try await shop.dataset("Interactions", SyntheticData.interactionsSchema)
        let wider = SyntheticData.interactionsSchema.replacingOccurrences(
            of: #"{"name": "EVENT_VALUE", "type": ["null", "float"]}"#,
            with: #"{"name": "EVENT_VALUE", "type": ["null", "float"]}, {"name": "DEVICE", "type": ["null", "string"]}"#
        )
        #expect(wider != SyntheticData.interactionsSchema)
        try await expectUpdateRefused(
            shop, interactions, to: wider, named: "wider",
            message: "Only Items and Users datasets can change their schema")
    }

    @Test func newFieldsMustBeNullable() async throws {
        let shop = try await ConformanceShop.open()
        let users = try await shop.dataset("Users", Self.usersSchema)
        let required = avroSchema(
            "Users",
            [
                ("USER_ID", #""string""#, nil), ("TIER", #"["null", "string"]"#, #""categorical": true"#),
                ("AGE", #""int""#, nil),
            ])
        try await expectUpdateRefused(
            shop, users, to: required, named: "age", message: "New field AGE must be nullable")
    }

    // MARK: Individual records

    @Test func putItemsAndPutUsersTakeOneToTenRecords() async throws {
        let shop = try await ConformanceShop.open()
        let engine = shop.engine
        let items = try await shop.dataset("Items", ConformanceImportTests.itemsSchema)
        let users = try await shop.dataset("Users", Self.usersSchema)
        let ten = (0..<10).map { Item(itemId: "i\($0)", properties: #"{"genres": "drama"}"#) }
        _ = try await engine.send(PutItemsRequest(datasetArn: items, items: ten))
        let eleven = ten + [Item(itemId: "i10", properties: #"{"genres": "drama"}"#)]
        #expect(
            await ConformanceShop.error {
                _ = try await engine.send(PutItemsRequest(datasetArn: items, items: eleven))
            }?.code == .invalidInputException)
        #expect(
            await ConformanceShop.error { _ = try await engine.send(PutItemsRequest(datasetArn: items, items: [])) }?
                .code == .invalidInputException)
        #expect(
            await ConformanceShop.error { _ = try await engine.send(PutUsersRequest(datasetArn: users, users: [])) }?
                .code == .invalidInputException)
        #expect(try await shop.rows(items).count == 10, "refused calls write nothing")
    }

    // MARK: Export ALL

    @Test func exportingAllKeepsTheLatestItemAndUserPerID() async throws {
        let shop = try await ConformanceShop.open()
        let engine = shop.engine
        let items = try await shop.dramaAndComedyItems(job: "items")
        try await shop.putItem(items, "i1", genres: "horror")
        let (itemStatus, itemLines) = try await shop.export(items, mode: .all, name: "items")
        #expect(itemStatus == "ACTIVE")
        #expect(itemLines.first == "ITEM_ID,GENRES,DESCRIPTION")
        #expect(itemLines.dropFirst().sorted() == ["i1,horror,", "i2,comedy,"])

        let users = try await shop.dataset("Users", Self.usersSchema)
        _ = try await shop.importCSV(users, "users", "USER_ID,TIER\nu1,gold\nu2,silver\n")
        _ = try await engine.send(
            PutUsersRequest(datasetArn: users, users: [User(userId: "u2", properties: #"{"tier": "bronze"}"#)]))
        let (_, userLines) = try await shop.export(users, mode: .all, name: "users")
        #expect(userLines.dropFirst().sorted() == ["u1,gold", "u2,bronze"])
    }

    // MARK: Tags

    private func tag(_ shop: ConformanceShop, _ tags: [EngineAPI.Tag]) async -> PersonalizeError? {
        await ConformanceShop.error {
            _ = try await shop.engine.send(TagResourceRequest(resourceArn: shop.group, tags: tags))
        }
    }

    @Test func tagKeysAreAtMost128AndValuesAtMost256Characters() async throws {
        let shop = try await ConformanceShop.open()
        let key = String(repeating: "k", count: 128)
        let value = String(repeating: "v", count: 256)
        #expect(await tag(shop, [EngineAPI.Tag(tagKey: key, tagValue: value)]) == nil)
        #expect(await tag(shop, [EngineAPI.Tag(tagKey: key + "k", tagValue: "v")])?.code == .invalidInputException)
        #expect(await tag(shop, [EngineAPI.Tag(tagKey: "k", tagValue: value + "v")])?.code == .invalidInputException)
        let tags = try await shop.engine.send(ListTagsForResourceRequest(resourceArn: shop.group)).tags ?? []
        #expect(tags == [EngineAPI.Tag(tagKey: key, tagValue: value)])
    }

    @Test func tagKeysAndValuesCannotStartWithAws() async throws {
        let shop = try await ConformanceShop.open()
        #expect(
            await tag(shop, [EngineAPI.Tag(tagKey: "aws:team", tagValue: "search")])?.code == .invalidInputException)
        #expect(
            await tag(shop, [EngineAPI.Tag(tagKey: "team", tagValue: "aws:search")])?.code == .invalidInputException)
        #expect(
            await tag(shop, [EngineAPI.Tag(tagKey: "team-aws:", tagValue: "search")]) == nil,
            "only a prefix is reserved")
    }

    @Test func taggingAKeyAgainOverwritesItsValue() async throws {
        let shop = try await ConformanceShop.open()
        #expect(await tag(shop, [EngineAPI.Tag(tagKey: "Owner", tagValue: "ana")]) == nil)
        #expect(
            await tag(
                shop, [EngineAPI.Tag(tagKey: "Owner", tagValue: "ben"), EngineAPI.Tag(tagKey: "owner", tagValue: "cy")])
                == nil)
        let tags = try await shop.engine.send(ListTagsForResourceRequest(resourceArn: shop.group)).tags ?? []
        #expect(
            tags == [EngineAPI.Tag(tagKey: "Owner", tagValue: "ben"), EngineAPI.Tag(tagKey: "owner", tagValue: "cy")],
            "keys are case-sensitive")
    }
}
