import Foundation

// `fileprivate` because a file-scope extension member marked `private` is not visible to `Validate`.

/// A shape whose members carry the service model's constraints (lengths, counts, ranges).
public protocol ShapeValidating {
    /// Appends one message per violated constraint, in the service's wording.
    func validate(into problems: inout [String])
}

extension PersonalizeOperation {
    /// Checks the service model's constraints and throws `InvalidInputException` listing every violation.
    ///
    /// - Throws: ``PersonalizeError`` with code `InvalidInputException`.
    public func validateConstraints() throws {
        guard let shape = self as? any ShapeValidating else { return }
        var problems: [String] = []
        shape.validate(into: &problems)
        guard !problems.isEmpty else { return }
        let noun = problems.count == 1 ? "error" : "errors"
        throw PersonalizeError.invalidInput(
            "\(problems.count) validation \(noun) detected: " + problems.joined(separator: "; ")
        )
    }
}

/// Constraint checks used by the generated shapes.
public enum Validate {
    public static func length(_ value: String?, min: Int?, max: Int?, at path: String, into problems: inout [String]) {
        guard let value else { return }
        // Lengths count characters. A string has no more characters than UTF-8 bytes (counted at once), so the
        // bytes settle the common cases without walking the string: one of at most `max` bytes is not too long,
        // and one of at least 1 byte is not shorter than 1.
        let bytes = value.utf8.count
        if let min, bytes < min || (min > 1 && value.count < min) {
            problems.append(
                "Value '\(value)' at '\(path)' failed to satisfy constraint: Member must have length greater than or equal to \(min)"
            )
        }
        if let max, bytes > max, value.count > max {
            problems.append(
                "Value at '\(path)' failed to satisfy constraint: Member must have length less than or equal to \(max)")
        }
    }

    public static func count<T>(_ value: [T]?, min: Int?, max: Int?, at path: String, into problems: inout [String]) {
        guard let value else { return }
        if let min, value.count < min {
            problems.append(
                "Value at '\(path)' failed to satisfy constraint: Member must have length greater than or equal to \(min)"
            )
        }
        if let max, value.count > max {
            problems.append(
                "Value at '\(path)' failed to satisfy constraint: Member must have length less than or equal to \(max)")
        }
    }

    public static func range(_ value: Int?, min: Int?, max: Int?, at path: String, into problems: inout [String]) {
        guard let value else { return }
        if let min, value < min {
            problems.append(
                "Value '\(value)' at '\(path)' failed to satisfy constraint: Member must have value greater than or equal to \(min)"
            )
        }
        if let max, value > max {
            problems.append(
                "Value '\(value)' at '\(path)' failed to satisfy constraint: Member must have value less than or equal to \(max)"
            )
        }
    }

    public static func nested(_ value: (any Sendable)?, at path: String, into problems: inout [String]) {
        guard let shape = value as? any ShapeValidating else { return }
        var inner: [String] = []
        shape.validate(into: &inner)
        problems += inner.map { $0.replacingFirst("at '", with: "at '\(path).") }
    }

    public static func nestedList(_ value: [any Sendable]?, at path: String, into problems: inout [String]) {
        guard let value else { return }
        for (index, element) in value.enumerated() {
            nested(element, at: "\(path).\(index + 1)", into: &problems)
        }
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
