import Foundation

/// A dataset source that is missing and that apply fetches with the manifest's `import.fetch.command` before it
/// changes anything. Fetch commands are code from the manifests: plans only show them; apply runs them only
/// with consent (`--allow-fetch`, or `spec.allowFetch: true` in `tailor.yaml`).
package struct PendingFetch: Sendable, Hashable {
    /// The dataset.
    package var address: ResourceAddress
    /// Its import: the source, the command and the folder the command runs in.
    package var dataImport: DatasetImport

    /// The command (argv, run without a shell).
    package var command: [String] { dataImport.fetchCommand ?? [] }

    /// Where the command is written.
    package var location: SourceLocation { dataImport.fetchLocation ?? dataImport.location }

    /// The note a plan shows on the dataset: what runs, and when.
    static func note(_ command: [String], allowedByProject: Bool) -> String {
        "fetch: \(display(command)) "
            + (allowedByProject ? "(runs at apply: tailor.yaml sets allowFetch)" : "(runs at apply with --allow-fetch)")
    }

    /// The command as a reviewer must read it: each argument that a shell would split or expand is quoted, and
    /// control and invisible characters (terminal escapes, bidirectional overrides) are escaped, so what is
    /// shown is what runs.
    package static func display(_ command: [String]) -> String {
        command.map(quoted).joined(separator: " ")
    }

    private static func quoted(_ argument: String) -> String {
        let plain = argument.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || "0123456789@%+=:,./_-".unicodeScalars.contains(scalar))
        }
        if plain, !argument.isEmpty { return argument }
        let hidden = argument.unicodeScalars.contains(where: isHidden)
        guard hidden else { return "'" + argument.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
        var escaped = "$'"
        for scalar in argument.unicodeScalars {
            switch scalar {
            case "\\": escaped += #"\\"#
            case "'": escaped += #"\'"#
            case _ where isHidden(scalar): escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "'"
    }

    /// Control characters, format characters (bidirectional overrides, zero-width characters) and the like.
    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned: true
        default: false
        }
    }
}

extension Plan {
    /// The fetches apply must run before it changes anything, in address order.
    package var pendingFetches: [PendingFetch] {
        changes.compactMap { change in
            guard change.steps.contains(where: \.isFetch), case .dataset(let spec)? = change.desired?.spec,
                let dataImport = spec.dataImport
            else { return nil }
            return PendingFetch(address: change.address, dataImport: dataImport)
        }
    }
}

extension ManagedStep {
    /// Whether the step fetches a missing source first.
    var isFetch: Bool {
        if case .fetchThenImport = self { return true }
        return false
    }
}
