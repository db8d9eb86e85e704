import EngineAPI
import PersonalizeRules

/// Trains a solution version as a journaled step (name saved before CreateSolutionVersion, ARN right after),
/// records which import of each dataset it was trained on, and reports its offline metrics.
struct TrainingRunner {
    let context: ApplyContext

    /// Trains a new version (FULL) of the solution and waits for it.
    func run(_ change: ResourceChange) async throws {
        let address = change.address
        guard case .solution(let spec)? = change.desired?.spec, let solution = await context.recorder.entry(address)
        else { throw PlannerError.missingDependency(address: address, dependency: address, what: "solution ARN") }
        let trainedOn = await importsOfGroup(spec.datasetGroup)
        let versionArn: String
        if let resumed = try await resumableVersion(address, solution: solution) {
            versionArn = resumed
        } else {
            versionArn = try await startVersion(address, solution: solution)
        }
        try await context.waiter.wait(
            for: .active, address, what: "training", timeout: context.timeouts.training, emit: context.emit
        ) { try await observeVersion(versionArn) }
        try await context.recorder.update(address) { entry in
            entry?.attributes[StateEntry.Key.pendingVersion] = nil
            entry?.attributes[StateEntry.Key.solutionVersionArn] = .string(versionArn)
            entry?.attributes[StateEntry.Key.trainedImports] = .map(trainedOn)
        }
        if let metrics = try? await context.service.send(GetSolutionMetricsRequest(solutionVersionArn: versionArn)),
            let values = metrics.metrics
        {
            context.emit(.metrics(address, versionArn: versionArn, metrics: values))
        }
    }

    /// For each dataset of the group in state, the import job its data came from.
    private func importsOfGroup(_ group: String) async -> [String: SpecValue] {
        var imports: [String: SpecValue] = [:]
        for (address, entry) in await context.recorder.entries(of: .dataset)
        where entry.spec["datasetGroup"] == .string(group) {
            imports[address.description] = entry.attributes[StateEntry.Key.importJobArn]
        }
        return imports
    }

    /// The version a killed apply started, if it still exists and has not failed.
    private func resumableVersion(_ address: ResourceAddress, solution: StateEntry) async throws -> String? {
        guard let pending = solution.map(StateEntry.Key.pendingVersion), let name = pending["name"]?.stringValue
        else { return nil }
        var arn = pending["versionArn"]?.stringValue
        if arn == nil {
            let versions = try await EngineCalls.all(
                ListSolutionVersionsRequest(solutionArn: solution.arn), service: context.service)
            for summary in versions.suffix(5) {
                guard let candidate = summary.solutionVersionArn else { continue }
                let described = try await EngineCalls.resource(
                    DescribeSolutionVersionRequest(solutionVersionArn: candidate), service: context.service)
                if described?.name == name { arn = candidate }
            }
        }
        guard let arn, let version = try await observeVersion(arn) else { return nil }
        if case .failed = version.status { return nil }
        context.emit(.step(address, "resuming training of version \(name)"))
        return arn
    }

    private func startVersion(_ address: ResourceAddress, solution: StateEntry) async throws -> String {
        let generation = solution.count(StateEntry.Key.trainingGeneration) + 1
        let name = "\(address.name.prefix(52))-v\(generation)"
        try await context.recorder.update(address) { entry in
            entry?.attributes[StateEntry.Key.trainingGeneration] = .int(generation)
            entry?.attributes[StateEntry.Key.pendingVersion] = .map(["name": .string(name)])
        }
        context.emit(.step(address, "training version \(name)"))
        let response = try await context.service.send(
            CreateSolutionVersionRequest(name: name, solutionArn: solution.arn, trainingMode: .full))
        let arn = try DriverError.require(response.solutionVersionArn, address, "CreateSolutionVersion")
        try await context.recorder.update(address) { entry in
            entry?.attributes[StateEntry.Key.pendingVersion] = .map(["name": .string(name), "versionArn": .string(arn)])
        }
        return arn
    }

    private func observeVersion(_ arn: String) async throws -> Observation? {
        try await EngineCalls.observation(
            DescribeSolutionVersionRequest(solutionVersionArn: arn), service: context.service)
    }
}
