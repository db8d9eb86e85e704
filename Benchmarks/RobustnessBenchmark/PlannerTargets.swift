import Foundation
import Planner

/// Manifest folders through ``ManifestLoader`` (YAML, templating, validation): the examples' files with one
/// mutated, or random documents. Every refusal must be diagnostics with a file:line:column (a folder-level
/// problem may name just the folder).
struct ManifestTarget: InProcessTarget {
    static let name = "manifest"
    private let folder: String
    /// Each example: its files (path relative to the example, text) and the environment it loads with.
    private let examples: [(environment: String?, files: [(String, String)])]

    static let scalars = [
        "", "~", "null", "true", "no", "0", "-1", "1e999", ".nan", ".inf", "99999999999999999999",
        "12345678901234567890",
        "\"\"", "'x'", "rate(7 days)", "rate(0 days)", "rate(99999999999999999999 days)", "${var.env}",
        "${eventTracker.x.trackingId}", "${", "}", "${env.HOME}", "${var.${var.env}}", "EXCLUDE ItemID WHERE",
        "\"unterminated", "&a", "*a", "!!int x", "!!binary x", "[", "]", "{", "}", ":", "- ", "? ", "|", ">", "#",
        "\t", "%YAML 1.2", "---", "...", "ü✓", "\u{0}", "\u{FEFF}", "data/x.csv", "/etc/passwd", "/dev/zero",
        "/dev/urandom", "file://", "s3://bucket/key", "../../..", "normalized_discounted_cumulative_gain_at_10",
        "&anchor [*anchor]", repeatedString("[", 1000), repeatedString("a", 100_000),
    ]

    init(scratch: String, repository: String) throws {
        folder = scratch + "/manifests"
        let root = repository + "/examples"
        var examples: [(String?, [(String, String)])] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: root).sorted() {
            var files: [(String, String)] = []
            let enumerator = FileManager.default.enumerator(atPath: root + "/" + name)
            while let path = enumerator?.nextObject() as? String {
                guard path.hasSuffix(".yaml") || path.hasSuffix(".yml"), !path.hasPrefix(".") else { continue }
                files.append((path, try String(contentsOfFile: root + "/" + name + "/" + path, encoding: .utf8)))
            }
            if !files.isEmpty { examples.append((name == "gitops" ? "dev" : nil, files.sorted { $0.0 < $1.0 })) }
        }
        guard !examples.isEmpty else { throw RawHTTPError("no examples under \(root)") }
        self.examples = examples
    }

    /// `#env NAME` (or `#env -`), then each file as `#=== PATH` and its text.
    func input(seed: UInt64, index: Int) -> [UInt8] {
        var random = SplitMix(seed: seed, target: Self.name, index: index)
        let example = random.pick(examples)
        var files = example.files
        var environment = example.environment
        if random.oneIn(5) {
            environment = nil
            files = [
                (
                    "random.yaml",
                    (0..<(random.below(3) + 1)).map { _ in randomDocument(&random) }.joined(separator: "---\n")
                )
            ]
        } else {
            for _ in 0..<(random.below(2) + 1) {
                let index = random.below(files.count)
                files[index].1 = String(
                    decoding: TextMutation.apply(Array(files[index].1.utf8), &random, pool: Self.scalars + Self.words),
                    as: UTF8.self)
            }
        }
        var text = "#env \(environment ?? "-")\n"
        for (path, content) in files { text += "#=== \(path)\n\(content)\n" }
        return Array(text.utf8)
    }

    mutating func run(_ input: [UInt8]) -> String? {
        let text = String(decoding: input, as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        let environmentLine = lines.isEmpty ? "" : lines.removeFirst()
        let environment =
            environmentLine.hasPrefix("#env ") && environmentLine != "#env -"
            ? String(environmentLine.dropFirst(5)) : nil
        let fm = FileManager.default
        try? fm.removeItem(atPath: folder)
        try? fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var path: String?
        var content: [String] = []
        func flush() {
            guard let path else { return }
            let url = URL(fileURLWithPath: folder + "/" + path)
            try? fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? content.joined(separator: "\n").write(to: url, atomically: false, encoding: .utf8)
        }
        for line in lines {
            if line.hasPrefix("#=== ") {
                flush()
                path = String(line.dropFirst(5))
                content = []
            } else {
                content.append(line)
            }
        }
        flush()
        let options = LoadOptions(
            environment: environment, processEnvironment: ["SHOP_KMS_KEY_ARN": "arn:aws:kms:local:000000000000:key/k"])
        do {
            _ = try ManifestLoader.load(directory: URL(fileURLWithPath: folder), options: options)
            return nil
        } catch {
            if error.diagnostics.isEmpty { return "the loader refused the folder with no diagnostic" }
            for diagnostic in error.diagnostics where diagnostic.location.line < 1 || diagnostic.location.column < 1 {
                var isFolder: ObjCBool = false
                if fm.fileExists(atPath: diagnostic.location.file, isDirectory: &isFolder), isFolder.boolValue {
                    continue
                }
                // A file that is not there has no line to point at (e.g. `--env` without a tailor.yaml).
                if !fm.fileExists(atPath: diagnostic.location.file) { continue }
                return "a diagnostic without a position: \(diagnostic)"
            }
            return nil
        }
    }

    static let words: [String] = {
        var words = ["apiVersion", "kind", "metadata", "name", "spec", "tags", "lifecycle", "tailor/v1", "Project"]
        words += ResourceKind.allCases.map(\.rawValue)
        words += ["schedule", "metric", "minDelta", "source", "mode", "fetch", "command", "variables", "outputs"]
        return words.map { $0 + ": " }
    }()

    private func randomDocument(_ random: inout SplitMix) -> String {
        var lines = ["apiVersion: tailor/v1", "kind: \(random.pick(ResourceKind.allCases).rawValue)"]
        if random.oneIn(2) { lines.removeFirst() }
        lines.append("metadata: {name: \(random.pick(["a", "b", "x y", "", "-bad"]))}")
        lines.append("spec:")
        for _ in 0..<random.below(6) {
            lines.append("  \(random.pick(Self.words))\(random.pick(Self.scalars))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// State files through ``StateStore/load()``: valid states (v1 and v2) mutated in their JSON and bytes.
/// Refusals are `StateError` by construction; what is checked is that a state that loads writes and loads
/// again to the same state.
struct StateTarget: InProcessTarget {
    static let name = "state"
    private let file: String
    private let copy: String
    private let seeds: [FuzzJSON]

    init(scratch: String, repository: String) throws {
        file = scratch + "/state.json"
        copy = scratch + "/state-copy.json"
        let entry = StateEntry(
            arn: "arn:aws:personalize:us-east-1:000000000000:solution/picks", status: .ready,
            spec: [
                "recipe": .string("aws-user-personalization"),
                "hyperParameters": .map(["hidden_dimension": .string("32")]),
                "performAutoTraining": .bool(false), "weights": .list([.double(0.5), .int(3), .null]),
            ],
            attributes: ["solutionVersionArn": .string("arn:aws:personalize:us-east-1:000000000000:solution/picks/1")],
            dependencies: [ResourceAddress(.datasetGroup, "shop")])
        let group = StateEntry(
            arn: "arn:aws:personalize:us-east-1:000000000000:dataset-group/shop", status: .creating, spec: [:])
        let state = State(
            serial: 7, lineage: "5f0c",
            resources: [ResourceAddress(.solution, "picks"): entry, ResourceAddress(.datasetGroup, "shop"): group],
            outputs: [
                "campaign-arn": OutputValue(value: .string("arn:x")),
                "secret": OutputValue(value: .string("sha256:00"), sensitive: true),
            ],
            deposed: [ResourceAddress(.campaign, "old"): [group]])
        let data = try StateStore.encode(state)
        guard let v2 = FuzzJSON(parsing: String(decoding: data, as: UTF8.self)) else {
            throw RawHTTPError("the state seed is not JSON")
        }
        var v1 = v2
        if case .object(let members) = v2 {
            v1 = .object(
                members.filter { !["outputs", "deposed"].contains($0.key) }.map {
                    $0.key == "version" ? (key: "version", value: .number("1")) : $0
                })
        }
        seeds = [v2, v1]
    }

    func input(seed: UInt64, index: Int) -> [UInt8] {
        var random = SplitMix(seed: seed, target: Self.name, index: index)
        var json = random.pick(seeds)
        if random.oneIn(8), case .object(var members) = json,
            let at = members.firstIndex(where: { $0.key == "version" })
        {
            members[at].value = .number(
                random.pick(["0", "3", "-1", "2.0", "1e3", "99999999999999999999", "\"2\"", "null"]))
            json = .object(members)
        }
        for _ in 0..<random.below(4) { json = JSONMutation.apply(json, &random) }
        var bytes = json.bytes
        if random.oneIn(6) { bytes = ByteMutation.apply(bytes, &random) }
        return bytes
    }

    mutating func run(_ input: [UInt8]) -> String? {
        do {
            try Data(input).write(to: URL(fileURLWithPath: file))
            unlink(copy)
            unlink(copy + ".backup")
        } catch {
            return nil
        }
        let state: State
        do {
            state = try StateStore(url: URL(fileURLWithPath: file)).load()
        } catch {
            return nil
        }
        do {
            let store = StateStore(url: URL(fileURLWithPath: copy))
            let written = try store.write(state)
            let again = try store.load()
            // Compared as written (empty deposed lists are not written, and mean the same as none).
            return try StateStore.encode(again) == StateStore.encode(written)
                ? nil : "a loaded state wrote and loaded back different: \(state) → \(again)"
        } catch {
            return "a loaded state could not be written and loaded again: \(error)"
        }
    }
}
