/// Diagnostics as `terraform validate -json` prints them, so editors, reviewdog and annotation converters
/// read ours: `{format_version, valid, error_count, warning_count, diagnostics: [{severity, summary,
/// range: {filename, start: {line, column}}}]}`.
package enum ValidationJSON {
    /// The result as pretty JSON.
    package static func string(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        return PrettyJSON.string(
            .map([
                "format_version": .string("1.0"),
                "valid": .bool(errors == 0),
                "error_count": .int(errors),
                "warning_count": .int(diagnostics.count - errors),
                "diagnostics": .list(diagnostics.map(value)),
            ]))
    }

    private static func value(_ diagnostic: Diagnostic) -> SpecValue {
        var entry: [String: SpecValue] = [
            "severity": .string(diagnostic.severity.rawValue), "summary": .string(diagnostic.message),
            "detail": .string(""),
        ]
        if diagnostic.line > 0 {
            let position: SpecValue = .map(["line": .int(diagnostic.line), "column": .int(diagnostic.column)])
            entry["range"] = .map(["filename": .string(diagnostic.file), "start": position, "end": position])
        } else {
            entry["range"] = .map(["filename": .string(diagnostic.file)])
        }
        return .map(entry)
    }
}
