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

    @Test func usersAllowAtMost25MetadataFields() async throws {
        #expect(try await refusal("Users", schema("Users", [("USER_ID", "string")], metadata: 25)) == nil)
        let error = try await refusal("Users", schema("Users", [("USER_ID", "string")], metadata: 26))
        #expect(error?.code == .invalidInputException, "\(String(describing: error))")
    }

    @Test func itemsAllowAtMost100MetadataFields() async throws {
        #expect(try await refusal("Items", schema("Items", [("ITEM_ID", "string")], metadata: 100)) == nil)
        let error = try await refusal("Items", schema("Items", [("ITEM_ID", "string")], metadata: 101))
        #expect(error?.code == .invalidInputException, "\(String(describing: error))")
    }

    @Test func actionsAllowAtMost10MetadataFields() async throws {
        #expect(try await refusal("Actions", schema("Actions", [("ACTION_ID", "string")], metadata: 10)) == nil)
        let error = try await refusal("Actions", schema("Actions", [("ACTION_ID", "string")], metadata: 11))
        #expect(error?.code == .invalidInputException, "\(String(describing: error))")
    }

    @Test func interactionsAllowAtMost5MetadataFieldsBesidesReservedOnes() async throws {
        let required = [("USER_ID", "string"), ("ITEM_ID", "string"), ("TIMESTAMP", "long")]
        #expect(try await refusal("Interactions", schema("Interactions", required, metadata: 5)) == nil)
        let error = try await refusal("Interactions", schema("Interactions", required, metadata: 6))
        #expect(error?.code == .invalidInputException, "\(String(describing: error))")
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
        let shop = try await ConformanceShop.open()
        // Five optional metadata fields: EVENT_TYPE, EVENT_VALUE and three custom ones.
        let dataset = try await shop.dataset(
            "Interactions",
            avroSchema(
                "Interactions",
                interactionFields + [
                    ("EVENT_VALUE", #"["null", "float"]"#, nil),
                    ("DEVICE", #"["null", "string"]"#, #""categorical": true"#),
                    ("PAGE", #"["null", "string"]"#, #""categorical": true"#),
                    ("SOURCE", #"["null", "string"]"#, #""categorical": true"#),
                ]))
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
        let shop = try await ConformanceShop.open()
        // EVENT_TYPE and EVENT_VALUE count (2); IMPRESSION and RECOMMENDATION_ID do not: 2 + 8 types = 10.
        let dataset = try await shop.dataset(
            "Interactions",
            avroSchema(
                "Interactions",
                interactionFields + [
                    ("EVENT_VALUE", #"["null", "float"]"#, nil),
                    ("IMPRESSION", #"["null", "string"]"#, nil), ("RECOMMENDATION_ID", #"["null", "string"]"#, nil),
                ]))
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
