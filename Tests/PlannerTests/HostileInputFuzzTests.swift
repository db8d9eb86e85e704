import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// A few thousand hostile inputs in seconds (seeded, so a failure reproduces): manifests built from YAML's sharp
/// edges (anchors, aliases, merge keys, deep nesting, nested templates, extreme numbers) through the loader and
/// validator, and mutated state files and saved plans through their decoders. Nothing may crash; every manifest
/// problem has a position and every state problem is a ``StateError`` naming the file.
@Suite struct HostileInputFuzzTests {
    static let numbers = [
        "0", "-0", "1", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "99999999999999999999", "1e308", "1e400", "-1e400", "4.9e-324", ".inf", "-.inf", ".nan", "0x7fffffffffffffff",
        "0xffffffffffffffffff", "0o777777777777777777777777", "0b" + String(repeating: "1", count: 70), "1_000_000",
    ]

    static let pieces = [
        "&a ", "*a", "&b [*a, *a, *a]", "*b", "<<: *a", "<<: [*a, *b]", "? *a", "[*a]: x", "{*a: 1}", "!!int ",
        "${var.v}", "${${var.v}}", String(repeating: "${", count: 40) + "x" + String(repeating: "}", count: 40),
        "${campaign.${var.v}.arn}", "$${", "${env.HOME}",
        String(repeating: "[", count: 70) + String(repeating: "]", count: 70),
        String(repeating: "{a: ", count: 70) + "1" + String(repeating: "}", count: 70), "|\n  text *a: b\n",
        "'it''s *a'",
        "\"\\u0000 *a\"", "# *a: x",
    ]

    @Test func hostileManifestsNeverCrashAndAlwaysGivePositions() throws {
        var random = SplitMix(seed: 20_260_101)
        var cases = 0
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 1...3, using: &random)).map { _ in document(using: &random) }
                .joined(separator: "---\n")
            do {
                _ = try ManifestLoader.load(sources: [(text, "m.yaml", "/tmp")], directory: "/tmp")
            } catch {
                #expect(!error.diagnostics.isEmpty)
                for diagnostic in error.diagnostics where diagnostic.line < 1 || diagnostic.column < 1 {
                    Issue.record("unpositioned: \(diagnostic)\n--- input ---\n\(text)")
                }
            }
            cases += 1
        }
        cases += try templatedProjects(using: &random)
        #expect(cases >= 2_400)
    }

    /// Projects with variables whose values and uses are hostile: interpolation, values files, overlays.
    private func templatedProjects(using random: inout SplitMix) throws -> Int {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for index in 0..<400 {
            let value = Self.numbers.randomElement(using: &random) ?? "0"
            try directory.write(
                "tailor.yaml",
                """
                apiVersion: tailor/v1
                kind: Project
                metadata: {name: p}
                spec:
                  resources: [m]
                  variables:
                    v: {type: \(["string", "integer", "number", "list", "map"].randomElement(using: &random) ?? "string"), default: \(value), minimum: \(Self.numbers.randomElement(using: &random) ?? "0"), maximum: \(Self.numbers.randomElement(using: &random) ?? "0")}
                  environments: {e: {values: [values.yaml], overlays: [o]}}
                  outputs: {x: {value: \(Self.pieces.randomElement(using: &random) ?? "")}}

                """)
            try directory.write("values.yaml", "v: \(Self.pieces.randomElement(using: &random) ?? "")\n")
            try directory.write("m/m.yaml", document(using: &random))
            try directory.write("o/o.yaml", document(using: &random))
            do {
                _ = try ManifestLoader.load(directory: directory.url, options: LoadOptions(environment: "e"))
            } catch {
                for diagnostic in error.diagnostics where diagnostic.line < 1 || diagnostic.column < 1 {
                    Issue.record("unpositioned (\(index)): \(diagnostic)")
                }
            }
        }
        return 400
    }

    private func document(using random: inout SplitMix) -> String {
        let kind = ResourceKind.allCases.randomElement(using: &random)?.rawValue ?? "Campaign"
        var lines = [
            "apiVersion: tailor/v1", "kind: \(kind)", "metadata: {name: n\(Int.random(in: 0..<3, using: &random))}",
            "spec:",
        ]
        let fields = ResourceKind.allCases.flatMap { $0.definition.fields.map(\.name) } + ["a", "<<", "x"]
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            let key = fields.randomElement(using: &random) ?? "x"
            let value =
                Bool.random(using: &random)
                ? Self.numbers.randomElement(using: &random) ?? "0" : Self.pieces.randomElement(using: &random) ?? ""
            lines.append("  \(key): \(value)")
        }
        if Int.random(in: 0..<4, using: &random) == 0 {
            lines.insert("x-anchors: &a {k: [1, 2, 3]}", at: 0)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func mutatedStateFilesAndSavedPlansNeverCrash() async throws {
        let harness = try await Harness.appliedMovielens()
        defer { harness.directory.remove() }
        let state = try String(contentsOfFile: harness.store.path, encoding: .utf8)
        let plan = try await harness.plan()
        let saved = String(decoding: PlanFile(plan: plan, directory: harness.directory.path).encoded(), as: UTF8.self)
        var random = SplitMix(seed: 20_260_102)
        let scratch = StateStore(url: harness.directory.url.appendingPathComponent("scratch/state.json"))

        for _ in 0..<2_000 {
            let text = mutate(state, using: &random)
            do {
                var decoded = try StateStore.decode(Data(text.utf8), file: "state.json")
                // What decodes must also encode and be written (serial + 1).
                decoded.lineage = decoded.lineage ?? "l"
                _ = try scratch.write(decoded)
            } catch {
                #expect(error.description.contains("state.json"), "\(error)")
            }
        }
        for _ in 0..<500 {
            let text = mutate(saved, using: &random)
            _ = try? PlanFile.decode(Data(text.utf8), file: "plan.json")
        }
    }

    /// Replaces numbers and values with extreme ones, swaps types, nests, truncates.
    private func mutate(_ json: String, using random: inout SplitMix) -> String {
        var text = json
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let scalars = Array(text.unicodeScalars)
            let at = Int.random(in: 0..<max(1, scalars.count), using: &random)
            let replacement: String
            switch Int.random(in: 0..<6, using: &random) {
            case 0: replacement = Self.numbers.randomElement(using: &random) ?? "0"
            case 1:
                replacement = ["null", "true", "\"x\"", "[]", "{}", "\"\"", "-"].randomElement(using: &random) ?? ""
            case 2: replacement = String(repeating: "[", count: Int.random(in: 1...300, using: &random))
            case 3: return String(String.UnicodeScalarView(scalars.prefix(at)))
            case 4: replacement = "\"importGeneration\": \(Self.numbers.randomElement(using: &random) ?? "0"), "
            default: replacement = ""
            }
            // Numbers are swapped whole, so most mutations keep the JSON valid and reach the checks behind it.
            var end = at
            while end < scalars.count, "0123456789.-+eE".unicodeScalars.contains(scalars[end]) { end += 1 }
            let mutated = scalars[..<at] + Array(replacement.unicodeScalars) + scalars[(end == at ? at : end)...]
            text = String(String.UnicodeScalarView(mutated))
        }
        return text
    }
}
