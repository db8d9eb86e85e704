import Foundation

/// Renders state for `tailor state list`, `tailor state show` and `tailor output`.
package enum StateRenderer {
    /// One address per line, in dependency order; deposed objects (awaiting deletion) marked.
    package static func list(_ state: State, matching patterns: [String] = []) -> String {
        let matchers = patterns.map(AddressPattern.init)
        let shown = state.addresses.filter { address in matchers.isEmpty || matchers.contains { $0.matches(address) } }
        var lines = shown.map(\.description)
        for (address, objects) in state.deposed.sorted(by: { $0.key < $1.key }) where !objects.isEmpty {
            if matchers.isEmpty || matchers.contains(where: { $0.matches(address) }) {
                lines += objects.map { "\(address) (deposed: \($0.arn))" }
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// One entry, Terraform's `state show` style: identity, then spec, attributes and dependencies.
    package static func show(_ entry: StateEntry, at address: ResourceAddress) -> String {
        var lines = ["# \(address)", "arn    = \(quoted(entry.arn))", "status = \(entry.status.rawValue)"]
        if let name = entry.engineName { lines.append("engine name = \(quoted(name))") }
        if let reason = entry.failureReason { lines.append("failure reason = \(quoted(reason))") }
        if let protected = entry.preventDestroy { lines.append("lifecycle.preventDestroy = \(protected)") }
        lines += section("spec", entry.spec)
        lines += section("attributes", entry.attributes)
        if !entry.dependencies.isEmpty {
            lines.append(
                "dependencies = [" + entry.dependencies.map { quoted($0.description) }.joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One entry as pretty JSON.
    package static func json(_ entry: StateEntry, at address: ResourceAddress) -> String {
        var object: [String: SpecValue] = [
            "address": .string(address.description), "arn": .string(entry.arn),
            "status": .string(entry.status.rawValue), "spec": .map(entry.spec), "attributes": .map(entry.attributes),
            "dependencies": .list(entry.dependencies.map { .string($0.description) }),
        ]
        object["engine_name"] = entry.engineName.map(SpecValue.string)
        object["failure_reason"] = entry.failureReason.map(SpecValue.string)
        return PrettyJSON.string(.map(object))
    }

    /// `name = value` per output, sensitive ones shown as `<sensitive>`.
    package static func outputs(_ outputs: [String: OutputValue]) -> String {
        outputs.keys.sorted().map { name in
            let output = outputs[name]
            let value = output?.sensitive == true ? "<sensitive>" : (output?.value.description ?? "null")
            return "\(name) = \(value)\n"
        }.joined()
    }

    /// The outputs as a JSON object of `{value, sensitive}` (sensitive values left out), as
    /// `terraform output -json` prints them.
    package static func outputsJSON(_ outputs: [String: OutputValue]) -> String {
        PrettyJSON.string(
            .map(
                outputs.mapValues { output in
                    .map(["sensitive": .bool(output.sensitive), "value": output.sensitive ? .null : output.value])
                }))
    }

    /// An output's or attribute's value for scripts: strings raw, everything else as JSON.
    package static func raw(_ value: SpecValue) -> String {
        if case .string(let string) = value { return string }
        return value.canonicalJSON
    }

    private static func section(_ title: String, _ values: [String: SpecValue]) -> [String] {
        guard !values.isEmpty else { return [] }
        let width = values.keys.map(\.count).max() ?? 0
        return ["\(title) {"]
            + values.keys.sorted().map { key in
                "  " + key.padding(toLength: width, withPad: " ", startingAt: 0) + " = "
                    + (values[key]?.description ?? "null")
            } + ["}"]
    }

    private static func quoted(_ text: String) -> String {
        SpecValue.string(text).canonicalJSON
    }
}

/// Pretty-printed JSON with sorted keys, for people and diffs.
package enum PrettyJSON {
    /// The value as indented JSON with sorted keys, ending with a newline.
    package static func string(_ value: SpecValue) -> String {
        string(encodable: value)
    }

    /// Any encodable value as indented JSON with sorted keys, ending with a newline.
    package static func string(encodable value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
