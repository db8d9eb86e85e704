import EngineAPI
import Foundation
import TailorTestSupport
import Testing

@testable import Engine

/// The guide's limits on metadata fields (part 1 §8.4, §8.6; part 3 §12.1): Users 25, Items 100, Actions 10,
/// Interactions 5 besides reserved fields, and an Interactions dataset's optional metadata fields plus its
/// distinct event types at most 10.
@Suite struct ConformanceSchemaLimitTests {
    /// `count` nullable float metadata fields `F1`…`Fn` after `required`.
    private func schema(_ record: String, _ required: [(String, String)], metadata count: Int) -> String {
        avroSchema(
            record,
            required.map { ($0.0, "\"\($0.1)\"", nil) } + (0..<count).map { ("F\($0 + 1)", #"["null", "float"]"#, nil) }
        )
    }

    /// The error creating a schema and a dataset of `type` from it fails with (the engine may refuse either).
    private func refusal(_ type: String, _ schema: String) async throws -> PersonalizeError? {
        let shop = try await ConformanceShop.open()
        return await ConformanceShop.error { _ = try await shop.dataset(type, schema) }
    }

    /// A dataset type, its required fields and the most metadata fields it allows (for Interactions, besides
    /// reserved ones).
    struct MetadataLimit: Sendable, CustomTestStringConvertible {
        let type: String
        let required: [(String, String)]
        let limit: Int

        var testDescription: String { "\(type) allow at most \(limit)" }
    }

    @Test(arguments: [
        MetadataLimit(type: "Users", required: [("USER_ID", "string")], limit: 25),
        MetadataLimit(type: "Items", required: [("ITEM_ID", "string")], limit: 100),
        MetadataLimit(type: "Actions", required: [("ACTION_ID", "string")], limit: 10),
        MetadataLimit(
            type: "Interactions", required: [("USER_ID", "string"), ("ITEM_ID", "string"), ("TIMESTAMP", "long")],
            limit: 5),
    ])
    func datasetsAllowAtMostTheirMetadataFields(_ dataset: MetadataLimit) async throws {
        let (type, required, limit) = (dataset.type, dataset.required, dataset.limit)
        #expect(try await refusal(type, schema(type, required, metadata: limit)) == nil)
        let error = try await refusal(type, schema(type, required, metadata: limit + 1))
        #expect(error?.code == .invalidInputException, "\(String(describing: error))")
    }

    /// A new shop and its Interactions dataset: ``interactionFields``, a float `EVENT_VALUE`, then `extra`.
    private func interactionsDataset(
        _ extra: [(String, String, String?)]
    ) async throws -> (shop: ConformanceShop, dataset: String) {
        let shop = try await ConformanceShop.open()
        let fields = interactionFields + [("EVENT_VALUE", #"["null", "float"]"#, nil)] + extra
        return (shop, try await shop.dataset("Interactions", avroSchema("Interactions", fields)))
    }

    /// `rows` interactions spread over `types` event types (`type0`, `type1`, …).
    private func interactions(rows: Int, types: Int, extra: String = "") -> String {
        var lines = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,DEVICE,PAGE,SOURCE"]
        for row in 0..<rows {
            lines.append("u\(row % 20),i\(row % 30),\(1_600_000_000 + row),type\(row % types),1,phone,home,ad")
        }
        return lines.joined(separator: "\n") + "\n" + extra
    }

    @Test func metadataFieldsPlusDistinctEventTypesAreAtMost10() async throws {
        // Five optional metadata fields: EVENT_TYPE, EVENT_VALUE and three custom ones.
        let (shop, dataset) = try await interactionsDataset([
            ("DEVICE", #"["null", "string"]"#, #""categorical": true"#),
            ("PAGE", #"["null", "string"]"#, #""categorical": true"#),
            ("SOURCE", #"["null", "string"]"#, #""categorical": true"#),
        ])
        let five = try await shop.importCSV(dataset, "five-types", interactions(rows: 200, types: 5))
        #expect(five?.status == "ACTIVE", "5 fields + 5 event types = 10 is allowed: \(five?.failureReason ?? "")")

        let sixth = try await shop.importCSV(
            dataset, "sixth-type", interactions(rows: 200, types: 5, extra: "u1,i1,1700000000,type5,1,phone,home,ad\n"),
            mode: .incremental)
        #expect(sixth?.status == "CREATE FAILED")
        #expect(
            sixth?.failureReason
                == "The Interactions dataset would have 6 distinct event types and 5 optional metadata fields "
                + "(EVENT_TYPE, EVENT_VALUE, DEVICE, PAGE, SOURCE); together they cannot exceed 10. Check for event "
                + "types that differ only in spelling, and remove unneeded event types or fields.")
        #expect(try await shop.rows(dataset).count == 200, "the refused job imported nothing")

        let full = try await shop.importCSV(dataset, "six-types", interactions(rows: 200, types: 6))
        #expect(full?.status == "CREATE FAILED", "a FULL import is checked too")
    }

    @Test func reservedFieldsOtherThanEventTypeAndValueDoNotCount() async throws {
        // EVENT_TYPE and EVENT_VALUE count (2); IMPRESSION and RECOMMENDATION_ID do not: 2 + 8 types = 10.
        let (shop, dataset) = try await interactionsDataset([
            ("IMPRESSION", #"["null", "string"]"#, nil), ("RECOMMENDATION_ID", #"["null", "string"]"#, nil),
        ])
        let csv =
            "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n"
            + (0..<200).map { "u\($0 % 20),i\($0 % 30),\(1_600_000_000 + $0),type\($0 % 8),1" }.joined(separator: "\n")
        let job = try await shop.importCSV(dataset, "eight-types", csv)
        #expect(job?.status == "ACTIVE", "\(job?.failureReason ?? "")")
        let nine = csv.replacingOccurrences(of: ",type7,", with: ",type8,") + "\nu1,i1,1700000000,type7,1\n"
        let refused = try await shop.importCSV(dataset, "nine-types", nine)
        #expect(refused?.status == "CREATE FAILED", "2 fields + 9 event types = 11")
    }
}
