import Foundation
import Recipes

/// A model under evaluation: how to fit it on a fold's training matrix, and how it scores a held-out history.
struct Candidate {
    let name: String
    let fit: (SparseMatrix) -> (_ history: [Event]) -> [Float]
}

/// One candidate's metrics averaged over the folds.
struct QualityRow {
    let name: String
    var ndcg10 = 0.0
    var precision10 = 0.0
    var coverage = 0.0
    var recall20 = 0.0
    var fitSeconds = 0.0
}

/// The guide's hold-out protocol over disjoint folds: every candidate sees the same splits.
struct QualityBenchmark {
    let data: InteractionData
    let folds: [HoldOutSplit]

    init(data: InteractionData, folds: Int, seed: UInt64) {
        self.data = data
        self.folds = (0..<folds).map { HoldOutSplit(events: data.events, fold: $0, of: folds, seed: seed) }
    }

    func evaluate(_ candidate: Candidate) -> QualityRow {
        var row = QualityRow(name: candidate.name)
        for split in folds {
            let matrix = data.matrix(split.training)
            let fitted = measure { candidate.fit(matrix) }
            let lists = split.testUsers.map { user in
                let seen = Set(user.input.map(\.item))
                return TopK.select(fitted.value(user.input), k: 25, excluding: seen).map(\.index)
            }
            let metrics = OfflineMetrics.evaluate(
                recommendations: lists, testUsers: split.testUsers, catalogueSize: data.itemCount)
            row.ndcg10 += metrics["normalized_discounted_cumulative_gain_at_10", default: 0]
            row.precision10 += metrics["precision_at_10", default: 0]
            row.coverage += metrics["coverage", default: 0]
            row.recall20 += metrics["recall_at_20", default: 0]
            row.fitSeconds += fitted.wallSeconds
        }
        let count = Double(max(folds.count, 1))
        row.ndcg10 /= count
        row.precision10 /= count
        row.coverage /= count
        row.recall20 /= count
        row.fitSeconds /= count
        return row
    }
}
