import Foundation

/// The PostgreSQL server the state backend's tests use: `scripts/test` starts a throwaway one
/// (`scripts/with-postgres`) and sets `TAILOR_TEST_POSTGRES_URL`. Suites that need it are enabled only when
/// it is set, so a plain `swift test` lists them as skipped with the reason rather than passing them.
public enum TestPostgres {
    /// The server's URL, with its password.
    public static let url: String? = ProcessInfo.processInfo.environment["TAILOR_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// Whether a server is available.
    public static var isAvailable: Bool { url != nil }

    /// A state key no other test uses.
    public static func uniqueKey(_ label: String) -> String {
        "test-\(label)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The server URL's password (to check that messages never show it).
    public static var password: String? {
        url.flatMap { URLComponents(string: $0)?.password }
    }
}
