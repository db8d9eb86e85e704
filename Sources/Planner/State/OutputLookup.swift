/// Answers `tailor output NAME`: a declared output, or `ADDRESS.ATTRIBUTE` of a resource in state.
package enum OutputLookup {
    /// The value named `name`.
    ///
    /// - Parameters:
    ///   - name: An output's name, or `kind/name.attribute` (`campaign/top-picks.arn`).
    ///   - state: The state.
    /// - Throws: ``StateError`` naming what is missing (with "did you mean"), or refusing a sensitive output.
    package static func value(_ name: String, in state: State) throws(StateError) -> SpecValue {
        if let output = state.outputs[name] {
            guard !output.sensitive else { throw .sensitiveOutput(name) }
            return output.value
        }
        guard name.contains("/"), let dot = name.lastIndex(of: "."),
            let address = ResourceAddress(String(name[..<dot]))
        else { throw .noSuchOutput(name, known: state.outputs.keys.sorted()) }
        let attribute = String(name[name.index(after: dot)...])
        guard let entry = state[address] else { throw .noSuchAddress(address, known: state.addresses) }
        guard let value = entry.attribute(attribute, of: address) else {
            throw .noSuchAttribute(address, attribute, known: entry.attributeNames)
        }
        return value
    }
}
