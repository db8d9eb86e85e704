/// How a declared output changes: its value in state and the value it will have after apply.
package struct OutputChange: Sendable, Hashable {
    package var name: String
    /// The value in state (a digest for a sensitive one).
    package var before: OutputValue?
    /// The value after apply: known now, unknown until its resources exist, or absent when undeclared.
    package var after: PlanValue
    package var sensitive: Bool

    /// Terraform's `actions` for the output.
    package var actions: [String] {
        switch (before, after) {
        case (nil, .absent): ["no-op"]
        case (nil, _): ["create"]
        case (_?, .absent): ["delete"]
        case (let old?, .known(let value)) where old.value == value: ["no-op"]
        case (_?, _): ["update"]
        }
    }

    /// The output changes of a plan: every declared output, and those in state no longer declared.
    static func changes(
        _ templates: [String: OutputTemplate], state: State, changes: [ResourceAddress: ResourceChange]
    ) -> [OutputChange] {
        let names = Set(templates.keys).union(state.outputs.keys).sorted()
        return names.map { name in
            guard let template = templates[name] else {
                return OutputChange(name: name, before: state.outputs[name], after: .absent, sensitive: false)
            }
            let value = template.resolved { Differ.knownValue($0, state: state, changes: changes) }
            let after = value.map { PlanValue.known(Outputs.stored($0, name: name, sensitive: template.sensitive)) }
            return OutputChange(
                name: name, before: state.outputs[name], after: after ?? .unknown, sensitive: template.sensitive)
        }
    }
}

/// The values of declared outputs, computed from state after apply.
enum Outputs {
    /// Each output whose references are all known (a secret one as a digest).
    static func values(_ templates: [String: OutputTemplate], state: State) -> [String: OutputValue] {
        var values: [String: OutputValue] = [:]
        for (name, template) in templates {
            let value = template.resolved { reference in
                guard let entry = state[reference.target], entry.status == .ready else { return nil }
                return entry.attribute(reference.attribute, of: reference.target)
            }
            guard let value else { continue }
            values[name] = OutputValue(
                value: stored(value, name: name, sensitive: template.sensitive), sensitive: template.sensitive)
        }
        return values
    }

    /// What state keeps for an output's value: the value, or a digest of a secret one.
    static func stored(_ value: SpecValue, name: String, sensitive: Bool) -> SpecValue {
        sensitive ? Redaction.digest(value, salt: "output.\(name)") : value
    }
}
