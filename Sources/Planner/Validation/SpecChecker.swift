import PersonalizeRules

/// Checks a YAML mapping against field definitions: unknown fields (with "did you mean"), missing required
/// fields, wrong types, invalid enum values and out-of-range numbers. Collects every problem; never stops early.
struct SpecChecker {
    private(set) var diagnostics: [Diagnostic] = []

    /// Checks `node` as a mapping with the given fields.
    ///
    /// - Parameters:
    ///   - node: The mapping to check.
    ///   - fields: The fields it may have.
    ///   - path: Its dotted path from the document root (`spec`, `spec.import`), for messages.
    ///   - keyLocation: Where the key holding the mapping is (missing fields are reported there).
    /// - Returns: Whether the node is a mapping (its fields may still have problems).
    @discardableResult
    mutating func check(
        _ node: YAMLNode, fields: [FieldDefinition], path: String, keyLocation: SourceLocation? = nil
    ) -> Bool {
        guard let entries = node.entries else {
            report(node.location, "\(Self.name(path)) must be a mapping, found \(node.typeDescription)")
            return false
        }
        let known = fields.map(\.name)
        for entry in entries {
            guard let field = fields.first(where: { $0.name == entry.key }) else {
                report(
                    entry.keyLocation,
                    "unknown field '\(entry.key)' in \(Self.name(path)); " + Suggestion.oneOf(entry.key, known))
                continue
            }
            check(entry.value, as: field.type, path: Self.join(path, entry.key), keyLocation: entry.keyLocation)
        }
        for field in fields where field.isRequired && node[field.name].map({ $0.value.isNull }) ?? true {
            if let entry = node[field.name] {
                report(entry.keyLocation, "missing value for '\(Self.join(path, field.name))'")
            } else {
                report(keyLocation ?? node.location, "missing required field '\(field.name)' in \(Self.name(path))")
            }
        }
        return true
    }

    /// Checks one value against a type.
    mutating func check(_ node: YAMLNode, as type: FieldType, path: String, keyLocation: SourceLocation? = nil) {
        if node.isNull { return }  // an empty optional field; required ones are reported by the mapping check
        switch type {
        case .string, .reference:
            expectScalar(node, type, path: path)
        case .name:
            guard expectScalar(node, type, path: path), let text = node.text else { return }
            if let problem = ResourceName.problem(text) {
                report(node.location, "invalid name '\(text)' for '\(path)': \(problem)")
            }
        case .integer(let range):
            if case .float(let value) = node.scalar, value.isFinite, value == value.rounded(), abs(value) >= 0x1p63 {
                // A whole number too large for a 64-bit integer reads as a float.
                return report(
                    node.location,
                    "'\(path)' is out of range, found \(node.text ?? "")"
                        + (range.map { " (it must be between \($0.lowerBound) and \($0.upperBound))" } ?? ""))
            }
            guard case .int(let value) = node.scalar else { return mismatch(node, type, path) }
            if let range, !range.contains(value) {
                report(
                    node.location,
                    "'\(path)' must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            }
        case .boolean:
            guard case .bool = node.scalar else { return mismatch(node, type, path) }
        case .number:
            switch node.scalar {
            case .int?: break
            case .float(let value)? where value.isFinite: break
            case .float?: report(node.location, "'\(path)' must be a finite number, found \(node.text ?? "")")
            default: mismatch(node, type, path)
            }
        case .oneOf(let allowed):
            guard expectScalar(node, type, path: path), let text = node.text else { return }
            if !allowed.contains(text) {
                let hint = Suggestion.didYouMean(text, in: allowed)
                report(
                    node.location,
                    "invalid value '\(text)' for '\(path)'\(hint) (expected one of: \(allowed.joined(separator: ", ")))"
                )
            }
        case .stringMap:
            guard let entries = node.entries else { return mismatch(node, type, path) }
            for entry in entries where entry.value.text == nil {
                report(
                    entry.value.location,
                    "'\(path).\(entry.key)' must be a string or a number, found \(entry.value.typeDescription)")
            }
        case .list(let element):
            guard let items = node.items else { return mismatch(node, type, path) }
            for (index, item) in items.enumerated() {
                check(item, as: element, path: "\(path)[\(index)]")
            }
        case .object(let fields):
            check(node, fields: fields, path: path, keyLocation: keyLocation)
        case .stringOrObject(let fields):
            if node.entries != nil {
                check(node, fields: fields, path: path, keyLocation: keyLocation)
            } else {
                expectScalar(node, type, path: path)
            }
        case .mapOf(let element):
            guard let entries = node.entries else { return mismatch(node, type, path) }
            for entry in entries {
                check(entry.value, as: element, path: "\(path).\(entry.key)", keyLocation: entry.keyLocation)
            }
        case .any:
            checkFinite(node, path: path)
        }
    }

    /// Reports infinities and NaNs anywhere below `node`: no field takes them, and JSON (plans, state) cannot
    /// hold them.
    private mutating func checkFinite(_ node: YAMLNode, path: String) {
        switch node.content {
        case .scalar(.float(let value), let text) where !value.isFinite:
            report(node.location, "'\(path)' must be a finite number, found \(text)")
        case .scalar: break
        case .sequence(let items):
            for (index, item) in items.enumerated() { checkFinite(item, path: "\(path)[\(index)]") }
        case .mapping(let entries):
            for entry in entries { checkFinite(entry.value, path: "\(path).\(entry.key)") }
        }
    }

    /// `spec.import` from `spec` and `import`; just the key at the top level.
    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// How messages name a mapping: `'spec.import'`, or "the document" at the top level.
    static func name(_ path: String) -> String {
        path.isEmpty ? "the document" : "'\(path)'"
    }

    /// Reports a problem found outside the generic checks.
    mutating func report(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(at: location, message))
    }

    @discardableResult
    private mutating func expectScalar(_ node: YAMLNode, _ type: FieldType, path: String) -> Bool {
        guard node.text != nil else {
            mismatch(node, type, path)
            return false
        }
        return true
    }

    private mutating func mismatch(_ node: YAMLNode, _ type: FieldType, _ path: String) {
        report(node.location, "'\(path)' must be \(type.expectation), found \(node.typeDescription)")
    }
}
