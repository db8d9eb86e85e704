import Foundation

/// Gives every declared variable its value, right-most wins: the default, then the environment's values
/// files in order, then `TAILOR_VAR_NAME` environment variables, then `--var-file` files, then `--var`.
struct VariableResolver {
    let variables: [String: Variable]
    private(set) var diagnostics: [Diagnostic] = []
    private var values: [String: SpecValue] = [:]

    init(variables: [String: Variable]) {
        self.variables = variables
        for (name, variable) in variables { values[name] = variable.defaultValue }
    }

    /// Takes the values of a values file (a YAML mapping of names to values).
    mutating func read(valuesFile node: YAMLNode, file: String) {
        guard let entries = node.entries else {
            diagnostics.append(
                Diagnostic(at: node.location, "a values file must be a mapping of variable names to values"))
            return
        }
        for entry in entries {
            guard let variable = variables[entry.key] else {
                let hint = Suggestion.didYouMean(entry.key, in: variables.keys)
                diagnostics.append(
                    Diagnostic(
                        at: entry.keyLocation, "\(file) sets '\(entry.key)', which is not a declared variable\(hint)"))
                continue
            }
            take(entry.value.specValue, for: variable, at: entry.value.location)
        }
    }

    /// Takes `TAILOR_VAR_NAME` values from the process environment (names that are not variables are ignored).
    mutating func read(environment: [String: String]) {
        for (key, text) in environment where key.hasPrefix("TAILOR_VAR_") {
            guard let variable = variables[String(key.dropFirst("TAILOR_VAR_".count))] else { continue }
            take(text: text, for: variable, source: key)
        }
    }

    /// Takes `--var NAME=VALUE` values.
    mutating func read(overrides: [(name: String, value: String)]) {
        for (name, text) in overrides {
            guard let variable = variables[name] else {
                let hint = Suggestion.didYouMean(name, in: variables.keys)
                let known = variables.isEmpty ? " (declare variables in tailor.yaml)" : ""
                diagnostics.append(
                    Diagnostic(at: .file("--var \(name)"), "'\(name)' is not a declared variable\(hint)\(known)"))
                continue
            }
            take(text: text, for: variable, source: "--var \(name)")
        }
    }

    /// Every variable's value; a required variable nothing set is reported.
    mutating func resolve() -> [String: ResolvedVariable] {
        var resolved: [String: ResolvedVariable] = [:]
        for name in variables.keys.sorted() {
            guard let variable = variables[name] else { continue }
            guard let value = values[name] else {
                diagnostics.append(
                    Diagnostic(
                        at: variable.location,
                        "variable '\(name)' has no value: set it in the environment's values file, with --var "
                            + "\(name)=VALUE or TAILOR_VAR_\(name), or give it a default"))
                continue
            }
            resolved[name] = ResolvedVariable(value: value, sensitive: variable.sensitive)
        }
        return resolved
    }

    private mutating func take(text: String, for variable: Variable, source: String) {
        guard let value = variable.value(fromText: text) else {
            diagnostics.append(
                Diagnostic(
                    at: .file(source),
                    "variable '\(variable.name)' must be \(variable.type.rawValue), found '\(variable.sensitive ? Redaction.placeholder : text)'"
                ))
            return
        }
        take(value, for: variable, at: .file(source))
    }

    private mutating func take(_ value: SpecValue, for variable: Variable, at location: SourceLocation) {
        if let problem = variable.problem(with: value) {
            diagnostics.append(Diagnostic(at: location, "variable '\(variable.name)' \(problem)"))
            return
        }
        values[variable.name] = value
    }
}

/// A variable's value, and whether it is a secret.
package struct ResolvedVariable: Sendable, Hashable {
    package var value: SpecValue
    package var sensitive: Bool
}

/// A declared output, interpolated: its value is known once the resources it refers to exist.
package struct OutputTemplate: Sendable, Hashable {
    /// The value, with `${KIND.NAME.ATTRIBUTE}` placeholders.
    package var value: SpecValue
    /// The resources' attributes it refers to.
    package var references: [AttributeReference]
    /// Whether the value is (or comes from) a secret.
    package var sensitive: Bool

    /// The value once every reference is known, or nil.
    package func resolved(_ lookup: (AttributeReference) -> SpecValue?) -> SpecValue? {
        guard !references.isEmpty else { return value }
        var values: [String: SpecValue] = [:]
        for reference in references {
            guard let known = lookup(reference) else { return nil }
            values[reference.placeholder] = known
        }
        return Self.substitute(value, values)
    }

    private static func substitute(_ value: SpecValue, _ values: [String: SpecValue]) -> SpecValue {
        switch value {
        case .string(let text) where Template.mayContainExpression(text):
            if let whole = values[text] { return whole }
            var result = text
            for (placeholder, known) in values {
                result = result.replacingOccurrences(
                    of: placeholder, with: Interpolator.text(of: known) ?? known.canonicalJSON)
            }
            return .string(result)
        case .list(let items): return .list(items.map { substitute($0, values) })
        case .map(let map): return .map(map.mapValues { substitute($0, values) })
        default: return value
        }
    }
}
