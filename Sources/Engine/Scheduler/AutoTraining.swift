import EngineAPI
public import Foundation
import GRDB
import Logging
import PersonalizeRules

/// Automatic training schedules and the campaigns that follow their solution's newest version.
package struct AutoTraining: EnginePart {
    package let core: EngineCore

    package init(core: EngineCore) { self.core = core }
}

/// What one pass of the automatic-training scheduler did.
public struct AutoTrainingReport: Sendable, Equatable {
    /// An automatic training started.
    public struct Training: Sendable, Equatable {
        public var solutionArn: String
        public var solutionVersionArn: String
        /// The schedule slot it serves.
        public var slot: Date
    }

    /// A campaign that follows its solution's latest version moving to a newer one.
    public struct CampaignUpdate: Sendable, Equatable {
        public var campaignArn: String
        public var solutionVersionArn: String
    }

    /// A solution with automatic training that had nothing to start, and why.
    public struct Skipped: Sendable, Equatable {
        public var solutionArn: String
        /// Why: "not due", "in progress" or "no new data".
        public var reason: String
        /// When the next slot starts, when known.
        public var next: Date?
    }

    public var trainings: [Training] = []
    public var campaignUpdates: [CampaignUpdate] = []
    /// Recommenders whose weekly full retraining started.
    public var recommenderRetrainings: [String] = []
    public var skipped: [Skipped] = []
}

extension AutoTraining {
    /// Starts what automatic training has due now, by the engine's clock: an `AUTOTRAIN` solution
    /// version for each ACTIVE solution with `performAutoTraining` whose schedule slot has come (see
    /// ``AutoTrainingFacts/decision(at:)``), campaign updates for campaigns that sync with their
    /// solution's latest version and lag behind it, and the weekly retraining of recommenders
    /// (``retrainDueRecommenders()``).
    ///
    /// Everything is decided from stored timestamps and each version is inserted in the transaction
    /// that found it due, so calling this again, or from a restarted process, starts nothing twice.
    /// `tailor serve` calls it every minute; `tailor engine tick` once.
    ///
    /// - Returns: What was started and what was skipped.
    public func runDueAutoTraining() async throws -> AutoTrainingReport {
        var report = AutoTrainingReport()
        report.campaignUpdates = await syncCampaigns()
        let solutions = try await read { db in
            try ResourceStore.rows(db, kind: .solution).map(\.arn)
        }
        for solutionArn in solutions {
            let date = now
            let outcome = try await write { db in try self.autoTrain(db, solutionArn: solutionArn, at: date) }
            switch outcome {
            case .started(let training):
                report.trainings.append(training)
                modelControl.startTraining(training.solutionVersionArn)
                logger.info(
                    "automatic training started",
                    metadata: ["solution": "\(solutionArn)", "solutionVersion": "\(training.solutionVersionArn)"])
            case .skipped(let skipped):
                report.skipped.append(skipped)
            case .off:
                continue
            }
        }
        report.recommenderRetrainings = try await retrainDueRecommenders()
        return report
    }

    private enum AutoTrainingOutcome: Sendable {
        case started(AutoTrainingReport.Training)
        case skipped(AutoTrainingReport.Skipped)
        case off
    }

    private func autoTrain(_ db: Database, solutionArn: String, at date: Date) throws
        -> AutoTrainingOutcome
    {
        guard let row = try ResourceStore.row(db, arn: solutionArn), row.kind == .solution else { return .off }
        let solution = try ResourceStore.decode(Solution.self, row)
        guard solution.performAutoTraining == true, solution.status == Status.active else { return .off }
        let facts = try autoTrainingFacts(db, solution)
        switch facts.decision(at: date) {
        case .train(let slot):
            let arn = try modelControl.insertSolutionVersion(
                db, solution: solution, name: nil, mode: .autotrain, type: .automatic, at: date, tags: nil)
            return .started(.init(solutionArn: solutionArn, solutionVersionArn: arn, slot: slot))
        case .wait(let next):
            return .skipped(.init(solutionArn: solutionArn, reason: "not due", next: next))
        case .busy(let arn):
            return .skipped(.init(solutionArn: solutionArn, reason: "in progress (\(arn))", next: nil))
        case .noNewData(let next):
            return .skipped(.init(solutionArn: solutionArn, reason: "no new data", next: next))
        }
    }

    /// The stored timestamps the schedule of `solution` depends on.
    private func autoTrainingFacts(_ db: Database, _ solution: Solution) throws -> AutoTrainingFacts {
        let expression = solution.solutionConfig?.autoTrainingConfig?.schedulingExpression
        let days = (try? TrainingSchedule.validate(expression ?? "")) ?? 7
        let created = solution.creationDateTime ?? Date(timeIntervalSince1970: 0)
        let start = max(created, solution.latestSolutionUpdate?.creationDateTime ?? created)
        let versions = try ResourceStore.rows(db, kind: .solutionVersion, parent: solution.solutionArn).map { row in
            let version = try ResourceStore.decode(SolutionVersion.self, row)
            return AutoTrainingFacts.Version(
                arn: row.arn, created: version.creationDateTime ?? row.created,
                automatic: version.trainingType == .automatic, status: version.status ?? "",
                interrupted: version.failureReason == Recovery.interruptedReason)
        }
        return AutoTrainingFacts(
            scheduleStart: start, days: days, versions: versions,
            lastDataChange: try lastInteractionsChange(
                db, datasetGroupArn: solution.datasetGroupArn,
                includingActions: BuiltInRecipe(arn: solution.recipeArn ?? "") == .nextBestAction))
    }

    /// When interaction data last arrived in `datasetGroupArn`: the latest bulk import into its
    /// Interactions dataset that finished, or the latest `PutEvents` (and, for next-best-action solutions, the
    /// same for its Action interactions dataset, as the guide says).
    private func lastInteractionsChange(
        _ db: Database, datasetGroupArn: String?, includingActions: Bool
    ) throws -> Date? {
        var types = [DatasetType.interactions.rawValue]
        if includingActions { types.append(DatasetType.actionInteractions.rawValue) }
        let datasets = try ResourceStore.rows(db, kind: .dataset, parent: datasetGroupArn ?? "").filter {
            types.contains((try? ResourceStore.decode(Dataset.self, $0).datasetType) ?? "")
        }
        var latest: Date?
        for dataset in datasets {
            let imports = try ResourceStore.rows(db, kind: .datasetImportJob, parent: dataset.arn)
                .filter { $0.status == Status.active }
                .compactMap { try ResourceStore.decode(DatasetImportJob.self, $0).lastUpdatedDateTime }
            let streamed = try DataChanges.lastChange(
                db, table: try DatasetTable.find(db, datasetArn: dataset.arn).name)
            latest = ([latest, streamed].compactMap { $0 } + imports).max()
        }
        return latest
    }
}

extension AutoTraining {
    /// How often recommenders retrain from scratch on all data (the guide: every 7 days).
    static let recommenderRetrainingInterval: TimeInterval = 7 * 86_400

    /// Starts the weekly full retraining of each ACTIVE recommender whose model is 7 days old (by the engine's
    /// clock; a recommender never trained by this version counts from its creation). A stopped (INACTIVE)
    /// recommender does not retrain, nor one whose update is in progress; the previous model serves meanwhile.
    /// The time of each training is stored when it succeeds, so a retraining cut short by a stopped process
    /// starts again at the next pass.
    ///
    /// - Returns: The recommenders whose retraining started.
    func retrainDueRecommenders() async throws -> [String] {
        let date = now
        let due = try await read { db -> [(String, DomainUseCase)] in
            var due: [(String, DomainUseCase)] = []
            for row in try ResourceStore.rows(db, kind: .recommender) where row.status == Status.active {
                let recommender = try ResourceStore.decode(Recommender.self, row)
                guard !Status.isTransient(recommender.latestRecommenderUpdate?.status),
                    let useCase = try? DomainUseCase.find(recommender.recipeArn ?? "")
                else { continue }
                let trained =
                    try RecommenderTrainingTable.lastTrained(db, recommenderArn: row.arn)
                    ?? recommender.creationDateTime ?? row.created
                if date.timeIntervalSince(trained) >= Self.recommenderRetrainingInterval {
                    due.append((row.arn, useCase))
                }
            }
            return due
        }
        var started: [String] = []
        for (arn, useCase) in due where !isBackgroundJobRunning("retrain:\(arn)") {
            startBackgroundJob("retrain:\(arn)") { [self] in
                await trainingJobs.trainRecommender(arn, useCase: useCase, mode: .automatic)
            }
            logger.info("weekly recommender retraining started", metadata: ["recommender": "\(arn)"])
            started.append(arn)
        }
        return started
    }
}
