import Foundation
import TailorTestSupport
import Testing

/// The `tailor` binary with its state in PostgreSQL (`TAILOR_TEST_POSTGRES_URL`, started by `scripts/test`).
@Suite(
    .serialized,
    .enabled(
        if: TestPostgres.isAvailable,
        "TAILOR_TEST_POSTGRES_URL is not set: run scripts/test or scripts/with-postgres, which start PostgreSQL"))
struct PostgresStateTests {
    /// The small project with `spec.state` in PostgreSQL under a fresh key, its URL from the environment.
    private func project(slowFetch: Int? = nil) throws -> (workspace: TemporaryDirectory, key: String) {
        let workspace = try TemporaryDirectory("tailor-e2e-pg")
        try SmallProject.write(to: workspace, slowFetch: slowFetch)
        let key = TestPostgres.uniqueKey("e2e")
        try writeProject(to: workspace, key: key, extra: ["environments: {prod: {}}", "allowFetch: true"])
        return (workspace, key)
    }

    /// Points the small project's `tailor.yaml` at PostgreSQL under `key`, with the `extra` lines in its `spec`.
    private func writeProject(to workspace: TemporaryDirectory, key: String, extra: [String] = []) throws {
        try workspace.write(
            "m/tailor.yaml",
            """
            apiVersion: tailor/v1
            kind: Project
            metadata: {name: small}
            spec:
              state: {backend: postgres, url: '${env.TAILOR_STATE_PG_URL}', key: \(key)}
              \(extra.joined(separator: "\n  "))

            """)
    }

    private let environment = ["TAILOR_STATE_PG_URL": TestPostgres.url ?? ""]

    private func run(_ arguments: [String], in workspace: TemporaryDirectory) throws -> TailorProcess.Result {
        let result = try TailorProcess.run(arguments, in: workspace.url, environment: environment)
        let password = TestPostgres.password ?? "no password"
        #expect(!result.stdout.contains(password) && !result.stderr.contains(password), "the password leaked")
        return result
    }

    /// Starts `tailor apply` on the project and returns once it is fetching its data, holding the lock (or once it
    /// stopped, or after 60 seconds).
    private func startApplyFetching(in workspace: TemporaryDirectory) throws -> TailorProcess.Running {
        let apply = try TailorProcess.start(
            ["apply", "--auto-approve", "m"], in: workspace.url, environment: environment)
        let deadline = Date().addingTimeInterval(60)
        while !apply.errorOutput.contains("fetching its data"), apply.isRunning, Date() < deadline { usleep(20_000) }
        return apply
    }

    /// The value of `ID:` in a refused operation's lock details.
    private func lockID(in text: String) -> String? {
        text.split(separator: "\n").first { $0.contains("ID:") }.map {
            $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
        }
    }

    @Test func applyPlanAndStateCommandsKeepTheStateInTheDatabase() throws {
        let (workspace, key) = try project()
        defer { workspace.remove() }

        let apply = try run(["apply", "--auto-approve", "m"], in: workspace)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: workspace.url.appendingPathComponent("m/.tailor/state.json").path))
        let plan = try run(["plan", "m", "--detailed-exitcode"], in: workspace)
        #expect(plan.status == 0, "\(plan.stdout)\n\(plan.stderr)")
        #expect(plan.stdout.contains("No changes."), "\(plan.stdout)")

        let list = try run(["state", "list", "-C", "m"], in: workspace)
        #expect(list.stdout == "dataset-group/small\nschema/small-interactions\ndataset/small-interactions\n")
        let viaFlag = try TailorProcess.run(
            ["state", "list", "--state-url", TestPostgres.url ?? "", "--state-key", key], in: workspace.url)
        #expect(viaFlag.stdout == list.stdout, "\(viaFlag.stderr)")
        let prod = try run(["state", "list", "-C", "m", "--env", "prod"], in: workspace)
        #expect(prod.status == 0 && prod.stdout.isEmpty, "another environment, another state: \(prod.stdout)")

        let move = try run(["state", "mv", "schema/small-interactions", "schema/renamed", "-C", "m"], in: workspace)
        #expect(move.stdout == "Moved schema/small-interactions to schema/renamed.\n", "\(move.stderr)")
        let remove = try run(["state", "rm", "dataset/small-interactions", "-C", "m"], in: workspace)
        #expect(remove.stdout == "Removed dataset/small-interactions (the engine keeps it).\n", "\(remove.stderr)")
        let after = try run(["state", "list", "-C", "m"], in: workspace)
        #expect(after.stdout == "dataset-group/small\nschema/renamed\n")
        let show = try run(["state", "show", "schema/renamed", "-C", "m"], in: workspace)
        #expect(show.stdout.hasPrefix("# schema/renamed\narn    = \"arn:aws:personalize:"), "\(show.stdout)")

        let unset = try TailorProcess.run(["state", "list", "-C", "m"], in: workspace.url)
        #expect(unset.status == 1)
        #expect(unset.stderr.contains("environment variable TAILOR_STATE_PG_URL (for the state URL) is not set"))
    }

    @Test func aStateFileMovesIntoTheDatabaseWithStatePush() throws {
        let workspace = try SmallProject.workspace("tailor-e2e-pg")
        defer { workspace.remove() }
        let apply = try run(["apply", "--auto-approve", "m"], in: workspace)
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        let file = workspace.url.appendingPathComponent("m/.tailor/state.json").path
        let lineage =
            try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
            )["lineage"] as? String

        // Point the project at PostgreSQL and push the file into it.
        let key = TestPostgres.uniqueKey("migrate")
        try writeProject(to: workspace, key: key)
        let empty = try run(["state", "list", "-C", "m"], in: workspace)
        #expect(empty.status == 0 && empty.stdout.isEmpty, "a new key holds no state: \(empty.stdout)")
        let push = try run(["state", "push", "m/.tailor/state.json", "-C", "m"], in: workspace)
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stdout.contains("(3 resources, lineage \(lineage ?? "?"))"), "\(push.stdout)")
        #expect(push.stdout.contains("as serial 1."), "\(push.stdout)")
        let plan = try run(["plan", "m", "--detailed-exitcode"], in: workspace)
        #expect(plan.status == 0 && plan.stdout.contains("No changes."), "\(plan.stdout)\n\(plan.stderr)")

        // `state pull` prints it back, lineage and resources kept.
        let pull = try run(["state", "pull", "-C", "m"], in: workspace)
        let pulled = try #require(try JSONSerialization.jsonObject(with: Data(pull.stdout.utf8)) as? [String: Any])
        #expect(pulled["lineage"] as? String == lineage)
        #expect(pulled["serial"] as? Int == 1)
        #expect(
            (pulled["resources"] as? [String: Any])?.keys.sorted()
                == ["dataset-group/small", "dataset/small-interactions", "schema/small-interactions"])

        // Another state is not pushed over it without --force.
        try workspace.write(
            "other.json", #"{"version": 2, "serial": 9, "lineage": "someone-else", "resources": {}}"#)
        let refused = try run(["state", "push", "other.json", "-C", "m"], in: workspace)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("it holds another state (lineage \(lineage ?? "?")"), "\(refused.stderr)")
        let forced = try run(["state", "push", "other.json", "--force", "-C", "m"], in: workspace)
        #expect(forced.status == 0, "\(forced.stderr)")
        let list = try run(["state", "list", "-C", "m"], in: workspace)
        #expect(list.status == 0 && list.stdout.isEmpty, "the forced push replaced the content: \(list.stdout)")
    }

    @Test func aKilledHoldersLockIsReleasedByTheServer() throws {
        let (workspace, _) = try project(slowFetch: 30)
        defer { workspace.remove() }

        let first = try startApplyFetching(in: workspace)
        #expect(first.errorOutput.contains("fetching its data"), "\(first.errorOutput)")

        let second = try run(["apply", "--auto-approve", "m"], in: workspace)
        #expect(second.status == 1)
        #expect(second.stderr.contains("the state is locked by another operation"), "\(second.stderr)")
        #expect(second.stderr.contains("Operation: apply"))
        #expect(second.stderr.contains("(pid \(first.pid))"))
        #expect(second.stderr.contains(":***@"), "the lock's path names the database without its password")
        let id = try #require(lockID(in: second.stderr))

        first.kill()
        try workspace.write("m/data/interactions.csv", SyntheticData().interactionsCSV())
        // Nobody breaks the lock: the server ends the dead holder's session, which releases it.
        let next = try run(["apply", "--auto-approve", "m", "--lock-timeout", "10s"], in: workspace)
        #expect(next.status == 0, "\(next.stdout)\n\(next.stderr)")
        #expect(next.stdout.contains("Apply complete! Resources: 3 added"))

        let gone = try run(["force-unlock", id, "--force", "-C", "m"], in: workspace)
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("the state is not locked (no lock on '"), "\(gone.stderr)")
    }

    @Test func forceUnlockEndsALiveHoldersSessionSoItCannotWrite() throws {
        let (workspace, _) = try project(slowFetch: 8)
        defer { workspace.remove() }

        let first = try startApplyFetching(in: workspace)
        let refused = try run(["plan", "m"], in: workspace)
        let id = try #require(lockID(in: refused.stderr), "\(refused.stderr)")
        let wrong = try run(["force-unlock", "not-\(id)", "--force", "-C", "m"], in: workspace)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("has ID \(id), not not-\(id)"), "\(wrong.stderr)")

        let unlock = try run(["force-unlock", id, "--force", "-C", "m"], in: workspace)
        #expect(unlock.status == 0, "\(unlock.stderr)")
        #expect(unlock.stderr.contains("still held the lock"))
        #expect(unlock.stderr.contains("its database session was ended"))
        let finished = first.wait()

        #expect(finished.status == 1, "\(finished.stdout)\n\(finished.stderr)")
        #expect(finished.stderr.contains("the connection holding the state lock was lost"), "\(finished.stderr)")
        let list = try run(["state", "list", "-C", "m"], in: workspace)
        #expect(list.stdout.isEmpty, "the broken holder wrote nothing: \(list.stdout)")
    }
}
