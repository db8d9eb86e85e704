/// Replaces `${var.NAME}` and `${env.NAME}` in a document's string values, and records `${KIND.NAME.ATTRIBUTE}`
/// references to other resources (resolved at plan and apply time). `$${` writes a literal `${`.
///
/// A value that is exactly one `${var.x}` takes the variable's type (`minProvisionedTPS: ${var.tps}` is an
/// integer); inside a longer string the value is written as text. Values from `${env.X}` and sensitive
/// variables are secrets: their paths are recorded so plans and state only ever hold a digest.
///
/// Interpolation stays within ``ManifestLimits``: `${...}` nests at most ``ManifestLimits/templateDepth`` deep, a
/// string grows to at most ``ManifestLimits/interpolatedStringBytes``, and list and mapping values add at most
/// ``ManifestLimits/interpolatedNodes`` nodes in all.
struct Interpolator {
    let variables: [String: ResolvedVariable]
    let environment: [String: String]
    /// Whether a project declares variables (for the message when there is none).
    let hasProject: Bool
    private(set) var diagnostics: [Diagnostic] = []
    /// The environment variables read, by name: part of a saved plan's inputs.
    private(set) var environmentRead: [String: String] = [:]
    /// The nodes whole-value `${var.X}` lists and mappings added so far.
    private var addedNodes = 0

    init(variables: [String: ResolvedVariable], environment: [String: String], hasProject: Bool) {
        self.variables = variables
        self.environment = environment
        self.hasProject = hasProject
    }

    /// What interpolating a node found.
    struct Result {
        var node: YAMLNode
        /// Dotted paths from the document root of values that came from secrets.
        var sensitive: [String] = []
        /// References to other resources' attributes, with the dotted path of the value holding them.
        var references: [(reference: AttributeReference, path: String)] = []
        /// The dotted paths of the values a `${...}` wrote, with where each is.
        var templated: [(path: String, location: SourceLocation)] = []
    }

    /// Interpolates every string value below `node`.
    mutating func interpolate(_ node: YAMLNode, path: String = "") -> Result {
        switch node.content {
        case .mapping(let entries):
            var result = Result(node: node)
            var interpolated: [YAMLNode.Entry] = []
            for entry in entries {
                let child = interpolate(entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)")
                interpolated.append(YAMLNode.Entry(key: entry.key, keyLocation: entry.keyLocation, value: child.node))
                result.sensitive += child.sensitive
                result.references += child.references
                result.templated += child.templated
            }
            result.node = YAMLNode(content: .mapping(interpolated), location: node.location)
            return result
        case .sequence(let items):
            var result = Result(node: node)
            var interpolated: [YAMLNode] = []
            for (index, item) in items.enumerated() {
                let child = interpolate(item, path: "\(path).\(index)")
                interpolated.append(child.node)
                result.sensitive += child.sensitive
                result.references += child.references
                result.templated += child.templated
            }
            result.node = YAMLNode(content: .sequence(interpolated), location: node.location)
            return result
        case .scalar(.string, let text) where Template.mayContainExpression(text):
            return interpolate(text, at: node.location, path: path) ?? Result(node: node)
        case .scalar:
            return Result(node: node)
        }
    }

    private mutating func interpolate(_ text: String, at location: SourceLocation, path: String, depth: Int = 1)
        -> Result?
    {
        guard depth <= ManifestLimits.templateDepth else {
            diagnostics.append(
                Diagnostic(
                    at: location,
                    "'${' is nested more than \(ManifestLimits.templateDepth) levels deep in '\(Self.excerpt(text))'"))
            return nil
        }
        guard let pieces = Template.parse(text) else {
            diagnostics.append(
                Diagnostic(at: location, "unterminated '${' in '\(Self.excerpt(text))'; write '$${' for a literal '${'")
            )
            return nil
        }
        var result = Result(node: YAMLNode(.string(""), at: location))
        if pieces.contains(where: { if case .expression = $0 { true } else { false } }) {
            result.templated.append((path, location))
        }
        var output = ""
        var secret = false
        for piece in pieces {
            switch piece {
            case .text(let literal): output += literal
            case .expression(let expression):
                guard
                    let value = resolve(
                        expression, at: location, path: path, depth: depth, into: &result, secret: &secret)
                else { continue }
                if pieces.count == 1, !isReference(expression) {
                    guard admit(value, at: location) else { return nil }
                    result.node = YAMLNode(value, at: location)
                    if secret { result.sensitive.append(path) }
                    return result
                }
                guard let text = Self.text(of: value) else {
                    diagnostics.append(
                        Diagnostic(
                            at: location,
                            "'${\(Self.excerpt(expression))}' is \(SpecValue.describe(value)); only a whole value can be one"
                        ))
                    continue
                }
                output += text
            }
            guard output.utf8.count <= ManifestLimits.interpolatedStringBytes else {
                diagnostics.append(
                    Diagnostic(
                        at: location,
                        "interpolating makes this string longer than "
                            + "\(ManifestLimits.describe(bytes: ManifestLimits.interpolatedStringBytes))"))
                return nil
            }
        }
        result.node = YAMLNode(.string(output), at: location)
        if secret { result.sensitive.append(path) }
        return result
    }

    /// Counts the nodes a whole value adds; false (reported once) past ``ManifestLimits/interpolatedNodes``.
    private mutating func admit(_ value: SpecValue, at location: SourceLocation) -> Bool {
        guard addedNodes <= ManifestLimits.interpolatedNodes else { return false }
        addedNodes += value.nodeCount(upTo: ManifestLimits.interpolatedNodes - addedNodes + 1)
        guard addedNodes > ManifestLimits.interpolatedNodes else { return true }
        diagnostics.append(
            Diagnostic(
                at: location,
                "the values ${...} writes here and before add more than \(ManifestLimits.interpolatedNodes) list "
                    + "items and mapping entries; use the list and mapping variables fewer times"))
        return false
    }

    /// `text`, cut to 80 characters for messages.
    static func excerpt(_ text: String) -> String {
        text.count <= 80 ? text : text.prefix(80) + "…"
    }

    private func isReference(_ expression: String) -> Bool {
        AttributeReference(expression: expression, location: .file("")) != nil
    }

    private mutating func resolve(
        _ written: String, at location: SourceLocation, path: String, depth: Int, into result: inout Result,
        secret: inout Bool
    ) -> SpecValue? {
        var expression = written
        if Template.mayContainExpression(written) {
            // A nested reference (`${campaign.${var.prefix}-picks.arn}`): variables first, then the whole.
            let inner = interpolate(written, at: location, path: path, depth: depth + 1)
            guard let inner else { return nil }
            guard let text = inner.node.text, inner.references.isEmpty else {
                diagnostics.append(
                    Diagnostic(
                        at: location, "only ${var.X} and ${env.X} can be nested, in '${\(Self.excerpt(written))}'"))
                return nil
            }
            secret = secret || !inner.sensitive.isEmpty
            expression = text
        }
        let parts = expression.split(separator: ".", maxSplits: 1).map(String.init)
        switch parts.first {
        case "var" where parts.count == 2:
            guard let variable = variables[parts[1]] else {
                let hint = Suggestion.didYouMean(parts[1], in: variables.keys)
                let help = hasProject ? "" : " (declare variables in a tailor.yaml beside the manifests)"
                diagnostics.append(Diagnostic(at: location, "unknown variable '\(parts[1])'\(hint)\(help)"))
                return nil
            }
            secret = secret || variable.sensitive
            return variable.value
        case "env" where parts.count == 2:
            guard let value = environment[parts[1]] else {
                diagnostics.append(Diagnostic(at: location, "environment variable \(parts[1]) is not set"))
                return nil
            }
            environmentRead[parts[1]] = value
            secret = true
            return .string(value)
        default:
            guard let reference = AttributeReference(expression: expression, location: location) else {
                diagnostics.append(
                    Diagnostic(
                        at: location,
                        "unknown reference '${\(Self.excerpt(expression))}'; expected ${var.NAME}, ${env.NAME} or "
                            + "${KIND.NAME.ATTRIBUTE} (e.g. ${campaign.top-picks.arn})"))
                return nil
            }
            result.references.append((reference, path))
            return .string(reference.placeholder)
        }
    }

    /// A scalar value as text inside a longer string.
    static func text(of value: SpecValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .list, .map, .null: nil
        }
    }
}

/// A string split into literal text and `${...}` expressions.
enum Template {
    enum Piece: Equatable {
        case text(String)
        case expression(String)
    }

    /// Whether `text` holds `${` (a byte scan: `String.contains(_:)` with a string argument goes through the
    /// generic string-searching algorithms, a measurable part of loading a large manifest folder).
    static func mayContainExpression(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == UInt8(ascii: "$"), byte == UInt8(ascii: "{") { return true }
            previous = byte
        }
        return false
    }

    /// The pieces of `text`, or nil when a `${` is not closed.
    static func parse(_ text: String) -> [Piece]? {
        var pieces: [Piece] = []
        var literal = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            literal += rest[..<dollar]
            let after = rest[dollar...]
            if after.hasPrefix("$${") {
                literal += "${"
                rest = after.dropFirst(3)
            } else if after.hasPrefix("${") {
                guard let close = closingBrace(after) else { return nil }
                if !literal.isEmpty { pieces.append(.text(literal)) }
                literal = ""
                pieces.append(.expression(String(after[after.index(after.startIndex, offsetBy: 2)..<close])))
                rest = after[after.index(after: close)...]
            } else {
                literal += "$"
                rest = after.dropFirst()
            }
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return pieces
    }

    /// The `}` closing the `${` at the start of `text`, counting nested `${...}`.
    private static func closingBrace(_ text: Substring) -> Substring.Index? {
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "{" { depth += 1 }
            if text[index] == "}" {
                depth -= 1
                if depth == 0 { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }
}
