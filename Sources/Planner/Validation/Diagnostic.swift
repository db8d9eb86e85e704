/// One problem found in the manifests, printable as `file:line:col: error: message`.
package struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    /// How bad the problem is.
    package enum Severity: String, Hashable, Sendable, Codable {
        case error
        case warning
    }

    /// Where the problem is.
    package var location: SourceLocation
    /// Whether the problem stops validation.
    package var severity: Severity
    /// What is wrong and what to do about it.
    package var message: String

    package init(_ severity: Severity = .error, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// The file the problem is in.
    package var file: String { location.file }
    /// The 1-based line (0 for a whole file).
    package var line: Int { location.line }
    /// The 1-based column (0 for a whole file).
    package var column: Int { location.column }

    /// `file:line:col: error: message`.
    package var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Every problem found in one pass over the manifests, sorted by file and position.
package struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    /// The problems, sorted by file, line and column.
    package var diagnostics: [Diagnostic]

    package init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sortedByLocation()
    }

    /// One diagnostic per line.
    package var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

extension Array where Element == Diagnostic {
    /// The diagnostics sorted by file, line, column and message, duplicates removed.
    package func sortedByLocation() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return filter { seen.insert($0).inserted }.sorted {
            ($0.file, $0.line, $0.column, $0.message) < ($1.file, $1.line, $1.column, $1.message)
        }
    }

    /// Whether any diagnostic is an error (warnings do not fail validation).
    package var containsErrors: Bool { contains { $0.severity == .error } }
}
