import Testing

@testable import Planner

@Suite struct PostgresURLTests {
    @Test func readsEveryPartWithLibpqDefaults() throws {
        let url = try PostgresURL(
            "postgresql://ops:p%40ss@db.internal:6543/tailor?sslmode=require&connect_timeout=3")
        #expect(url.username == "ops")
        #expect(url.password == "p@ss")
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(url.database == "tailor")
        #expect(url.sslMode == .require)
        #expect(url.connectTimeout == 3)
        #expect(url.masked == "postgresql://ops:***@db.internal:6543/tailor?sslmode=require&connect_timeout=3")

        let defaults = try PostgresURL("postgres://", environment: ["USER": "me", "PGPASSWORD": "pw"])
        #expect(defaults.username == "me")
        #expect(defaults.password == "pw")
        #expect(defaults.host == "localhost")
        #expect(defaults.port == 5432)
        #expect(defaults.database == nil)
        #expect(defaults.sslMode == .prefer)

        let socket = try PostgresURL("postgres://me@/db?host=/run/postgresql&port=5433")
        #expect(socket.socketDirectory == "/run/postgresql")
        #expect(socket.port == 5433)
    }

    @Test func badURLsSayWhatIsWrongWithoutThePassword() {
        let cases: [(String, String)] = [
            ("mysql://u:hunter2@h/db", "is not a postgres:// URL (its scheme is 'mysql')"),
            (
                "postgres://u:hunter2@h/db?sslmode=verify_full",
                "unknown sslmode 'verify_full'; did you mean 'verify-full'?"
            ),
            ("postgres://u:hunter2@h/db?sslmod=disable", "unknown parameter 'sslmod'; did you mean 'sslmode'?"),
            ("postgres://u:hunter2@h:99999/db", "port 99999 is out of range"),
            ("postgres://u:hunter2@h/db?connect_timeout=soon", "connect_timeout 'soon' is not a positive number"),
        ]
        for (text, expected) in cases {
            let error = #expect(throws: PostgresURLError.self) { try PostgresURL(text) }
            #expect(error?.description.contains(expected) == true, "\(text): \(String(describing: error))")
            #expect(error?.description.contains("hunter2") == false)
        }
    }

    @Test func masksPasswordsAnywhereInAText() {
        #expect(
            PostgresURL.mask("a postgres://u:s3cr@t@h:1/d and postgres://v@h/d")
                == "a postgres://u:***@h:1/d and postgres://v@h/d")
        #expect(PostgresURL.mask("no url") == "no url")
    }
}
