/// Secrets never reach plans, saved plans or state in clear: a sensitive value is replaced by a salted
/// digest, so a change of the secret still shows as a change, and displays show a placeholder.
package enum Redaction {
    /// What displays show instead of a sensitive value.
    package static let placeholder = "(sensitive value)"
    /// The prefix of a digest standing for a sensitive value.
    package static let prefix = "sensitive:"

    /// `fields` with the value at each dotted path replaced by its digest.
    ///
    /// - Parameters:
    ///   - fields: Normalised fields.
    ///   - paths: Dotted paths of sensitive values.
    ///   - salt: Mixed into each digest (the resource's address), so equal secrets in two places do not look
    ///     equal.
    static func redact(_ fields: [String: SpecValue], paths: [String], salt: String) -> [String: SpecValue] {
        var fields = fields
        for path in paths {
            let steps = path.split(separator: ".").map(String.init)
            replace(&fields, steps) { digest($0, salt: "\(salt)#\(path)") }
        }
        return fields
    }

    /// The digest standing for `value`.
    static func digest(_ value: SpecValue, salt: String) -> SpecValue {
        .string(prefix + SpecHash.of(["salt": .string(salt), "value": value]).dropFirst("sha256:".count).prefix(24))
    }

    /// Whether a value is a digest standing for a secret.
    package static func isDigest(_ value: SpecValue) -> Bool {
        value.stringValue?.hasPrefix(prefix) == true
    }

    /// A value for display: digests shown as the placeholder (also inside maps and lists).
    package static func display(_ value: SpecValue) -> SpecValue {
        switch value {
        case .string(let text) where text.hasPrefix(prefix): .string(placeholder)
        case .map(let map): .map(map.mapValues(display))
        case .list(let items): .list(items.map(display))
        default: value
        }
    }

    /// Terraform's sensitivity mask: `true` where a value is a digest, maps for what contains one, `false`
    /// when nothing is sensitive.
    package static func mask(of value: SpecValue) -> SpecValue {
        switch value {
        case .string(let text) where text.hasPrefix(prefix): return .bool(true)
        case .map(let map):
            let inner = map.compactMapValues { value -> SpecValue? in
                let mask = mask(of: value)
                return mask == .bool(false) ? nil : mask
            }
            return inner.isEmpty ? .bool(false) : .map(inner)
        default: return .bool(false)
        }
    }

    private static func replace(
        _ map: inout [String: SpecValue], _ steps: [String], _ transform: (SpecValue) -> SpecValue
    ) {
        guard let first = steps.first, let value = map[first] else { return }
        if steps.count == 1 {
            map[first] = transform(value)
        } else if var inner = value.mapValue {
            replace(&inner, Array(steps.dropFirst()), transform)
            map[first] = .map(inner)
        }
    }
}
