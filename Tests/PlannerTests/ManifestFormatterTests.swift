import Foundation
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct ManifestFormatterTests {
    @Test func laysOutIndentationKeyOrderAndBlankLinesKeepingComments() throws {
        let messy = """
            # header\r
            kind: Solution   \r
            metadata:
                name: top   # the name
                tags:
                    team: recs


            # the spec
            spec:
                datasetGroup: g
                fields:
                -   {name: A, type: string}
                -   name: B
                    type: long
            apiVersion: tailor/v1
            ---
            spec:
                avro: |
                    {"type": "record",
                      "x": 1}
            kind: Schema

            """

        let formatted = try ManifestFormatter.format(messy, file: "a.yaml")

        // The layout `tailor fmt` gives `messy`, word for word: a golden file (under `Tests/Golden`, outside the
        // test targets), so that it reads as the YAML it is.
        let golden = Repository.root().appendingPathComponent("Tests/Golden/ManifestFormatter/formatted.yaml")
        #expect(formatted == (try String(contentsOf: golden, encoding: .utf8)))
        #expect(try ManifestFormatter.format(formatted, file: "a.yaml") == formatted, "idempotent")
    }

    @Test func leavesCanonicalFilesAloneAndRefusesInvalidYAML() throws {
        let canonical = "apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata:\n  name: g\n"
        #expect(try ManifestFormatter.format(canonical, file: "a.yaml") == canonical)
        let error = #expect(throws: DiagnosticsError.self) {
            try ManifestFormatter.format("kind: [DatasetGroup\n", file: "bad.yaml")
        }
        #expect(error?.diagnostics.first?.file == "bad.yaml")
    }
}
