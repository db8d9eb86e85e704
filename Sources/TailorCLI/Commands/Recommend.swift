import ArgumentParser
import Engine
import EngineAPI
import Foundation

extension TailorCommand {
    struct Recommend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Get recommendations from a campaign (GetRecommendations).")

        @Option(help: "The campaign: its name or ARN.")
        var campaign: String

        @Option(help: "The user to recommend for.")
        var user: String?

        @Option(help: "The item to recommend related items for.")
        var item: String?

        @Option(name: .customLong("num-results"), help: "How many items (1-500).")
        var numResults = 10

        @Flag(help: "Print the response as JSON.")
        var json = false

        @OptionGroup var engineOptions: EngineOptions

        func run() async throws {
            let engine: any PersonalizeService =
                try engineOptions.openRemoteEngine()
                ?? engineOptions.openEmbeddedEngine()
            let campaignArn = try await resolveCampaign(campaign, on: engine)
            let response = try await CommandErrors.reporting {
                try await engine.send(
                    GetRecommendationsRequest(
                        campaignArn: campaignArn, itemId: item, userId: user, numResults: numResults))
            }
            if json {
                let data = try PersonalizeJSON.encoder().encode(response)
                print(String(decoding: data, as: UTF8.self))
                return
            }
            let items = response.itemList ?? []
            let width = max(4, items.map { ($0.itemId ?? "").count }.max() ?? 0)
            print("rank  " + "item".padding(toLength: width, withPad: " ", startingAt: 0) + "  score")
            for (rank, item) in items.enumerated() {
                let id = (item.itemId ?? "").padding(toLength: width, withPad: " ", startingAt: 0)
                let score = item.score.map { String(format: "%.6f", $0) } ?? "-"
                print(String(format: "%4d  ", rank + 1) + id + "  " + score)
            }
        }

        private func resolveCampaign(_ nameOrArn: String, on service: some PersonalizeService) async throws -> String {
            if nameOrArn.hasPrefix("arn:") { return nameOrArn }
            let campaigns = try await CommandErrors.reporting {
                try await service.send(ListCampaignsRequest(maxResults: 100)).campaigns ?? []
            }
            guard let match = campaigns.first(where: { $0.name == nameOrArn }), let arn = match.campaignArn else {
                let names = campaigns.compactMap(\.name).sorted().joined(separator: ", ")
                throw ValidationError(
                    "no campaign named '\(nameOrArn)'" + (names.isEmpty ? "" : "; campaigns: \(names)"))
            }
            return arn
        }
    }
}
