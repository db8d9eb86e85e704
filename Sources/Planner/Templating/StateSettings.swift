/// `spec.state` of `tailor.yaml`: where the state lives.
///
/// ```yaml
/// state:
///   backend: postgres
///   url: ${env.TAILOR_STATE_PG_URL}    # postgres://USER:PASSWORD@HOST:PORT/DATABASE, from the environment
///   key: movielens                     # `--env prod` uses movielens/prod
/// ```
///
/// Only `${env.NAME}` may appear in the URL (variables come from values files, which depend on the state's
/// environment), and a password written in the file itself is refused: it would be committed.
package struct StateSettings: Sendable, Hashable {
    /// The kinds of state backend.
    package enum Backend: String, Sendable, Hashable, CaseIterable {
        /// `.tailor/state.json` beside the manifests (`.tailor/env/NAME/state.json` for an environment).
        case file
        /// A table in a PostgreSQL database.
        case postgres
    }

    package var backend: Backend
    /// The database URL as written, with `${env.NAME}` references.
    package var url: String?
    /// The state's key in the database.
    package var key: String?
    /// Where the URL is written, for messages.
    package var urlLocation: SourceLocation

    static let fields: [FieldDefinition] = [
        FieldDefinition(
            "backend", .oneOf(Backend.allCases.map(\.rawValue)), required: true,
            "file (.tailor/state.json beside the manifests, the default) or postgres (a table shared by a team)"),
        FieldDefinition(
            "url", .string,
            "postgres: the database, postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require; write it as "
                + "${env.NAME} so that the password stays out of the repository"),
        FieldDefinition(
            "key", .string,
            "postgres: the state's key (default: the project's name); --env NAME appends /NAME"),
    ]

    static func parse(_ mapping: MappingView, checker: inout SpecChecker) -> StateSettings? {
        guard let backend = mapping.string("backend").flatMap(Backend.init(rawValue:)) else { return nil }
        let settings = StateSettings(
            backend: backend, url: mapping.string("url"), key: mapping.string("key"),
            urlLocation: mapping.location("url"))
        switch backend {
        case .file:
            for field in ["url", "key"] where mapping.value(field) != nil {
                checker.report(mapping.location(field), "'\(field)' is only for the postgres backend")
            }
        case .postgres:
            guard let url = settings.url else {
                checker.report(
                    mapping.location("backend"),
                    "the postgres backend needs 'url', e.g. url: ${env.TAILOR_STATE_PG_URL}")
                break
            }
            if !url.contains("${"), (try? PostgresURL(url))?.password != nil {
                checker.report(
                    settings.urlLocation,
                    "the database password would be committed with tailor.yaml; take the URL from the "
                        + "environment instead, e.g. url: ${env.TAILOR_STATE_PG_URL} (or set PGPASSWORD)")
            }
            if settings.key?.isEmpty == true { checker.report(mapping.location("key"), "'key' must not be empty") }
        }
        return settings
    }

    /// The URL with `${env.NAME}` replaced from `environment`.
    ///
    /// - Parameter environment: The process environment.
    /// - Returns: The URL; nil when there is none.
    /// - Throws: ``DiagnosticsError`` for an unset variable or another kind of `${...}`.
    func resolvedURL(environment: [String: String]) throws(DiagnosticsError) -> String? {
        guard let url else { return nil }
        guard let pieces = Template.parse(url) else {
            throw DiagnosticsError([Diagnostic(at: urlLocation, "unterminated '${' in the state URL")])
        }
        var resolved = ""
        var problems: [Diagnostic] = []
        for piece in pieces {
            switch piece {
            case .text(let text): resolved += text
            case .expression(let expression):
                guard expression.hasPrefix("env."), expression.count > 4 else {
                    problems.append(
                        Diagnostic(at: urlLocation, "the state URL can use only ${env.NAME}, not '${\(expression)}'"))
                    continue
                }
                let name = String(expression.dropFirst(4))
                guard let value = environment[name] else {
                    problems.append(
                        Diagnostic(at: urlLocation, "environment variable \(name) (for the state URL) is not set"))
                    continue
                }
                resolved += value
            }
        }
        guard problems.isEmpty else { throw DiagnosticsError(problems) }
        return resolved
    }
}
