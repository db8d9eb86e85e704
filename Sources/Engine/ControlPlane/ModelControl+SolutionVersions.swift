import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension ModelControl {
    func createSolutionVersion(_ request: CreateSolutionVersionRequest) async throws
        -> CreateSolutionVersionResponse
    {
        if let name = request.name { try validateName(name) }
        let mode = request.trainingMode ?? .full
        let date = now
        let arn = try await write { db in
            let solution = try ResourceStore.load(db, Solution.self, arn: request.solutionArn, kind: .solution)
            try Self.checkTrainingMode(mode, solution: solution, db)
            return try self.insertSolutionVersion(
                db, solution: solution, name: request.name, mode: mode, type: .manual, at: date, tags: request.tags)
        }
        startTraining(arn)
        return CreateSolutionVersionResponse(solutionVersionArn: arn)
    }

    /// `FULL` always; `UPDATE` only for user-personalization once an ACTIVE `FULL` version exists (the
    /// guide's rule); `AUTOTRAIN` only from the automatic-training scheduler.
    private static func checkTrainingMode(_ mode: TrainingMode, solution: Solution, _ db: Database) throws {
        switch mode {
        case .full:
            return
        case .update:
            let recipe = try BuiltInRecipe.named(arn: solution.recipeArn ?? "")
            guard recipe.supports(.update) else {
                throw PersonalizeError.invalidInput(
                    "trainingMode UPDATE is only supported for solutions of the aws-user-personalization recipe; "
                        + "\(solution.solutionArn ?? "this solution") uses \(recipe.name). Use FULL.")
            }
            let versions = try ResourceStore.rows(db, kind: .solutionVersion, parent: solution.solutionArn)
                .map { try ResourceStore.decode(SolutionVersion.self, $0) }
            guard versions.contains(where: { $0.status == Status.active && $0.trainingMode != .update }) else {
                throw PersonalizeError.invalidInput(
                    "trainingMode UPDATE needs an ACTIVE solution version trained with FULL; "
                        + "\(solution.solutionArn ?? "this solution") has none. Create one with trainingMode FULL first."
                )
            }
        case .autotrain:
            throw PersonalizeError.invalidInput(
                "trainingMode AUTOTRAIN is reserved for versions that automatic training creates; use FULL or UPDATE.")
        default:
            throw PersonalizeError.invalidInput(
                "Invalid trainingMode '\(mode.rawValue)': use FULL or UPDATE.")
        }
    }

    /// Inserts a `CREATE PENDING` version of `solution`, refusing while another version is in progress.
    func insertSolutionVersion(
        _ db: Database, solution: Solution, name: String?, mode: TrainingMode, type: TrainingType, at date: Date,
        tags: [Tag]?
    ) throws -> String {
        let solutionArn = solution.solutionArn ?? ""
        let versions = try ResourceStore.rows(db, kind: .solutionVersion, parent: solutionArn)
        if let running = versions.first(where: { Status.isTransient($0.status) }) {
            throw PersonalizeError.inUse(
                "Solution \(solutionArn) already has a solution version in progress: \(running.arn).")
        }
        try checkQuota(.pendingSolutionVersions, db)
        let versionID = String(UInt32.random(in: .min ... .max), radix: 16).leftPadded(to: 8)
        let arn = arn(.solution, "\(solution.name ?? "")/\(versionID)")
        let version = SolutionVersion(
            name: name ?? versionID, solutionVersionArn: arn, solutionArn: solutionArn,
            performHPO: solution.performHPO, performAutoML: false,
            performIncrementalUpdate: solution.performIncrementalUpdate, recipeArn: solution.recipeArn,
            eventType: solution.eventType, datasetGroupArn: solution.datasetGroupArn,
            solutionConfig: solution.solutionConfig, trainingMode: mode, status: Status.createPending,
            creationDateTime: date, lastUpdatedDateTime: date, trainingType: type)
        try ResourceStore.insert(
            db, arn: arn, kind: .solutionVersion, name: version.name ?? versionID, parent: solutionArn,
            status: Status.createPending, at: date, body: version)
        try TagControl.storeTags(db, arn: arn, tags)
        return arn
    }

    /// Trains the version `arn` in the background; campaigns that follow its solution move to it once
    /// it is ACTIVE.
    func startTraining(_ arn: String) {
        startBackgroundJob(arn) { [self] in
            guard let solutionArn = await trainingJobs.runTraining(arn: arn) else { return }
            await autoTraining.syncCampaigns(solutionArn: solutionArn)
        }
    }

    func getSolutionMetrics(_ request: GetSolutionMetricsRequest) async throws -> GetSolutionMetricsResponse {
        let arn = request.solutionVersionArn
        let metrics = try await read { db -> [String: Double] in
            let version = try ResourceStore.load(db, SolutionVersion.self, arn: arn, kind: .solutionVersion)
            guard version.status == Status.active else {
                throw PersonalizeError.inUse(
                    "Solution version \(arn) is \(version.status ?? "not active"); metrics exist once it is ACTIVE.")
            }
            guard let data = try SolutionMetricsTable.metrics(db, versionArn: arn) else { return [:] }
            return try JSONDecoder().decode([String: Double].self, from: data)
        }
        // Stored at full precision (HPO compares them); the service reports 4 decimals.
        return GetSolutionMetricsResponse(
            solutionVersionArn: arn, metrics: metrics.mapValues { ($0 * 10_000).rounded() / 10_000 })
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
