import Testing

@testable import Planner

@Suite struct StateEditingTests {
    private let dataset = ResourceAddress(.dataset, "interactions")
    private let renamed = ResourceAddress(.dataset, "events")
    private let solution = ResourceAddress(.solution, "top-picks")

    private var state: State {
        var state = State(serial: 3, lineage: "l")
        state[dataset] = StateEntry(
            arn: "arn:dataset/interactions", status: .ready, spec: ["type": .string("INTERACTIONS")],
            attributes: [StateEntry.Key.importJobArn: .string("arn:job")])
        state[solution] = StateEntry(
            arn: "arn:solution/top-picks", status: .ready, spec: [:],
            attributes: [StateEntry.Key.trainedImports: .map([dataset.description: .string("arn:job")])],
            dependencies: [dataset])
        return state
    }

    @Test func moveRetracksTheObjectAndEverythingThatPointsAtIt() throws {
        let moved = try state.moving(dataset, to: renamed)

        #expect(moved.addresses == [renamed, solution])
        #expect(moved[renamed]?.arn == "arn:dataset/interactions")
        #expect(moved[renamed]?.engineName == "interactions", "the engine keeps the old name")
        #expect(moved[renamed]?.attribute("name", of: renamed) == .string("interactions"))
        #expect(moved[solution]?.dependencies == [renamed])
        #expect(moved[solution]?.map(StateEntry.Key.trainedImports) == [renamed.description: .string("arn:job")])
        #expect(try moved.moving(renamed, to: dataset)[dataset]?.engineName == nil, "moving back clears it")
    }

    @Test func moveRefusesWhatCannotBeRight() {
        #expect(throws: StateError.kindMismatch(from: dataset, to: ResourceAddress(.schema, "x"))) {
            try state.moving(dataset, to: ResourceAddress(.schema, "x"))
        }
        #expect(throws: StateError.addressInUse(dataset)) {
            try state.moving(ResourceAddress(.dataset, "interactions"), to: dataset)
        }
        let missing = #expect(throws: StateError.self) {
            try state.moving(ResourceAddress(.dataset, "interaction"), to: renamed)
        }
        #expect(missing?.description == "dataset/interaction is not in the state; did you mean 'dataset/interactions'?")
    }

    @Test func removeForgetsOnlyWhatItNames() throws {
        let removed = try state.removing([solution])

        #expect(removed.addresses == [dataset])
        #expect(throws: StateError.self) { try state.removing([ResourceAddress(.campaign, "x")]) }
    }

    @Test func addressPatternsMatchAddressesKindsAndGlobs() {
        #expect(state.addresses(matching: "dataset").map(\.description) == ["dataset/interactions"])
        #expect(state.addresses(matching: "solution/top-*").map(\.description) == ["solution/top-picks"])
        #expect(state.addresses(matching: "solution/top").isEmpty)
        #expect(StateRenderer.list(state, matching: ["solution"]) == "solution/top-picks\n")
    }

    @Test func outputLookupReadsDeclaredOutputsAndResourceAttributes() throws {
        var state = self.state
        state.outputs = [
            "arn": OutputValue(value: .string("arn:x")), "key": OutputValue(value: .string("h"), sensitive: true),
        ]

        #expect(try OutputLookup.value("arn", in: state) == .string("arn:x"))
        #expect(try OutputLookup.value("solution/top-picks.arn", in: state) == .string("arn:solution/top-picks"))
        #expect(throws: StateError.sensitiveOutput("key")) { try OutputLookup.value("key", in: state) }
        let typo = #expect(throws: StateError.self) { try OutputLookup.value("solution/top-picks.an", in: state) }
        #expect(typo?.description.hasPrefix("solution/top-picks has no attribute 'an'; did you mean 'arn'?") == true)
        #expect(StateRenderer.outputs(state.outputs) == "arn = \"arn:x\"\nkey = <sensitive>\n")
    }
}
