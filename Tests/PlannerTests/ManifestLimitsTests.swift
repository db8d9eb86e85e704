import Foundation
import TailorTestSupport
import Testing

@testable import Planner

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hostile manifests (they come from pull requests, and CI plans every one) are refused with a positioned
/// error, quickly and in little memory: alias bombs, deep nesting, huge files, devices, runaway templating.
@Suite struct ManifestLimitsTests {
    /// "Billion laughs" in a few hundred bytes: 10^9 nodes once the aliases are expanded.
    static let aliasBomb: String = {
        var lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            lines.append(
                "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// Loads `files` (name: text) as a folder of manifests; its problems as `name:line:col: message`.
    static func load(_ files: [String: String], options: LoadOptions = LoadOptions()) throws -> [String] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (name, text) in files { try directory.write(name, text) }
        do {
            _ = try ManifestLoader.load(directory: directory.url, options: options)
            return []
        } catch {
            return error.diagnostics.map {
                "\(($0.file as NSString).lastPathComponent):\($0.line):\($0.column): \($0.message)"
            }
        }
    }

    private func load(_ files: [String: String]) throws -> [String] {
        try Self.load(files)
    }

    @Test func anAliasBombIsRefusedAtTheAliasThatExceedsTheBudget() throws {
        #expect(Self.aliasBomb.utf8.count < 1_024)
        let clock = ContinuousClock()
        let started = clock.now

        let problems = try load(["bomb.yaml": Self.aliasBomb])

        #expect(clock.now - started < .seconds(5))
        // b adds 110 nodes, c 1,110, d 11,110; e's eighth *d (11,111 nodes) passes 100,000.
        #expect(
            problems == [
                "bomb.yaml:5:36: the alias *d expands the file past 100000 nodes added by aliases (it repeats 11111); "
                    + "write the values out, or use fewer aliases"
            ])
    }

    @Test func mergeKeysAreRefusedRatherThanExpanded() throws {
        var lines = ["a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x, k9: x}"]
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            lines.append(
                "\(name): &\(name)\n  <<: [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]"
            )
        }

        let problems = try load(["merge.yaml": lines.joined(separator: "\n") + "\n"])

        #expect(
            problems.contains { $0.hasPrefix("merge.yaml:3:3: YAML merge keys ('<<') are not supported") },
            "\(problems)")
        #expect(!problems.contains { $0.contains("expands the file") }, "nothing was expanded: \(problems)")
    }

    @Test func aliasesCannotBeKeysSoYamsNeverHashesABomb() throws {
        for (suffix, position) in [
            ("*i : x\n", "10:1"), ("? *i\n: x\n", "10:1"), ("z: {*i: 1}\n", "10:5"), ("z: {*i}\n", "10:5"),
            ("[*i]: x\n", "10:4"), ("z: {[*i]: 1}\n", "10:8"),
        ] {
            let clock = ContinuousClock()
            let started = clock.now

            let problems = try load(["keys.yaml": Self.aliasBomb + suffix])

            #expect(clock.now - started < .seconds(5), "\(suffix)")
            #expect(
                problems.count == 1 && problems.first?.hasPrefix("keys.yaml:\(position): ") == true,
                "\(suffix): \(problems)")
        }
    }

    @Test func ordinaryAliasesStillWork() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("group.yaml", Fixtures.group)
        try directory.write(
            "solutions.yaml",
            """
            x-defaults: &defaults {hidden_dimension: 64}
            ---
            apiVersion: tailor/v1
            kind: Solution
            metadata: {name: top-picks}
            spec:
              datasetGroup: movielens
              recipe: aws-user-personalization
              hyperParameters: *defaults  # a comment with *defaults: in it
              tags: {note: "a *quoted: alias-like text"}

            """)

        let problems = try load(["group.yaml": Fixtures.group, "solutions.yaml": try directory.read("solutions.yaml")])

        #expect(problems.allSatisfy { !$0.contains("alias") }, "\(problems)")
    }

    @Test func deepNestingIsRefusedWithoutExhaustingTheStack() throws {
        let flow = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let block = (0..<5_000).map { String(repeating: "  ", count: $0) + "- " }.joined(separator: "\n") + "x\n"
        let moderate = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)

        let problems = try load(["flow.yaml": flow, "block.yaml": block, "moderate.yaml": moderate])

        #expect(problems.contains { $0.hasPrefix("flow.yaml:1:") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("block.yaml:") }, "\(problems)")
        #expect(
            problems.contains(
                "moderate.yaml:1:65: mappings and lists are nested more than 64 levels deep here; flatten the document"),
            "\(problems)")
    }

    @Test func hugeFilesAreRefusedUnread() throws {
        let huge = "description: " + String(repeating: "x", count: ManifestLimits.fileBytes) + "\n"

        let problems = try load(["huge.yaml": huge])

        #expect(
            problems == [
                "huge.yaml:1:1: the file has \(huge.utf8.count) bytes; a manifest, project or values file may have at "
                    + "most 4 MiB: split it into several files"
            ])
    }

    @Test func manifestsAndImportSourcesMustBeRegularFiles() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try harness.directory.write("group.yaml", Fixtures.group)
        try harness.directory.write(
            "dataset.yaml", Fixtures.dataset.replacingOccurrences(of: "../data/ratings.csv", with: "/dev/zero"))
        try FileManager.default.createSymbolicLink(
            atPath: harness.directory.url.appendingPathComponent("zero.yaml").path, withDestinationPath: "/dev/zero")
        #expect(mkfifo(harness.directory.url.appendingPathComponent("pipe.yml").path, 0o600) == 0)

        let error = #expect(throws: DiagnosticsError.self) { try harness.manifests() }
        try FileManager.default.removeItem(at: harness.directory.url.appendingPathComponent("zero.yaml"))
        try FileManager.default.removeItem(at: harness.directory.url.appendingPathComponent("pipe.yml"))
        let planning = await #expect(throws: PlannerError.self) { try await harness.plan() }

        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(
            messages.contains {
                $0.hasSuffix("zero.yaml:1:1: error: cannot read the file: it is a device, not a regular file")
            }, "\(messages)")
        #expect(
            messages.contains {
                $0.hasSuffix("pipe.yml:1:1: error: cannot read the file: it is a named pipe, not a regular file")
            }, "\(messages)")
        #expect(
            planning?.description.contains("cannot read import source /dev/zero: it is a device, not a regular file")
                == true, "\(planning?.description ?? "")")
    }
}
