/// Personalize's resource names (dataset groups, schemas, datasets, solutions, campaigns, filters, jobs ...) and
/// promotion names: the pattern `^[a-zA-Z0-9][a-zA-Z0-9\-_]*`, 1 to 63 characters.
package enum ResourceName {
    package static let maximumLength = 63

    /// Why `name` is not a valid resource name, in a sentence for the planner's diagnostics, or nil when it is.
    package static func problem(_ name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard let first = name.unicodeScalars.first, allowed, first != "-", first != "_" else {
            return "names start with a letter or digit and contain only letters, digits, '-' and '_'"
        }
        return name.count > maximumLength ? "names are at most \(maximumLength) characters long" : nil
    }

    package static func isValid(_ name: String) -> Bool { problem(name) == nil }

    /// The service's `InvalidInputException` message for an invalid `name` in the request field `field`.
    package static func validationMessage(_ name: String, field: String) -> String {
        "1 validation error detected: Value '\(name)' at '\(field)' failed to satisfy constraint: "
            + "Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\\-_]* "
            + "and have length less than or equal to \(maximumLength)"
    }
}
