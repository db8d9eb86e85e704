import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Feeds the loader random YAML and mutated copies of every file under `examples/` (seeded, so a failure
/// reproduces) and checks it never crashes and every error it reports is positioned (file:line:col; only
/// folder-level problems name just the folder).
@Suite struct ManifestFuzzTests {
    static var examples: URL { Repository.root().appendingPathComponent("examples") }

    static let words: [String] = {
        var words = ["apiVersion", "kind", "metadata", "name", "spec", "tags", "lifecycle", "tailor/v1", "Project"]
        words += ResourceKind.allCases.map(\.rawValue)
        words += ResourceKind.allCases.flatMap { $0.definition.fields.map(\.name) }
        words += ["schedule", "metric", "minDelta", "source", "mode", "fetch", "command", "variables", "outputs"]
        return words
    }()

    static let scalars = [
        "", "~", "null", "true", "no", "0", "-1", "1e999", ".nan", ".inf", "99999999999999999999", "\"\"", "'x'",
        "rate(7 days)", "rate(0 days)", "${var.env}", "${eventTracker.x.trackingId}", "${", "}", "${env.HOME}",
        "EXCLUDE ItemID WHERE", "INCLUDE ItemID WHERE Items.X IN (\"a\")", "\"unterminated", "&a", "*a", "!!int x",
        "[", "]", "{", "}", ":", "- ", "? ", "|", ">", "#", "\t", "%YAML 1.2", "---", "...", "ü✓", "\u{0}",
        "data/x.csv", "/etc/passwd", "file://", "s3://bucket/key", "../../..",
        "normalized_discounted_cumulative_gain_at_10",
    ]

    @Test func randomAndMutatedManifestsNeverCrashAndAlwaysGivePositions() throws {
        var random = SplitMix(seed: 20_251_123)
        let workspace = try TemporaryDirectory()
        defer { workspace.remove() }
        let fm = FileManager.default
        var cases = 0
        let names = try fm.contentsOfDirectory(atPath: Self.examples.path).sorted()
        for name in names {
            let copy = workspace.url.appendingPathComponent(name)
            try fm.copyItem(at: Self.examples.appendingPathComponent(name), to: copy)
            let files = try yamlFiles(in: copy)
            let options = LoadOptions(
                environment: fm.fileExists(atPath: copy.appendingPathComponent("tailor.yaml").path)
                    && name == "gitops" ? "dev" : nil,
                processEnvironment: ["SHOP_KMS_KEY_ARN": "arn:aws:kms:local:000000000000:key/k"])
            for file in files {
                let original = try String(contentsOf: file, encoding: .utf8)
                for _ in 0..<60 {
                    try mutate(original, using: &random).write(to: file, atomically: false, encoding: .utf8)
                    try check(copy, options)
                    cases += 1
                }
                try original.write(to: file, atomically: false, encoding: .utf8)
            }
        }
        let scratch = workspace.url.appendingPathComponent("random")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        for _ in 0..<1_000 {
            let text = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                randomDocument(using: &random)
            }.joined(separator: "---\n")
            try text.write(to: scratch.appendingPathComponent("m.yaml"), atomically: false, encoding: .utf8)
            try check(scratch, LoadOptions())
            cases += 1
        }
        #expect(cases > 2_000)
    }

    private func yamlFiles(in folder: URL) throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if ["yaml", "yml"].contains(url.pathExtension), !url.path.contains("/.github/") { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Loads the folder; any error must be a diagnostic with a position.
    private func check(_ folder: URL, _ options: LoadOptions) throws {
        do {
            _ = try ManifestLoader.load(directory: folder, options: options)
        } catch {
            #expect(!error.diagnostics.isEmpty)
            for diagnostic in error.diagnostics where diagnostic.location.line < 1 || diagnostic.location.column < 1 {
                // A folder has no lines: "no manifests in this folder" names the folder.
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: diagnostic.location.file, isDirectory: &isFolder),
                    isFolder.boolValue
                {
                    continue
                }
                let text = (try? String(contentsOf: URL(fileURLWithPath: diagnostic.location.file), encoding: .utf8))
                Issue.record("unpositioned: \(diagnostic)\n--- input ---\n\(text ?? "?")")
            }
        }
    }

    private func mutate(_ text: String, using random: inout SplitMix) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let at = characters.isEmpty ? 0 : Int.random(in: 0..<characters.count, using: &random)
            switch Int.random(in: 0..<7, using: &random) {
            case 0 where !characters.isEmpty:
                characters.removeSubrange(at..<min(characters.count, at + Int.random(in: 1...12, using: &random)))
            case 1:
                characters.insert(contentsOf: Array(Self.scalars.randomElement(using: &random) ?? ""), at: at)
            case 2:
                characters.insert(
                    contentsOf: Array(Self.words.randomElement(using: &random) ?? "") + [":", " "], at: at)
            case 3:
                var lines = String(characters).components(separatedBy: "\n")
                let index = Int.random(in: 0..<lines.count, using: &random)
                lines.insert(lines[index], at: Int.random(in: 0...lines.count, using: &random))
                characters = Array(lines.joined(separator: "\n"))
            case 4:
                var lines = String(characters).components(separatedBy: "\n")
                let index = Int.random(in: 0..<lines.count, using: &random)
                lines[index] =
                    String(repeating: " ", count: Int.random(in: 0...6, using: &random))
                    + lines[index].trimmingCharacters(in: .whitespaces)
                characters = Array(lines.joined(separator: "\n"))
            case 5:
                characters = Array(characters.prefix(at))
            default:
                if let value = characters[at...].firstIndex(of: ":"),
                    let end = characters[value...].firstIndex(of: "\n")
                {
                    characters.replaceSubrange(
                        value..<end, with: Array(": " + (Self.scalars.randomElement(using: &random) ?? "")))
                }
            }
        }
        return String(characters)
    }

    private func randomDocument(using random: inout SplitMix) -> String {
        var lines = ["apiVersion: tailor/v1", "kind: \(ResourceKind.allCases.randomElement(using: &random)!.rawValue)"]
        if Bool.random(using: &random) { lines.removeFirst() }
        lines.append("metadata: {name: \(["a", "b", "x y", "", "-bad"].randomElement(using: &random)!)}")
        lines.append("spec:")
        lines += randomMapping(depth: 0, indent: "  ", using: &random)
        return lines.joined(separator: "\n") + "\n"
    }

    private func randomMapping(depth: Int, indent: String, using random: inout SplitMix) -> [String] {
        (0..<Int.random(in: 0...5, using: &random)).flatMap { _ -> [String] in
            let key = Self.words.randomElement(using: &random)!
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where depth < 3:
                return ["\(indent)\(key):"] + randomMapping(depth: depth + 1, indent: indent + "  ", using: &random)
            case 1:
                let items = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                    Self.scalars.randomElement(using: &random)!
                }
                return ["\(indent)\(key): [\(items.joined(separator: ", "))]"]
            default:
                return ["\(indent)\(key): \(Self.scalars.randomElement(using: &random)!)"]
            }
        }
    }
}
