import Foundation

/// Why credentials could not be read.
package enum CredentialsError: Error, Hashable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    case incompleteProfile(path: String, profile: String)
    case missingProfile(path: String, profile: String)

    package var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read the AWS credentials file \(path): \(reason)"
        case .incompleteProfile(let path, let profile):
            "profile [\(profile)] in \(path) needs both aws_access_key_id and aws_secret_access_key"
        case .missingProfile(let path, let profile):
            "no profile [\(profile)] in \(path); set AWS_PROFILE to one of its profiles"
        }
    }
}

/// The AWS SDKs' configuration sources: environment variables and the shared credentials file.
package enum AWSEnvironment {
    /// `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`.
    package static func region(_ environment: [String: String]) -> String {
        for name in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return "us-east-1"
    }

    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`), else the profile
    /// `AWS_PROFILE` (or `default`) of `AWS_SHARED_CREDENTIALS_FILE` (or `~/.aws/credentials`), else nil.
    ///
    /// - Throws: ``CredentialsError`` when the file exists but cannot be used.
    package static func credentials(_ environment: [String: String]) throws(CredentialsError) -> SigV4Credentials? {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        if let id = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") {
            return SigV4Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        }
        let home = value("HOME") ?? NSHomeDirectory()
        let path = value("AWS_SHARED_CREDENTIALS_FILE") ?? "\(home)/.aws/credentials"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text: String
        do {
            text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        } catch {
            throw .unreadableFile(path: path, reason: error.localizedDescription)
        }
        let explicitProfile = value("AWS_PROFILE")
        let profile = explicitProfile ?? "default"
        guard let section = iniSections(text)[profile] else {
            if explicitProfile != nil { throw .missingProfile(path: path, profile: profile) }
            return nil
        }
        guard let id = section["aws_access_key_id"], let secret = section["aws_secret_access_key"] else {
            throw .incompleteProfile(path: path, profile: profile)
        }
        return SigV4Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: section["aws_session_token"])
    }

    /// The `key = value` pairs of each `[section]` of an INI file (comments with `#` or `;`).
    static func iniSections(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = name.hasPrefix("profile ") ? String(name.dropFirst(8)) : name
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current, default: [:]][key] = value
        }
        return sections
    }
}
