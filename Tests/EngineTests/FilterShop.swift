import Engine
import EngineAPI
import Foundation
import TailorTestSupport

/// A small shop for filter tests, served by a popularity-count campaign so the unfiltered order is
/// known: user `u<j>` interacted with items `i0 … i<99-j>`, so item `i<k>` has `100 - k` interactions
/// and the popularity order is `i0, i1, …`. Items, users and event types follow simple rules below.
struct FilterShop {
    static let users = 100
    static let items = 100
    static let genres = ["comedy", "drama", "horror", "action"]

    let harness: EngineHarness
    var group = ""
    var campaign = ""
    var trackingID = ""

    /// The items user `j` interacted with, oldest first.
    static func history(ofUser user: Int) -> [Int] { Array(0..<(items - user)) }
    static func eventType(user: Int, item: Int) -> String { (user + item) % 3 == 0 ? "purchase" : "click" }
    static func timestamp(user: Int, item: Int) -> Int { 1_600_000_000 + user * 1000 + item }
    /// Genre of item `k`; every fifth item is also "family" (a multi-value categorical field).
    static func genre(_ item: Int) -> String { genres[item % 4] + (item % 5 == 0 ? "|family" : "") }
    static func price(_ item: Int) -> Double { Double(item) * 10 + 5 }
    static func age(ofUser user: Int) -> Int { 12 + user % 40 }
    static var popularityOrder: [String] { (0..<items).map { "i\($0)" } }

    static var interactionsCSV: String {
        var lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE"]
        for user in 0..<users {
            for item in history(ofUser: user) {
                lines.append(
                    "u\(user),i\(item),\(timestamp(user: user, item: item)),\(eventType(user: user, item: item)),1")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let itemsSchema = """
        {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "fields": [
          {"name": "ITEM_ID", "type": "string"}, {"name": "GENRE", "type": "string", "categorical": true},
          {"name": "PRICE", "type": "float"}, {"name": "CREATION_TIMESTAMP", "type": "long"},
          {"name": "BRAND", "type": ["null", "string"]}, {"name": "COLOR", "type": ["null", "string"]},
          {"name": "SIZE", "type": ["null", "string"]}, {"name": "MATERIAL", "type": ["null", "string"]},
          {"name": "STUDIO", "type": ["null", "string"]}, {"name": "IN_STOCK", "type": ["null", "boolean"]},
          {"name": "DESCRIPTION", "type": ["null", "string"], "textual": true}], "version": "1.0"}
        """

    static let usersSchema = """
        {"type": "record", "name": "Users", "namespace": "com.amazonaws.personalize.schema", "fields": [
          {"name": "USER_ID", "type": "string"}, {"name": "AGE", "type": "int"},
          {"name": "MEMBERSHIP", "type": ["null", "string"]}], "version": "1.0"}
        """

    /// Imports everything, trains popularity-count, deploys a campaign and creates an event tracker.
    static func open(limits: EngineLimits? = nil) async throws -> FilterShop {
        var shop = FilterShop(harness: try EngineHarness(limits: limits))
        let engine = shop.harness.engine
        let (group, _, status) = try await shop.harness.importInteractions(interactionsCSV)
        guard status == "ACTIVE" else { throw ShopError("interactions import ended \(status ?? "nil")") }
        shop.group = group
        let items = try await shop.dataset("items", type: "ITEMS", schema: itemsSchema)
        for batch in stride(from: 0, to: Self.items, by: 10) {
            let records = (batch..<(batch + 10)).map { item in
                Item(
                    itemId: "i\(item)",
                    properties: #"{"genre": "\#(genre(item))", "price": \#(price(item)), "creationTimestamp": "#
                        + #"\#(1_500_000_000 + item), "inStock": true, "description": "item \#(item)"}"#)
            }
            _ = try await engine.send(PutItemsRequest(datasetArn: items, items: records))
        }
        let users = try await shop.dataset("users", type: "USERS", schema: usersSchema)
        for batch in stride(from: 0, to: Self.users, by: 10) {
            let records = (batch..<(batch + 10)).map { user in
                User(userId: "u\(user)", properties: #"{"age": \#(age(ofUser: user)), "membership": "gold"}"#)
            }
            _ = try await engine.send(PutUsersRequest(datasetArn: users, users: records))
        }
        let (version, trained) = try await shop.harness.train(
            group: group, name: "popular", recipe: "aws-popularity-count")
        guard trained == "ACTIVE" else { throw ShopError("training ended \(trained ?? "nil")") }
        shop.campaign =
            try await engine.send(CreateCampaignRequest(name: "shop", solutionVersionArn: version)).campaignArn ?? ""
        await engine.waitForBackgroundJobs()
        shop.trackingID =
            try await engine.send(CreateEventTrackerRequest(name: "shop", datasetGroupArn: group)).trackingId ?? ""
        return shop
    }

    private func dataset(_ name: String, type: String, schema: String) async throws -> String {
        try await EngineHarness.createDataset(name, type: type, schema: schema, inGroup: group, on: harness.engine)
    }

    /// Creates an ACTIVE filter.
    func filter(_ name: String, _ expression: String) async throws -> String {
        let engine = harness.engine
        let arn =
            try await engine.send(
                CreateFilterRequest(name: name, datasetGroupArn: group, filterExpression: expression)
            ).filterArn ?? ""
        _ = try await EngineHarness.settle {
            try await engine.send(DescribeFilterRequest(filterArn: arn)).filter?.status
        }
        return arn
    }

    /// The campaign's recommendations for `user` through `filter`.
    func recommend(
        _ user: String, filter: String? = nil, values: [String: String]? = nil, count: Int = 10
    ) async throws -> [String] {
        try await harness.engine.send(
            GetRecommendationsRequest(
                campaignArn: campaign, userId: user, numResults: count, filterArn: filter, filterValues: values)
        ).itemList?.compactMap(\.itemId) ?? []
    }
}

struct ShopError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
