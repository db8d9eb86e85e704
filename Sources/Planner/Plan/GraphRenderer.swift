/// `tailor graph`: the dependency graph as Graphviz DOT, edges from each resource to what it depends on
/// (Terraform's direction); with a plan, nodes are coloured and labelled by their action.
package enum GraphRenderer {
    /// The graph of `manifests` (and of `plan`'s deletions, when given).
    package static func dot(_ manifests: ManifestSet, plan: Plan? = nil) -> String {
        var nodes: [ResourceAddress: [ResourceAddress]] = [:]
        for resource in manifests.resources {
            nodes[resource.address] = Differ.dependencies(of: resource, in: manifests)
        }
        for change in plan?.changes ?? [] where nodes[change.address] == nil {
            nodes[change.address] = change.dependencies
        }
        var lines = [
            "digraph tailor {", "  rankdir = \"RL\";",
            "  node [shape = box, style = \"rounded,filled\", fillcolor = white];",
        ]
        for address in nodes.keys.sorted() {
            var attributes = ["label = \(quoted(address.description))"]
            if let change = plan?[address], change.action != .noOp {
                attributes = [
                    "label = \(quoted("\(address)\n\(change.action.rawValue)"))", "fillcolor = \(color(change.action))",
                ]
            }
            lines.append("  \(quoted(address.description)) [\(attributes.joined(separator: ", "))];")
        }
        for address in nodes.keys.sorted() {
            for dependency in nodes[address] ?? [] where nodes[dependency] != nil {
                lines.append("  \(quoted(address.description)) -> \(quoted(dependency.description));")
            }
        }
        return (lines + ["}"]).joined(separator: "\n") + "\n"
    }

    private static func color(_ action: ChangeAction) -> String {
        switch action {
        case .create: "palegreen"
        case .update: "lightgoldenrod"
        case .replace, .delete: "lightpink"
        case .noOp: "white"
        }
    }

    private static func quoted(_ text: String) -> String {
        SpecValue.string(text).canonicalJSON
    }
}
