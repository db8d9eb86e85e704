import Foundation
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct StateStoreTests {
    private func entry(_ arn: String) -> StateEntry {
        StateEntry(
            arn: arn, status: .ready, spec: ["recipe": .string("aws-popularity-count")],
            attributes: ["solutionVersionArn": .string(arn + "/1")])
    }

    @Test func anAbsentFileIsAnEmptyState() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))

        let state = try store.load()

        #expect(state == .empty)
        #expect(store.path == directory.url.appendingPathComponent(".tailor/state.json").path)
    }

    @Test func writesAtomicallyIncrementingTheSerialKeepingLineageAndABackup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url), makeLineage: { "lineage-1" })
        var state = State.empty
        state[ResourceAddress(.solution, "a")] = entry("arn:a")

        let first = try store.write(state)
        let firstFile = try directory.read(".tailor/state.json")
        var next = first
        next[ResourceAddress(.campaign, "b")] = entry("arn:b")
        let second = try store.write(next)

        #expect(first.serial == 1)
        #expect(first.lineage == "lineage-1")
        #expect(second.serial == 2)
        #expect(second.lineage == "lineage-1")
        #expect(try store.load() == second)
        #expect(try directory.read(".tailor/state.json.backup") == firstFile)
        let files = try FileManager.default.contentsOfDirectory(
            atPath: directory.url.appendingPathComponent(".tailor").path)
        #expect(files.sorted() == ["state.json", "state.json.backup"])
        let json =
            try JSONSerialization.jsonObject(with: Data(directory.read(".tailor/state.json").utf8)) as? [String: Any]
        #expect(json?["version"] as? Int == 2)
        #expect(json?["serial"] as? Int == 2)
        let resources = json?["resources"] as? [String: Any]
        #expect(resources?.keys.sorted() == ["campaign/b", "solution/a"])
    }

    @Test func aCorruptFileIsAnErrorNamingTheFileAndIsLeftAlone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(".tailor/state.json", "{\"version\": 1, \"serial\": ")
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))

        let error = #expect(throws: StateError.self) { try store.load() }

        guard case .corrupt(let file, _)? = error else {
            Issue.record("expected a corrupt-state error, got \(String(describing: error))")
            return
        }
        #expect(file == store.path)
        #expect(error?.description.contains(store.path) == true)
        #expect(try directory.read(".tailor/state.json") == "{\"version\": 1, \"serial\": ")
    }

    @Test func aNewerVersionIsRejected() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(".tailor/state.json", #"{"version": 3, "serial": 9, "lineage": "x", "future": true}"#)
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))

        let error = #expect(throws: StateError.self) { try store.load() }

        #expect(error == .unsupportedVersion(file: store.path, version: 3, highestSupported: 2))
        #expect(error?.description.contains("upgrade Tailor") == true)
    }

    @Test func aMissingFieldIsReportedByPath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            ".tailor/state.json", #"{"version": 1, "serial": 1, "lineage": "x", "resources": {"solution/a": {}}}"#)
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))

        let error = #expect(throws: StateError.self) { try store.load() }

        #expect(error?.description.contains("missing 'resources.solution/a.arn'") == true)
    }

    @Test func readsVersion1AndWritesVersion2WithOutputsAndDeposedObjects() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            ".tailor/state.json",
            #"{"version": 1, "serial": 4, "lineage": "old", "resources": {"solution/a": "#
                + #"{"arn": "arn:a", "status": "ready", "specHash": "x", "spec": {}, "attributes": {}, "dependencies": []}}}"#
        )
        let store = StateStore(url: StateStore.defaultURL(forManifests: directory.url))

        var state = try store.load()
        #expect(state.serial == 4)
        #expect(state.lineage == "old")
        #expect(state.addresses == [ResourceAddress(.solution, "a")])
        state.outputs["arn"] = OutputValue(value: .string("arn:a"))
        state.deposed[ResourceAddress(.solution, "a")] = [entry("arn:old")]
        let written = try store.write(state)

        #expect(try store.load() == written)
        let json = try JSONSerialization.jsonObject(with: Data(directory.read(".tailor/state.json").utf8))
        #expect((json as? [String: Any])?["version"] as? Int == 2)
    }
}
