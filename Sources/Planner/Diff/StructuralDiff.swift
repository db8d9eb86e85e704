/// Compares normalised values structurally: maps key by key (so a hyperparameter or an Avro field shows as
/// its own change), everything else as a whole.
enum StructuralDiff {
    /// The changes from `before` to `after` at `path`.
    ///
    /// - Parameters:
    ///   - path: The dotted path of the value (`hyperParameters`).
    ///   - before: The recorded or observed value, nil when absent.
    ///   - after: The desired value, nil when absent.
    ///   - forcesReplacement: Whether changes here force replacement.
    /// - Returns: One change per differing leaf, sorted by path; empty when equal.
    static func changes(
        at path: String, before: SpecValue?, after: SpecValue?, forcesReplacement: Bool
    ) -> [FieldChange] {
        guard before != after else { return [] }
        if case .map(let old)? = before, case .map(let new)? = after {
            return Set(old.keys).union(new.keys).sorted().flatMap { key in
                changes(at: "\(path).\(key)", before: old[key], after: new[key], forcesReplacement: forcesReplacement)
            }
        }
        return [
            FieldChange(
                path: path, before: before.map(PlanValue.known) ?? .absent,
                after: after.map(PlanValue.known) ?? .absent,
                forcesReplacement: forcesReplacement)
        ]
    }
}
