/// Whether a saved plan can still be applied, and if not, what moved on since it was made.
extension PlanFile {
    /// The reasons the plan is stale (empty when it is not), comparing with the state and inputs now.
    ///
    /// - Parameters:
    ///   - state: The state now.
    ///   - inputs: A digest of every input now (``Plan/inputs`` of a fresh plan).
    /// - Returns: One line per difference.
    package func staleness(state current: State, inputs now: [String: String]) -> [String] {
        var reasons: [String] = []
        if current.lineage != state.lineage {
            reasons.append(
                "the state was replaced: its lineage is \(current.lineage ?? "none") now, "
                    + "\(state.lineage ?? "none") when the plan was made"
                    + (state.lineage == nil ? " (the plan was made before any state existed)" : ""))
        } else if current.serial != state.serial {
            let entries = Planner.digests(of: current)
            let moved = Self.differences(before: state.entries, after: entries)
            reasons.append(
                "the state changed since the plan was made (serial \(state.serial) → \(current.serial))"
                    + (moved.isEmpty ? "" : ": " + moved.joined(separator: ", ")))
        }
        let changedInputs = Self.differences(before: inputs, after: now)
        if !changedInputs.isEmpty {
            reasons.append("the inputs changed since the plan was made: " + changedInputs.joined(separator: ", "))
        }
        return reasons
    }

    /// How a fresh plan (made with the same options against the same state and inputs) differs from this one:
    /// the engine changed in between.
    package func differences(from fresh: Plan) -> [String] {
        let saved = Dictionary(changes.map { ($0.address + ($0.deposed ?? ""), $0) }) { first, _ in first }
        let now = Dictionary(fresh.changes.map(PlannedChange.init).map { ($0.address + ($0.deposed ?? ""), $0) }) {
            first, _ in first
        }
        var lines: [String] = []
        for key in Set(saved.keys).union(now.keys).sorted() where saved[key] != now[key] {
            switch (saved[key], now[key]) {
            case (let before?, let after?) where before.actions != after.actions:
                lines.append("\(before.summary) when planned, \(after.actions.joined(separator: ", ")) now")
            case (let before?, _?):
                lines.append("\(before.address): its changes differ from the plan's")
            case (let before?, nil): lines.append("\(before.summary) when planned, nothing now")
            case (nil, let after?): lines.append("\(after.summary) now, nothing when planned")
            case (nil, nil): break
            }
        }
        return lines
    }

    /// `x changed`, `y added`, `z removed` between two digest maps.
    private static func differences(before: [String: String], after: [String: String]) -> [String] {
        Set(before.keys).union(after.keys).sorted().compactMap { key in
            switch (before[key], after[key]) {
            case (let old?, let new?) where old != new: "\(key) changed"
            case (nil, _?): "\(key) added"
            case (_?, nil): "\(key) removed"
            default: nil
            }
        }
    }
}
