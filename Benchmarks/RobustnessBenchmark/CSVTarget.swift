import Engine
import Foundation
import GRDBSQLite
import PersonalizeRules

/// CSV files through the engine's import reader (``CSVReader``, with small read chunks so records straddle
/// refills) and every cell through the schema field's ``CellRule``, bound to an SQLite statement as an import
/// binds it. Acceptable refusals: `CSVError` and `CellError`.
struct CSVTarget: InProcessTarget {
    static let name = "csv"
    private let file: URL
    private let schemas: [(DatasetType, AvroSchema)]
    private let statement: OpaquePointer

    static let schemaTexts: [(DatasetType, String)] = [
        (
            .interactions,
            Fixture.interactionsSchema.replacingOccurrences(
                of: "{\"name\": \"EVENT_VALUE\", \"type\": [\"null\", \"float\"]}",
                with:
                    "{\"name\": \"EVENT_VALUE\", \"type\": [\"null\", \"float\"]}, {\"name\": \"IMPRESSION\", \"type\": [\"null\", \"string\"]}"
            )
        ),
        (
            .items,
            """
            {"type": "record", "name": "Items", "namespace": "com.amazonaws.personalize.schema", "fields": [
             {"name": "ITEM_ID", "type": "string"}, {"name": "GENRE", "type": ["null", "string"], "categorical": true},
             {"name": "DESCRIPTION", "type": ["null", "string"], "textual": true}, {"name": "PRICE", "type": "double"},
             {"name": "CREATION_TIMESTAMP", "type": "long"}, {"name": "IN_STOCK", "type": "boolean"},
             {"name": "RANK", "type": "int"}], "version": "1.0"}
            """
        ),
        (.users, Fixture.usersSchema),
        (
            .actions,
            """
            {"type": "record", "name": "Actions", "namespace": "com.amazonaws.personalize.schema", "fields": [
             {"name": "ACTION_ID", "type": "string"}, {"name": "VALUE", "type": ["null", "int"]},
             {"name": "REPEAT_FREQUENCY", "type": ["null", "long"]}, {"name": "CREATION_TIMESTAMP", "type": "long"}],
             "version": "1.0"}
            """
        ),
        (
            .actionInteractions,
            """
            {"type": "record", "name": "ActionInteractions", "namespace": "com.amazonaws.personalize.schema", "fields": [
             {"name": "ACTION_ID", "type": "string"}, {"name": "USER_ID", "type": "string"},
             {"name": "TIMESTAMP", "type": "long"}, {"name": "EVENT_TYPE", "type": "string"}], "version": "1.0"}
            """
        ),
    ]

    static let cells =
        [
            "u1", "i1", "a1", "click", "Taken", "NOT_TAKEN", "1700000000", "0", "-1", "1.5", "true", "FALSE", "yes", "",
            " ", "\"quoted\"", "\"with \"\"quotes\"\"\"", "\"with \\\"escapes\\\"\"", "\"a,b\"", "\"line\nbreak\"",
            "\"unterminated", "\"closed\"after", "a\"b", "a\\b", "g1|g2|g3", "|||", "日本語のテキスト", "🙂", "\u{0}",
            "\r", "\"\r\n\"", "i1|i2|i3",
        ] + Nasty.numbers

    init(scratch: String, repository: String) throws {
        file = URL(fileURLWithPath: scratch + "/input.csv")
        schemas = try Self.schemaTexts.map { ($0.0, try AvroSchema(json: $0.1)) }
        var database: OpaquePointer?
        guard sqlite3_open(":memory:", &database) == SQLITE_OK else { throw RawHTTPError("sqlite3_open failed") }
        var prepared: OpaquePointer?
        let sql = "SELECT " + (1...16).map { "?\($0)" }.joined(separator: ", ")
        guard sqlite3_prepare_v2(database, sql, -1, &prepared, nil) == SQLITE_OK, let prepared else {
            throw RawHTTPError("sqlite3_prepare_v2 failed")
        }
        statement = prepared
    }

    func input(seed: UInt64, index: Int) -> [UInt8] {
        var random = SplitMix(seed: seed, target: Self.name, index: index)
        let (type, schema) = random.pick(schemas)
        return Array((type.rawValue + "\n").utf8) + Self.csvFile(columns: schema.fields.map(\.name), &random)
    }

    /// A CSV file for a dataset with `columns`: a header, rows of cells from the nasty pool, now and then
    /// rows of the wrong width, CR or CRLF line ends, and line and byte changes.
    static func csvFile(columns: [String], _ random: inout SplitMix) -> [UInt8] {
        var header = columns
        if random.oneIn(10) { header.shuffle(using: &random) }
        if random.oneIn(20) { header.append(random.pick(["", "EXTRA", "USER_ID", "\"Q\""])) }
        var text = Array((header.joined(separator: ",") + "\n").utf8)
        for _ in 0..<random.length(maximum: 200) {
            let count = random.oneIn(8) ? random.below(20) : columns.count
            var row: [UInt8] = []
            for column in 0..<count {
                if column > 0 { row.append(UInt8(ascii: ",")) }
                row += cell(&random)
            }
            text += row + (random.oneIn(10) ? [13, 10] : random.oneIn(30) ? [13] : [10])
        }
        if random.oneIn(3) { text = TextMutation.apply(text, &random, pool: Self.cells) }
        return text
    }

    private static func cell(_ random: inout SplitMix) -> [UInt8] {
        switch random.below(20) {
        case 0 where random.oneIn(10):
            return repeated(random.pick(["a", "é", "日", "|"]), random.pick([257, 1001, 7001, 20_001, 300_000]))
        case 1: return random.bytes(random.below(8))
        case 2: return [34] + repeated("\"\"", random.below(1000)) + [34]
        default: return Array(random.pick(Self.cells).utf8)
        }
    }

    mutating func run(_ input: [UInt8]) -> String? {
        // The first line names the dataset type; the rest is the file.
        guard let newline = input.firstIndex(of: 10),
            let datasetType = DatasetType(rawValue: String(decoding: input[..<newline], as: UTF8.self)),
            let schema = schemas.first(where: { $0.0 == datasetType })?.1
        else { return nil }
        let rules = schema.fields.map { CellRule($0, in: datasetType) }
        do {
            try Data(input[(newline + 1)...]).write(to: file)
            var reader = try CSVReader(url: file, chunkSize: [64, 100, 1000, 4 << 20][input.count % 4])
            while try reader.next() {
                for index in 0..<reader.fieldCount {
                    do {
                        try reader.withField(index) { cell in
                            try rules[index % rules.count].bind(cell, to: statement, at: Int32(index % 16 + 1))
                        }
                    } catch is CellError {
                        continue
                    }
                }
                _ = try? reader.strings()
            }
            return nil
        } catch is CSVError {
            return nil
        } catch {
            return "CSV import threw \(type(of: error)): \(error)"
        }
    }
}
