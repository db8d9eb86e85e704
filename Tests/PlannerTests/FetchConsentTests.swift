import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Fetch commands are code from the manifests: `validate` and `plan` never run them, plans show them, and apply
/// runs them only with consent (`--allow-fetch`, or `spec.allowFetch: true` in `tailor.yaml`), before it changes
/// anything.
@Suite struct FetchConsentTests {
    private static let ratings = "USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n"
    /// Leaves a marker, so a test can tell whether it ran, and writes the source.
    private static let fetching =
        #"[sh, -c, "touch fetch-ran && mkdir -p data && cp seed.csv data/ratings.csv"]"#
    private let dataset = ResourceAddress(.dataset, "interactions")
    private let solution = ResourceAddress(.solution, "top-picks")
    private let campaign = ResourceAddress(.campaign, "top-picks")

    private func write(_ directory: TemporaryDirectory, command: String = fetching, project: String? = nil) throws {
        try directory.write("group.yaml", Fixtures.group)
        try directory.write("solutions.yaml", Fixtures.solution())
        try directory.write("seed.csv", Self.ratings)
        try directory.write(
            "dataset.yaml",
            Fixtures.fetchingDataset(command: command))
        if let project { try directory.write("tailor.yaml", project) }
    }

    /// Plans, then resolves the plan's fetches as apply does.
    private func resolved(_ harness: Harness, allowed: Bool) async throws -> (approved: Plan, resolved: Plan) {
        let manifests = try harness.manifests()
        let state = try harness.state()
        let planner = Planner(service: harness.engine)
        let plan = try await planner.plan(manifests, state: state)
        return (plan, try await planner.resolvingFetches(plan, manifests: manifests, state: state, allowed: allowed))
    }

    @Test func validateAndPlanRunNoFetchCommand() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try write(harness.directory)

        _ = try harness.manifests()
        let plan = try await harness.plan()

        #expect(!harness.directory.exists("fetch-ran"), "plan ran a command from the manifests")
        #expect(!harness.directory.exists("data/ratings.csv"))
        let change = try #require(plan[dataset])
        #expect(change.action == .create)
        #expect(
            change.steps == [
                .fetchThenImport(command: [
                    "sh", "-c", "touch fetch-ran && mkdir -p data && cp seed.csv data/ratings.csv",
                ])
            ])
        #expect(change.fields.contains(FieldChange(path: "import.contentHash", before: .absent, after: .unknown)))
        #expect(plan[solution]?.steps == [.train])
    }

    @Test func thePlanShowsTheCommandWhereItIsWrittenAndWhenItRuns() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try write(harness.directory)

        let plan = try await harness.plan()

        let text = PlanRenderer.text(plan)
        let shown = "sh -c 'touch fetch-ran && mkdir -p data && cp seed.csv data/ratings.csv'"
        #expect(text.contains("#   fetch: \(shown) (runs at apply with --allow-fetch)"), "\(text)")
        #expect(text.contains("  dataset/interactions: \(shown)  ("), "\(text)")
        #expect(text.contains("dataset.yaml:10:22)"), "\(text)")
        #expect(text.contains("+ import.contentHash: (known after apply)"), "\(text)")
        let json = PlanJSON.value(plan).mapValue
        let fetches = json?["tailor"]?.mapValue?["fetches"]?.listValue
        let fetch = try #require(fetches?.first?.mapValue)
        #expect(fetches?.count == 1)
        #expect(fetch["address"] == .string("dataset/interactions"))
        #expect(fetch["command"]?.listValue?.first == .string("sh"))
        #expect(fetch["location"]?.stringValue?.hasSuffix("dataset.yaml:10:22") == true)
        let change = json?["resource_changes"]?.listValue?.first {
            $0.mapValue?["address"] == .string("dataset/interactions")
        }
        let unknown = change?.mapValue?["change"]?.mapValue?["after_unknown"]?.mapValue
        #expect(unknown?["import"]?.mapValue?["contentHash"] == .bool(true))
    }

    @Test func withoutConsentApplyFailsBeforeChangingAnything() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try write(harness.directory)

        let error = await #expect(throws: PlannerError.self) { try await resolved(harness, allowed: false) }
        let plan = try await harness.plan()
        await #expect(throws: PlannerError.self, "the applier never fetches") { try await harness.apply(plan) }

        let message = try #require(error).description
        #expect(
            message.contains(
                "dataset.yaml:10:22: error: dataset/interactions: its import source data/ratings.csv is missing, and "
                    + "apply would run the manifest's fetch command to obtain it: sh -c 'touch fetch-ran"),
            "\(message)")
        #expect(message.contains("pass --allow-fetch to apply, or set 'spec.allowFetch: true'"))
        #expect(!harness.directory.exists("fetch-ran"))
        #expect(await harness.engine.calls.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: harness.store.path))
    }

    @Test func withConsentApplyFetchesFirstThenImportsWhatWasFetched() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try write(harness.directory)

        let (_, plan) = try await resolved(harness, allowed: true)
        #expect(harness.directory.exists("fetch-ran"))
        #expect(await harness.engine.calls.isEmpty, "the fetch ran before any change")
        let summary = try await harness.apply(plan)

        let hash = SpecHash.digest(Data(Self.ratings.utf8))
        #expect(plan[dataset]?.steps == [.importData(contentHash: hash)])
        #expect(summary.succeeded)
        #expect(try harness.state()[dataset]?.string(StateEntry.Key.importContentHash) == hash)
        #expect(try await !harness.plan().hasChanges)
    }

    @Test func aMissingSourceAlreadyImportedIsImportedAgainOnlyIfItsContentChanged() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try write(harness.directory)
        let (_, first) = try await resolved(harness, allowed: true)
        #expect(try await harness.apply(first).succeeded)
        try FileManager.default.removeItem(at: harness.directory.url.appendingPathComponent("data"))

        let (approved, same) = try await resolved(harness, allowed: true)

        let change = try #require(approved[dataset])
        #expect(change.action == .update)
        #expect(change.notes.contains { $0.hasPrefix("re-import: data/ratings.csv is missing; once fetched") })
        let before = FieldChange(
            path: "import.contentHash", before: .known(.string(SpecHash.digest(Data(Self.ratings.utf8)))),
            after: .unknown)
        #expect(change.fields == [before])
        #expect(
            approved[solution]?.notes.contains("retrain: if dataset/interactions is imported again once fetched")
                == true)
        #expect(!same.hasChanges, "the same data again changes nothing: \(PlanRenderer.text(same))")

        try FileManager.default.removeItem(at: harness.directory.url.appendingPathComponent("data"))
        try harness.directory.write("seed.csv", Self.ratings + "3,4,5\n")
        let (_, changed) = try await resolved(harness, allowed: true)
        let hash = SpecHash.digest(Data((Self.ratings + "3,4,5\n").utf8))
        #expect(changed[dataset]?.steps == [.importData(contentHash: hash)])
        #expect(changed[solution]?.steps == [.train])
        #expect(try await harness.apply(changed).succeeded)
    }

    @Test func fetchedDataCannotBringChangesThePlanDidNotShow() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try write(harness.directory)
        let approved = try await harness.plan()

        var fresh = approved
        let index = try #require(fresh.changes.firstIndex { $0.address == campaign })
        fresh.changes[index].fields.append(FieldChange(path: "tags.team", before: .absent, after: .known(.string("x"))))
        fresh.changes.append(ResourceChange(address: ResourceAddress(.filter, "extra"), action: .create))

        #expect(
            approved.unapproved(in: fresh) == [
                "campaign/top-picks: tags.team (none) → \"x\" was not in the approved plan",
                "filter/extra would be created; the approved plan did not change it",
            ])
        #expect(approved.unapproved(in: approved).isEmpty)
    }

    @Test func theProjectFileCanAllowFetchCommands() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try write(
            harness.directory,
            project: "apiVersion: tailor/v1\nkind: Project\nmetadata: {name: p}\nspec: {allowFetch: true}\n")

        let manifests = try harness.manifests()
        let plan = try await harness.plan()

        #expect(manifests.allowFetch)
        #expect(!harness.directory.exists("fetch-ran"), "the project's consent is for apply, not plan")
        #expect(plan[dataset]?.notes.contains { $0.hasSuffix("(runs at apply: tailor.yaml sets allowFetch)") } == true)
    }

    @Test func fetchCommandsRunExactlyAsWritten() throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try write(
            harness.directory, command: #"[sh, "${var.script}"]"#,
            project: """
                apiVersion: tailor/v1
                kind: Project
                metadata: {name: p}
                spec:
                  variables: {script: {type: string, default: fetch.sh}}

                """)

        let error = #expect(throws: DiagnosticsError.self) { try harness.manifests() }

        #expect(
            error?.diagnostics.contains {
                $0.description.hasSuffix(
                    "dataset.yaml:10:27: error: 'spec.import.fetch.command.1' is run by apply exactly as written, so "
                        + "it cannot use ${...}: a value from variables or the environment would change what runs "
                        + "without a change to the reviewed manifest")
            } == true, "\(error?.description ?? "")")
    }

    @Test func aSavedPlanCarriesNoConsent() async throws {
        let harness = try Harness()
        defer { harness.directory.remove() }
        try write(harness.directory)
        let manifests = try harness.manifests()
        let planner = Planner(service: harness.engine)
        let plan = try await planner.plan(manifests, state: harness.state())
        let saved = try PlanFile.decode(PlanFile(plan: plan, directory: harness.directory.path).encoded(), file: "p")

        let replanned = try await planner.replan(saved, manifests: manifests, state: harness.state())

        #expect(replanned.pendingFetches.map(\.address) == [dataset])
        await #expect(throws: PlannerError.self) {
            try await planner.resolvingFetches(replanned, manifests: manifests, state: harness.state(), allowed: false)
        }
        #expect(!harness.directory.exists("fetch-ran"))
    }

    @Test func commandsAreShownAsTheyRunWithHiddenCharactersEscaped() {
        let shown = PendingFetch.display(["python3", "fetch data", "a'b", "\u{1B}[2Kx", "safe\u{202E}txt", ""])

        #expect(shown == #"python3 'fetch data' 'a'\''b' $'\u{1B}[2Kx' $'safe\u{202E}txt' ''"#)
    }
}
