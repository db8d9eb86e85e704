import EngineAPI
import Foundation
import GRDB
import Logging
import PersonalizeRules

extension AutoTraining {
    /// The suffix that names a solution's latest version: `<solution ARN>/$LATEST`.
    static let latestVersionSuffix = "/$LATEST"

    /// The concrete solution version a campaign deploys.
    ///
    /// `<solution ARN>/$LATEST` (allowed only with `syncWithLatestSolutionVersion`) names the
    /// solution's newest ACTIVE version; a concrete version ARN is allowed only without it.
    ///
    /// - Throws: `InvalidInputException` when the ARN and the flag disagree, `ResourceNotFoundException`
    ///   for an unknown solution, `ResourceInUseException` when it has no ACTIVE version yet.
    static func resolveSolutionVersion(_ db: Database, _ requested: String, sync: Bool) throws -> String {
        guard requested.hasSuffix(latestVersionSuffix) else {
            if sync {
                throw PersonalizeError.invalidInput(
                    "campaignConfig.syncWithLatestSolutionVersion needs solutionVersionArn "
                        + "<solution ARN>\(latestVersionSuffix); got \(requested). Name the solution's latest "
                        + "version or set syncWithLatestSolutionVersion to false.")
            }
            return requested
        }
        guard sync else {
            throw PersonalizeError.invalidInput(
                "solutionVersionArn \(requested) follows the solution's latest version: set "
                    + "campaignConfig.syncWithLatestSolutionVersion to true, or name a solution version.")
        }
        let solutionArn = String(requested.dropLast(latestVersionSuffix.count))
        _ = try ResourceStore.load(db, Solution.self, arn: solutionArn, kind: .solution)
        guard let newest = try newestActiveVersion(db, solutionArn: solutionArn) else {
            throw PersonalizeError.inUse(
                "Solution \(solutionArn) has no ACTIVE solution version yet; a campaign needs one to deploy.")
        }
        return newest
    }

    /// The newest ACTIVE solution version of `solutionArn`.
    static func newestActiveVersion(_ db: Database, solutionArn: String) throws -> String? {
        try ResourceStore.rows(db, kind: .solutionVersion, parent: solutionArn)
            .first { $0.status == Status.active }?.arn
    }

    /// Moves every campaign that syncs with its solution's latest version (of `solutionArn`, or of every
    /// solution) to the newest ACTIVE version, through a campaign update: the deployed model keeps
    /// serving until the new one is loaded. Campaigns that are not ACTIVE or already updating are left
    /// for a later call.
    ///
    /// - Returns: The campaign updates started.
    @discardableResult
    func syncCampaigns(solutionArn: String? = nil) async -> [AutoTrainingReport.CampaignUpdate] {
        let date = now
        let moves: [AutoTrainingReport.CampaignUpdate]
        do {
            moves = try await write { db in
                var moves: [AutoTrainingReport.CampaignUpdate] = []
                for row in try ResourceStore.rows(db, kind: .campaign, parent: solutionArn) {
                    guard let move = try Self.syncCampaign(db, row, at: date) else { continue }
                    moves.append(move)
                }
                return moves
            }
        } catch {
            logger.warning("campaign sync failed: \(error)", metadata: ["solution": "\(solutionArn ?? "all")"])
            return []
        }
        for move in moves {
            startBackgroundJob(move.campaignArn) { [self] in
                await campaignDeployment.deploy(
                    campaignArn: move.campaignArn, versionArn: move.solutionVersionArn, isUpdate: true)
            }
        }
        return moves
    }

    private static func syncCampaign(_ db: Database, _ row: ResourceRow, at date: Date) throws
        -> AutoTrainingReport.CampaignUpdate?
    {
        let campaign = try ResourceStore.decode(Campaign.self, row)
        guard campaign.campaignConfig?.syncWithLatestSolutionVersion == true, campaign.status == Status.active,
            !Status.isTransient(campaign.latestCampaignUpdate?.status), let solutionArn = row.parent,
            let newest = try newestActiveVersion(db, solutionArn: solutionArn),
            newest != campaign.solutionVersionArn
        else { return nil }
        if let failed = campaign.latestCampaignUpdate, failed.status == Status.createFailed,
            failed.solutionVersionArn == newest, failed.failureReason != Recovery.interruptedReason
        {
            return nil  // this version failed to load once; a newer version or a manual update moves on
        }
        _ = try ResourceStore.update(db, Campaign.self, arn: row.arn, kind: .campaign, at: date, status: \.status) {
            campaign in
            campaign.lastUpdatedDateTime = date
            campaign.latestCampaignUpdate = CampaignUpdateSummary(
                solutionVersionArn: newest, minProvisionedTPS: campaign.minProvisionedTPS,
                campaignConfig: campaign.campaignConfig, status: Status.updatePending, creationDateTime: date,
                lastUpdatedDateTime: date)
        }
        return AutoTrainingReport.CampaignUpdate(campaignArn: row.arn, solutionVersionArn: newest)
    }
}
