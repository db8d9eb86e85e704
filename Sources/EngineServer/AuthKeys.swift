import Foundation

/// The access keys `tailor serve` accepts, each with its secret.
package struct AuthKeys: Sendable, Hashable {
    /// Secret access keys by access key id.
    package var secrets: [String: String]

    package init(_ secrets: [String: String]) {
        self.secrets = secrets
    }

    /// Why the keys could not be read.
    package enum LoadError: Error, Hashable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case malformedLine(path: String, line: Int)
        case empty(path: String)
        case incompleteEnvironment(missing: String)

        package var description: String {
            switch self {
            case .unreadable(let path, let reason):
                "cannot read the auth keys file \(path): \(reason)"
            case .malformedLine(let path, let line):
                "\(path):\(line): expected 'ACCESS_KEY_ID SECRET_ACCESS_KEY' (two words separated by spaces)"
            case .empty(let path):
                "\(path) holds no keys; write one 'ACCESS_KEY_ID SECRET_ACCESS_KEY' line per key"
            case .incompleteEnvironment(let missing):
                "set \(missing) too, or neither TAILOR_AUTH_ACCESS_KEY_ID nor TAILOR_AUTH_SECRET_ACCESS_KEY"
            }
        }
    }

    /// Parses a keys file: one `ACCESS_KEY_ID SECRET` per line; blank lines and `#` comments ignored.
    ///
    /// - Throws: ``LoadError`` naming the file and line.
    package static func parse(_ text: String, path: String) throws(LoadError) -> AuthKeys {
        var secrets: [String: String] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if words.isEmpty || words[0].hasPrefix("#") { continue }
            guard words.count == 2 else { throw .malformedLine(path: path, line: index + 1) }
            secrets[String(words[0])] = String(words[1])
        }
        guard !secrets.isEmpty else { throw .empty(path: path) }
        return AuthKeys(secrets)
    }

    /// The keys from `--auth-keys FILE`, else from `TAILOR_AUTH_ACCESS_KEY_ID` and
    /// `TAILOR_AUTH_SECRET_ACCESS_KEY`, else `nil` (no authentication).
    ///
    /// - Throws: ``LoadError``.
    package static func load(file: String?, environment: [String: String]) throws(LoadError) -> AuthKeys? {
        if let file {
            let text: String
            do {
                text = try String(contentsOf: URL(fileURLWithPath: file), encoding: .utf8)
            } catch {
                throw .unreadable(path: file, reason: error.localizedDescription)
            }
            return try parse(text, path: file)
        }
        let id = environment["TAILOR_AUTH_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["TAILOR_AUTH_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (id, secret) {
        case (let id?, let secret?): return AuthKeys([id: secret])
        case (nil, nil): return nil
        case (nil, _): throw .incompleteEnvironment(missing: "TAILOR_AUTH_ACCESS_KEY_ID")
        case (_, nil): throw .incompleteEnvironment(missing: "TAILOR_AUTH_SECRET_ACCESS_KEY")
        }
    }
}
