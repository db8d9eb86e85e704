import ArgumentParser
import Planner

extension TailorCommand {
    struct Graph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the dependency graph as Graphviz DOT (pipe it to `dot -Tsvg`).")

        @OptionGroup var manifests: ManifestOptions
        @OptionGroup var engineOptions: EngineOptions
        @OptionGroup var lockOptions: LockOptions

        @Flag(help: "Plan first, and colour each resource by what apply would do to it.")
        var plan = false

        func run() async throws {
            let set = try manifests.load()
            guard plan else { return print(GraphRenderer.dot(set), terminator: "") }
            let planned = try await PlanRun(
                manifests: manifests, engineOptions: engineOptions, lockOptions: lockOptions, options: PlanOptions()
            ).plan()
            print(GraphRenderer.dot(set, plan: planned), terminator: "")
        }
    }
}
