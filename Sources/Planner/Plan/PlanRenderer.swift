/// Renders plans for people, Terraform-style: a header per resource saying what happens and why, its
/// changed fields (`before → after`), and a summary line.
package enum PlanRenderer {
    /// The plan as text.
    ///
    /// - Parameters:
    ///   - plan: The plan.
    ///   - colors: Whether to use ANSI colours (for a terminal).
    /// - Returns: The text, ending with a newline.
    package static func text(_ plan: Plan, colors: Bool = false) -> String {
        let style = Style(enabled: colors)
        guard plan.hasChanges else {
            return plan.isDestroy
                ? "No changes. No resources are in state, so there is nothing to destroy.\n"
                : "No changes. Your engine matches the manifests.\n"
        }
        var lines = ["Tailor will perform the following actions:", ""]
        for change in plan.actionableChanges {
            lines += render(change, style: style)
            lines.append("")
        }
        lines.append(summaryLine(plan))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `Plan: 2 to add, 1 to change, 0 to destroy.`
    package static func summaryLine(_ plan: Plan) -> String {
        let counts = plan.summary
        return "Plan: \(counts.add) to add, \(counts.change) to change, \(counts.destroy) to destroy."
    }

    private static func render(_ change: ResourceChange, style: Style) -> [String] {
        let (symbol, verb, color) = presentation(of: change.action)
        var lines = [style.bold("  # \(change.address) \(verb)")]
        lines += change.notes.map { "  #   \($0)" }
        lines.append(style.paint(color, rightAligned(symbol, width: 3)) + " " + change.address.description)
        for field in change.fields {
            lines += render(field, style: style)
        }
        return lines
    }

    private static func render(_ field: FieldChange, style: Style) -> [String] {
        let suffix = field.forcesReplacement ? style.paint(.red, " # forces replacement") : ""
        switch (field.before, field.after) {
        case (.absent, .known(let value)):
            return leaves(of: value, at: field.path).map {
                style.paint(.green, "      + ") + "\($0.path): \(show($0.value))"
            }
        case (.known(let value), .absent):
            return leaves(of: value, at: field.path).map {
                style.paint(.red, "      - ") + "\($0.path): \(show($0.value))"
            }
        default:
            return [
                style.paint(.yellow, "      ~ ") + "\(field.path): \(show(field.before)) → \(show(field.after))"
                    + suffix
            ]
        }
    }

    /// A map flattened into its leaves, so created and deleted schemas print one field per line.
    private static func leaves(of value: SpecValue, at path: String) -> [(path: String, value: SpecValue)] {
        guard case .map(let entries) = value, !entries.isEmpty else { return [(path, value)] }
        return entries.keys.sorted().flatMap { key in
            entries[key].map { leaves(of: $0, at: "\(path).\(key)") } ?? []
        }
    }

    private static func show(_ value: PlanValue) -> String {
        if case .known(let known) = value { return show(known) }
        return value.description
    }

    /// Values as JSON, content hashes shortened to 12 hex digits.
    private static func show(_ value: SpecValue) -> String {
        if case .string(let string) = value, string.hasPrefix("sha256:"), string.count > 19 {
            return "\"\(string.prefix(19))…\""
        }
        return value.description
    }

    /// The symbol right-aligned in `width` columns, so `+`, `~` and `-/+` line up as in Terraform.
    private static func rightAligned(_ text: String, width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private static func presentation(of action: ChangeAction) -> (symbol: String, verb: String, color: Style.Color) {
        switch action {
        case .create: ("+", "will be created", .green)
        case .update: ("~", "will be updated in-place", .yellow)
        case .replace: ("-/+", "must be replaced", .red)
        case .delete: ("-", "will be destroyed", .red)
        case .noOp: (" ", "is unchanged", .none)
        }
    }
}

/// ANSI styling, or none.
private struct Style {
    enum Color: String {
        case green = "32"
        case yellow = "33"
        case red = "31"
        case none = ""
    }

    let enabled: Bool

    func paint(_ color: Color, _ text: String) -> String {
        guard enabled, color != .none else { return text }
        return "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m"
    }

    func bold(_ text: String) -> String {
        enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }
}
