import Foundation
import Logging
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct StateSelectionTests {
    private let logger = Logger(label: "tailor.test.selection")

    private func project(_ state: String, name: String = "shop") -> String {
        """
        apiVersion: tailor/v1
        kind: Project
        metadata: {name: \(name)}
        spec:
          environments: {prod: {}}
        \(state.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))

        """
    }

    private func backend(
        _ directory: TemporaryDirectory, environment: String? = nil, selection: StateSelection = StateSelection(),
        processEnvironment: [String: String] = [:]
    ) throws(DiagnosticsError) -> any StateBackend {
        try selection.backend(
            for: Workspace(directory: directory.url, environment: environment), environment: processEnvironment,
            logger: logger)
    }

    @Test func withoutSettingsTheStateIsTheEnvironmentsFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        let plain = try backend(directory)
        try directory.write("tailor.yaml", project("state: {backend: file}"))
        let prod = try backend(directory, environment: "prod")

        #expect((plain as? StateStore)?.path == directory.url.appendingPathComponent(".tailor/state.json").path)
        #expect(
            (prod as? StateStore)?.path == directory.url.appendingPathComponent(".tailor/env/prod/state.json").path)
        let file = try backend(directory, selection: StateSelection(path: "/tmp/x.json"))
        #expect((file as? StateStore)?.path == "/tmp/x.json")
    }

    @Test func theProjectSelectsPostgresWithTheURLFromTheEnvironmentAndTheKeyPerEnvironment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "tailor.yaml", project("state: {backend: postgres, url: '${env.STATE_URL}', key: movielens}"))
        let environment = ["STATE_URL": "postgres://ops:hunter2@db:5432/tailor"]

        let base = try #require(try backend(directory, processEnvironment: environment) as? PostgresStateStore)
        let prod = try #require(
            try backend(directory, environment: "prod", processEnvironment: environment) as? PostgresStateStore)

        #expect(base.key == "movielens")
        #expect(prod.key == "movielens/prod")
        #expect(prod.url.password == "hunter2")
        #expect(prod.location == "'movielens/prod' in postgres://ops:***@db:5432/tailor")
    }

    @Test func theCommandLineWinsAndTheKeyDefaultsToTheProjectsName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("tailor.yaml", project("state: {backend: file}", name: "shop"))

        let chosen = try backend(directory, selection: StateSelection(url: "postgres://u@h/d"))
        let keyed = try backend(directory, selection: StateSelection(url: "postgres://u@h/d", key: "team/shop"))

        #expect((chosen as? PostgresStateStore)?.key == "shop")
        #expect((keyed as? PostgresStateStore)?.key == "team/shop")
    }

    @Test func problemsAreLocatedAndNeverQuoteThePassword() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cases: [(state: String, expected: String)] = [
            (
                "state: {backend: postgres, url: 'postgres://u:hunter2@h/d'}",
                "tailor.yaml:6:35: error: the database password would be committed"
            ),
            (
                "state: {backend: postgres, url: '${env.MISSING}'}",
                "tailor.yaml:6:35: error: environment variable MISSING (for the state URL) is not set"
            ),
            (
                "state: {backend: postgres, url: '${var.url}'}",
                "the state URL can use only ${env.NAME}, not '${var.url}'"
            ),
            ("state: {backend: postgres}", "the postgres backend needs 'url'"),
            ("state: {backend: file, key: x}", "'key' is only for the postgres backend"),
            ("state: {backend: postgress}", "did you mean 'postgres'?"),
            ("state: {backend: postgres, url: '${env.URL}', kye: x}", "did you mean 'key'?"),
        ]
        for (state, expected) in cases {
            try directory.write("tailor.yaml", project(state))
            let error = #expect(throws: DiagnosticsError.self) {
                try backend(directory, processEnvironment: ["URL": "postgres://u@h/d"])
            }
            #expect(error?.description.contains(expected) == true, "\(state): \(String(describing: error))")
            #expect(error?.description.contains("hunter2") == false)
        }

        try directory.write("tailor.yaml", project("state: {backend: file}"))
        let badURL = #expect(throws: DiagnosticsError.self) {
            try backend(directory, selection: StateSelection(url: "postgres://u:hunter2@h/d?ssl=1"))
        }
        #expect(badURL?.description.contains("--state-url: error: state URL: 'postgres://u:***@h/d?ssl=1'") == true)
        let both = #expect(throws: DiagnosticsError.self) {
            try backend(directory, selection: StateSelection(path: "s.json", url: "postgres://h/d"))
        }
        #expect(both?.description.contains("--state and --state-url exclude each other") == true)
    }

    @Test func withoutAProjectTheKeyMustBeGiven() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let error = #expect(throws: DiagnosticsError.self) {
            try backend(directory, selection: StateSelection(url: "postgres://u@h/d"))
        }
        #expect(error?.description.contains("needs a key") == true)
    }
}
