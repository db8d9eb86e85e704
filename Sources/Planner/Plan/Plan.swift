/// The changes that make the engine match the manifests, and the state they were planned against.
package struct Plan: Sendable, Hashable, Codable {
    /// One change per address (no-ops included), in dependency order.
    package var changes: [ResourceChange]
    /// The state serial the plan was made against; apply refuses a plan whose state has moved on.
    package var priorSerial: Int
    /// The state lineage the plan was made against (nil when there was no state yet).
    package var priorLineage: String?
    /// Whether this plan destroys everything (`tailor destroy`).
    package var isDestroy: Bool

    package init(changes: [ResourceChange], priorSerial: Int, priorLineage: String?, isDestroy: Bool = false) {
        self.changes = changes.sorted { $0.address < $1.address }
        self.priorSerial = priorSerial
        self.priorLineage = priorLineage
        self.isDestroy = isDestroy
    }

    /// Whether applying the plan would change anything.
    package var hasChanges: Bool { changes.contains { $0.action != .noOp } }

    /// The changes other than no-ops.
    package var actionableChanges: [ResourceChange] { changes.filter { $0.action != .noOp } }

    /// The change for `address`.
    package subscript(address: ResourceAddress) -> ResourceChange? {
        changes.first { $0.address == address }
    }

    /// Terraform's counts: a replace is one to add and one to destroy.
    package var summary: (add: Int, change: Int, destroy: Int) {
        var counts = (add: 0, change: 0, destroy: 0)
        for change in changes {
            switch change.action {
            case .create: counts.add += 1
            case .update: counts.change += 1
            case .replace:
                counts.add += 1
                counts.destroy += 1
            case .delete: counts.destroy += 1
            case .noOp: break
            }
        }
        return counts
    }
}
