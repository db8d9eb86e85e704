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
        var lines = plan.warnings.flatMap { [style.paint(.yellow, "Warning: ") + $0, ""] }
        if plan.isRefreshOnly { return (lines + refreshOnly(plan, style: style)).joined(separator: "\n") + "\n" }
        if !plan.drift.isEmpty {
            lines += ["Note: Objects have changed outside of Tailor", ""]
            for change in plan.drift { lines += render(change, style: style, drift: true) + [""] }
        }
        guard plan.hasChanges else {
            lines.append(
                plan.isDestroy
                    ? "No changes. No resources are in state, so there is nothing to destroy."
                    : "No changes. Your engine matches the manifests.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines += ["Tailor will perform the following actions:", ""]
        for change in plan.actionableChanges {
            lines += render(change, style: style)
            lines.append("")
        }
        lines += outputs(plan)
        lines += fetches(plan)
        lines.append(summaryLine(plan))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Terraform's "Changes to Outputs:" section.
    private static func outputs(_ plan: Plan) -> [String] {
        let changed = plan.outputChanges.filter { $0.actions != ["no-op"] }
        guard !changed.isEmpty else { return [] }
        return ["Changes to Outputs:"]
            + changed.map { change in
                let symbol = change.actions == ["create"] ? "+" : change.actions == ["delete"] ? "-" : "~"
                let before = change.before.map { $0.sensitive ? Redaction.placeholder : show($0.value) }
                let after =
                    change.sensitive ? (change.after == .absent ? "(none)" : Redaction.placeholder) : show(change.after)
                return "  \(symbol) \(change.name) = " + (before.map { "\($0) → " } ?? "") + after
            } + [""]
    }

    /// The commands from the manifests apply would run first, so a reviewer sees each one whole.
    private static func fetches(_ plan: Plan) -> [String] {
        let fetches = plan.pendingFetches
        guard !fetches.isEmpty else { return [] }
        return [
            "Commands from the manifests that apply runs first, to fetch missing import sources (only with "
                + "--allow-fetch or tailor.yaml's spec.allowFetch: true; plan ran none):"
        ]
            + fetches.map { "  \($0.address): \(PendingFetch.display($0.command))  (\($0.location))" } + [""]
    }

    private static func refreshOnly(_ plan: Plan, style: Style) -> [String] {
        guard !plan.drift.isEmpty else { return ["No changes. No objects have changed outside of Tailor."] }
        var lines = ["Tailor detected the following changes made outside of Tailor since the last apply:", ""]
        for change in plan.drift { lines += render(change, style: style, drift: true) + [""] }
        let count = plan.drift.count
        return lines + [
            "This is a refresh-only plan, so Tailor will not take any actions to undo these. Apply it to record "
                + "the updated values in the state without changing anything in the engine.",
            "",
            "Would update the state of \(count) resource\(count == 1 ? "" : "s").",
        ]
    }

    /// `Plan: 2 to add, 1 to change, 0 to destroy.`
    package static func summaryLine(_ plan: Plan) -> String {
        let counts = plan.summary
        return "Plan: \(counts.add) to add, \(counts.change) to change, \(counts.destroy) to destroy."
    }

    private static func render(_ change: ResourceChange, style: Style, drift: Bool = false) -> [String] {
        var (symbol, verb, color) = presentation(of: change)
        if drift { verb = change.action == .delete ? "has been deleted" : "has changed" }
        let name = change.address.description + (change.deposed.map { " (deposed object \($0))" } ?? "")
        var lines = [style.bold("  # \(name) \(verb)")]
        lines += change.notes.map { "  #   \($0)" }
        lines.append(style.paint(color, rightAligned(symbol, width: 3)) + " " + change.address.description)
        if drift, change.action == .delete { return lines }
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
        case (.absent, .unknown):
            return [style.paint(.green, "      + ") + "\(field.path): \(PlanValue.unknown)"]
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

    /// Values as JSON, content hashes shortened to 12 hex digits, secrets as a placeholder.
    private static func show(_ value: SpecValue) -> String {
        if case .string(let string) = value, string.hasPrefix("sha256:"), string.count > 19 {
            return "\"\(string.prefix(19))…\""
        }
        if Redaction.isDigest(value) { return Redaction.placeholder }
        return Redaction.display(value).description
    }

    /// The symbol right-aligned in `width` columns, so `+`, `~` and `-/+` line up as in Terraform.
    private static func rightAligned(_ text: String, width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private static func presentation(of change: ResourceChange) -> (symbol: String, verb: String, color: Style.Color) {
        switch change.action {
        case .create: ("+", "will be created", .green)
        case .update: ("~", "will be updated in-place", .yellow)
        case .replace:
            change.createBeforeDestroy
                ? ("+/-", "must be replaced (create before destroy)", .red) : ("-/+", "must be replaced", .red)
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
