/// The operations of an apply and the order they need, as a pure state machine: it says which operations
/// may start, and when one finishes, which become ready and which must be skipped because it failed.
///
/// Operations: removing an object (a delete, the first half of a replace, a deposed object), and ensuring a
/// resource (create, update or replace, with its managed steps). Orders:
/// - a removal waits for the removal of everything whose state entry depends on it;
/// - an ensure waits for the ensures of what it depends on, and for its own removal (replace);
/// - the removal of something still used by a resource that stays waits for that resource's update
///   (a campaign moved to another solution before the old one goes);
/// - a deposed object (create before destroy) is removed after its replacement and the resources that
///   moved onto it are applied.
struct ApplyGraph {
    /// One operation.
    struct Operation: Hashable, Sendable {
        enum Kind: Hashable, Sendable {
            case remove
            case ensure
            case removeDeposed(arn: String)
        }

        var kind: Kind
        var address: ResourceAddress
    }

    /// Where an operation is.
    enum Status: Equatable {
        case waiting, running, done, failed, skipped
    }

    private(set) var operations: [Operation] = []
    private(set) var changes: [Operation: ResourceChange] = [:]
    private(set) var predecessors: [Operation: Set<Operation>] = [:]
    private(set) var status: [Operation: Status] = [:]

    init(plan: Plan, state: State) {
        let staying = Set(plan.changes.filter { $0.action == .update || $0.action == .noOp }.map(\.address))
        var removals: [ResourceAddress: Operation] = [:]
        var ensures: [ResourceAddress: Operation] = [:]
        var deposed: [Operation] = []
        for change in plan.changes {
            if let arn = change.deposed {
                deposed.append(add(Operation(kind: .removeDeposed(arn: arn), address: change.address), change))
                continue
            }
            switch change.action {
            case .delete:
                removals[change.address] = add(Operation(kind: .remove, address: change.address), change)
            case .replace where !change.createBeforeDestroy:
                removals[change.address] = add(Operation(kind: .remove, address: change.address), change)
                ensures[change.address] = add(Operation(kind: .ensure, address: change.address), change)
            case .replace:
                ensures[change.address] = add(Operation(kind: .ensure, address: change.address), change)
                let arn = change.prior?.arn ?? ""
                deposed.append(add(Operation(kind: .removeDeposed(arn: arn), address: change.address), change))
            case .create, .update:
                ensures[change.address] = add(Operation(kind: .ensure, address: change.address), change)
            case .noOp: break
            }
        }
        let users = { (address: ResourceAddress) in
            state.resources.filter { $0.value.dependencies.contains(address) }.map(\.key)
        }
        for (address, removal) in removals {
            for user in users(address) {
                if let other = removals[user] { order(other, before: removal) }
                if staying.contains(user), plan.changes.first(where: { $0.address == user })?.action == .update,
                    let update = ensures[user]
                {
                    order(update, before: removal)
                }
            }
        }
        for (address, ensure) in ensures {
            if let removal = removals[address] { order(removal, before: ensure) }
            for dependency in changes[ensure]?.dependencies ?? [] {
                if let other = ensures[dependency] { order(other, before: ensure) }
            }
        }
        for removal in deposed {
            if let ensure = ensures[removal.address] { order(ensure, before: removal) }
            for ensure in ensures.values where changes[ensure]?.dependencies.contains(removal.address) == true {
                order(ensure, before: removal)
            }
            let object = changes[removal]?.prior
            for dependency in object?.dependencies ?? [] {
                if let other = removals[dependency] { order(removal, before: other) }
            }
        }
    }

    /// The operations that may start now: removals first (dependents before what they use), then ensures in
    /// dependency order.
    func ready() -> [Operation] {
        let ready = operations.filter { operation in
            status[operation] == .waiting && (predecessors[operation] ?? []).allSatisfy { status[$0] == .done }
        }
        return ready.filter { $0.kind != .ensure }.reversed() + ready.filter { $0.kind == .ensure }
    }

    /// Whether every operation has ended.
    var isFinished: Bool { status.values.allSatisfy { $0 != .waiting && $0 != .running } }

    /// Marks an operation started.
    mutating func started(_ operation: Operation) {
        status[operation] = .running
    }

    /// Records how an operation ended.
    ///
    /// - Returns: The operations that can no longer run, each with the operation that stopped it (to skip
    ///   them, in dependency order).
    mutating func finished(_ operation: Operation, succeeded: Bool) -> [(Operation, because: Operation)] {
        status[operation] = succeeded ? .done : .failed
        guard !succeeded else { return [] }
        var skipped: [(Operation, because: Operation)] = []
        var changed = true
        while changed {
            changed = false
            for candidate in operations where status[candidate] == .waiting {
                guard
                    let blocker = (predecessors[candidate] ?? []).first(where: {
                        [.failed, .skipped].contains(status[$0])
                    })
                else { continue }
                status[candidate] = .skipped
                skipped.append((candidate, blocker))
                changed = true
            }
        }
        return skipped
    }

    private mutating func add(_ operation: Operation, _ change: ResourceChange) -> Operation {
        operations.append(operation)
        changes[operation] = change
        status[operation] = .waiting
        return operation
    }

    private mutating func order(_ first: Operation, before second: Operation) {
        guard first != second else { return }
        predecessors[second, default: []].insert(first)
    }
}
