import Foundation
import TailorTestSupport
import Testing

@testable import Planner

/// Manifests of a small MovieLens-like setup: a dataset group, a schema, an interactions dataset with an
/// import, a solution and a campaign.
enum Fixtures {
    /// The diagnostics loading a folder that holds only `a.yaml`, of `yaml`, reports; an issue is recorded when
    /// it loads without any.
    static func diagnostics(
        loading yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [Diagnostic] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("a.yaml", yaml)
        let error = #expect(throws: DiagnosticsError.self, sourceLocation: sourceLocation) {
            try ManifestLoader.load(directory: directory.url)
        }
        return try #require(error, sourceLocation: sourceLocation).diagnostics
    }

    /// What loading the manifests in `directory` reports, as one text; an issue is recorded when they load.
    static func loadErrors(
        _ directory: TemporaryDirectory, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> String {
        let error = #expect(throws: (any Error).self, sourceLocation: sourceLocation) {
            try ManifestLoader.load(directory: directory.url)
        }
        return error.map { "\($0)" } ?? ""
    }

    static let group = """
        apiVersion: tailor/v1
        kind: DatasetGroup
        metadata:
          name: movielens
        ---
        apiVersion: tailor/v1
        kind: Schema
        metadata:
          name: interactions
        spec:
          fields:
            - {name: USER_ID, type: string}
            - {name: ITEM_ID, type: string}
            - {name: TIMESTAMP, type: long}
            - {name: EVENT_TYPE, type: string, nullable: true}

        """

    static let dataset = """
        apiVersion: tailor/v1
        kind: Dataset
        metadata:
          name: interactions
        spec:
          datasetGroup: movielens
          type: INTERACTIONS
          schema: interactions
          import:
            source: ../data/ratings.csv
            mode: FULL

        """

    /// The interactions dataset importing `data/ratings.csv`, which `command` fetches when it is missing.
    static func fetchingDataset(command: String) -> String {
        """
        apiVersion: tailor/v1
        kind: Dataset
        metadata: {name: interactions}
        spec:
          datasetGroup: movielens
          type: INTERACTIONS
          schema: interactions
          import:
            source: data/ratings.csv
            fetch: {command: \(command)}
        """
    }

    static func solution(recipe: String = "aws-user-personalization", tps: Int = 1) -> String {
        """
        apiVersion: tailor/v1
        kind: Solution
        metadata:
          name: top-picks
        spec:
          datasetGroup: movielens
          recipe: \(recipe)
          hyperParameters: {hidden_dimension: 64}
        ---
        apiVersion: tailor/v1
        kind: Campaign
        metadata:
          name: top-picks
        spec:
          solution: top-picks
          minProvisionedTPS: \(tps)

        """
    }

    static let ratings = "USER_ID,ITEM_ID,TIMESTAMP\n1,10,100\n2,20,200\n"

    /// Writes the whole setup into `directory`.
    static func writeMovielens(
        to directory: TemporaryDirectory, recipe: String = "aws-user-personalization", tps: Int = 1
    )
        throws
    {
        try directory.write("group.yaml", group)
        try directory.write("datasets/interactions.yml", dataset)
        try directory.write("solutions.yaml", solution(recipe: recipe, tps: tps))
        try directory.write("data/ratings.csv", ratings)
    }
}
