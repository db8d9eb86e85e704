import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Corrupt and hostile state files, saved plans and lock files give a clear error that names the file and the
/// field, never a crash: numbers out of range, wrong types, missing fields, deep nesting, huge files.
@Suite struct StateFileLimitsTests {
    private static func stateJSON(serial: String = "7", generation: String = "2", extra: String = "") -> String {
        """
        {"version": 2, "serial": \(serial), "lineage": "l", "outputs": {}, "deposed": {}, "resources": {
          "dataset/d": {"arn": "arn:aws:personalize:local:000000000000:dataset/g/INTERACTIONS", "status": "ready",
            "specHash": "sha256:x", "spec": {}, "dependencies": [],
            "attributes": {"importGeneration": \(generation)\(extra)}}}}
        """
    }

    private func decode(_ text: String) -> String? {
        do {
            _ = try StateStore.decode(Data(text.utf8), file: "state.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aSerialThatCannotBeIncrementedIsRefusedOnRead() throws {
        let message = decode(Self.stateJSON(serial: "9223372036854775807"))

        #expect(
            message
                == "state file state.json is corrupt: 'serial' is 9223372036854775807; it must be between 0 and "
                + "9007199254740992; restore it from state.json.backup or version control (it is never replaced "
                + "automatically)")
        #expect(decode(Self.stateJSON(serial: "-1"))?.contains("'serial' is -1") == true)
    }

    @Test func writingAStateAtTheLargestSerialIsAnErrorNotATrap() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))

        #expect(throws: StateError.self) { try store.write(State(serial: Int.max, lineage: "l")) }
        #expect(throws: StateError.self) { try store.write(State(serial: -5, lineage: "l")) }
    }

    @Test func countersOutOfRangeOrOfTheWrongTypeNameTheirField() {
        for value in ["9223372036854775807", "-3", "\"two\"", "1.5", "[]"] {
            let message = decode(Self.stateJSON(generation: value))

            #expect(
                message?.contains("'resources.dataset/d.attributes.importGeneration' is ") == true
                    && message?.contains("it must be an integer between 0 and 1000000000") == true,
                "\(value): \(message ?? "decoded")")
        }
        #expect(decode(Self.stateJSON(generation: "3")) == nil)
    }

    @Test func wrongTypesAndMissingFieldsAreCorruptNotCrashes() {
        #expect(decode(Self.stateJSON(serial: "\"7\""))?.contains("wrong type at 'serial'") == true)
        #expect(decode(#"{"version": 2, "serial": 1, "resources": {}}"#)?.contains("missing 'lineage'") == true)
        #expect(decode(#"{"version": "2"}"#)?.contains("numeric 'version'") == true)
        #expect(decode("[1, 2")?.contains("is corrupt") == true)
        #expect(decode(#"{"version": 99999999999999999999}"#)?.contains("numeric 'version'") == true)
        #expect(decode(#"{"version": -9223372036854775808}"#)?.contains("unknown version") == true)
        let badAddress = Self.stateJSON().replacingOccurrences(of: "\"dataset/d\"", with: "\"no-slash\"")
        #expect(decode(badAddress)?.contains("'no-slash' is not a resource address") == true)
    }

    @Test func deepNestingIsRefusedBeforeDecoding() {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)

        let message = decode(Self.stateJSON(extra: ", \"x\": \(deep)"))

        #expect(message?.contains("nested more than 100 deep") == true, "\(message ?? "decoded")")
    }

    @Test func bracketsInsideStringsDoNotCountAsNesting() {
        let quoted = "\"" + String(repeating: "[{\\\"", count: 200) + "\""
        #expect(StateLimits.problem(with: Data("{\"x\": \(quoted)}".utf8)) == nil)
        let afterEscapedQuote = "{\"x\": \"\\\"\", \"y\": " + String(repeating: "[", count: 101) + "}"
        #expect(StateLimits.problem(with: Data(afterEscapedQuote.utf8))?.contains("nested more than 100") == true)
    }

    @Test func hugeFilesAreRefusedUnread() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: directory.url.appendingPathComponent("state.json"))
        #expect(FileManager.default.createFile(atPath: store.path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: store.path))
        try handle.truncate(atOffset: UInt64(StateLimits.fileBytes + 1))
        try handle.close()

        let error = #expect(throws: StateError.self) { try store.load() }

        #expect(
            error?.description.contains("it has \(StateLimits.fileBytes + 1) bytes; Tailor reads at most 64 MiB")
                == true)
    }

    @Test func aSavedPlanWithHostileNumbersIsRefusedOrHarmless() {
        let plan = #"{"format": "tailor-plan", "version": 9223372036854775807}"#
        let deep = #"{"format": "tailor-plan", "version": 1, "x": "# + String(repeating: "[", count: 1_000) + "]"

        #expect(throws: PlanFileError.self) { try PlanFile.decode(Data(plan.utf8), file: "p.json") }
        #expect(throws: PlanFileError.self) { try PlanFile.decode(Data(deep.utf8), file: "p.json") }
    }
}
