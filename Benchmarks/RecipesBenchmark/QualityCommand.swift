import Foundation
import Recipes

/// `quality`: popularity, our ALS and our user-personalization model next to implicit's ALS and EASE, on the same
/// folds of the guide's hold-out protocol over MovieLens 100K.
enum QualityCommand {
    static func run(_ options: Options) throws {
        let directory = options.string("data", default: "/tmp/ml100k")
        try Repository.ensureData(in: directory, creatingWith: "examples/movielens/fetch-movielens-100k", [])
        let data = try InteractionData.load(directory: directory)
        let foldCount = try options.int("folds", default: 10)
        let seed = UInt64(try options.int("seed", default: 42))
        let threads = try options.int("threads", default: 0)
        print(
            "MovieLens 100K: \(data.events.count) interactions, \(data.userCount) users, \(data.itemCount) items; "
                + "\(foldCount) folds of the hold-out protocol (seed \(seed)), every event a positive of value 1\n")
        let benchmark = QualityBenchmark(data: data, folds: foldCount, seed: seed)
        var table = Table(["model", "NDCG@10", "precision@10", "coverage", "recall@20", "fit s/fold"])
        var results: [String: QualityRow] = [:]
        for candidate in try candidates(options, threads: threads) {
            let row = benchmark.evaluate(candidate)
            results[candidate.name] = row
            table.add(cells(row, side: "Swift"))
        }
        if !options.flag("no-reference") {
            let foldFile = Repository.temporaryFile("folds.json")
            try FoldFile.write(data, folds: benchmark.folds, to: foldFile)
            let output = try Repository.run(
                options.string("python", default: "python3"),
                [
                    options.string("reference", default: Repository.path("Benchmarks/reference.py")), "quality",
                    "--folds", foldFile, "--threads", String(threads),
                ])
            for row in try parseReference(output) {
                results[row.name] = row
                table.add(cells(row, side: "Python"))
            }
        }
        print(table.render())
        printSummary(results)
    }

    static let ours = "UserPersonalizationModel"

    private static func candidates(_ options: Options, threads: Int) throws -> [Candidate] {
        var tuned = UserPersonalizationParameters()
        tuned.factors = try options.int("factors", default: tuned.factors)
        tuned.iterations = try options.int("iterations", default: tuned.iterations)
        tuned.alpha = try options.float("alpha", default: tuned.alpha)
        tuned.regularization = try options.float("regularization", default: tuned.regularization)
        tuned.unobservedShare = try options.float("unobserved-share", default: tuned.unobservedShare)
        tuned.recencyWeight = try options.float("recency-weight", default: tuned.recencyWeight)
        tuned.threads = threads
        var withoutRecency = tuned
        withoutRecency.recencyWeight = 0
        var als = ALSParameters()
        als.threads = threads
        let all = [
            Candidate(name: "popularity") { matrix in
                let scores = PopularityModel(matrix).scores()
                return { _ in scores }
            },
            Candidate(name: "ALS (f=64, α=10, λ=0.05·n, 15 it)") { matrix in
                let model = ALS.train(matrix, parameters: als)
                return { model.scores(for: model.foldIn($0.map { ($0.item, $0.value) }, parameters: als)) }
            },
            personalization(ours, tuned),
            personalization("\(ours), recencyWeight 0", withoutRecency),
            Candidate(name: "ItemSimilarityModel (SIMS as item-kNN, defaults)") { matrix in
                var parameters = ItemSimilarityParameters()
                parameters.threads = threads
                let model = ItemSimilarityModel.train(matrix, parameters: parameters)
                return { history in model.scores(forHistory: history.map { ($0.item, $0.value) }) }
            },
        ]
        let only = options.string("only", default: "")
        return all.filter { only.isEmpty || $0.name.lowercased().hasPrefix(only.lowercased()) }
    }

    private static func personalization(_ name: String, _ parameters: UserPersonalizationParameters) -> Candidate {
        Candidate(name: name) { matrix in
            let model = UserPersonalizationModel.train(matrix, parameters: parameters)
            return { history in model.scores(forHistory: history.map { ($0.item, $0.value) }) }
        }
    }

    private static func cells(_ row: QualityRow, side: String) -> [String] {
        [
            "\(row.name) [\(side)]", format(row.ndcg10), format(row.precision10), format(row.coverage),
            format(row.recall20), format(row.fitSeconds, 3),
        ]
    }

    private static func parseReference(_ output: String) throws -> [QualityRow] {
        guard let line = output.split(separator: "\n").last,
            let rows = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]]
        else { throw BenchmarkError("reference.py printed no JSON result:\n\(output)") }
        return rows.map { row in
            QualityRow(
                name: row["name"] as? String ?? "?", ndcg10: row["ndcg_at_10"] as? Double ?? .nan,
                precision10: row["precision_at_10"] as? Double ?? .nan, coverage: row["coverage"] as? Double ?? .nan,
                recall20: row["recall_at_20"] as? Double ?? .nan, fitSeconds: row["fit_seconds"] as? Double ?? .nan)
        }
    }

    private static func printSummary(_ results: [String: QualityRow]) {
        guard let model = results[ours], let popularity = results["popularity"] else { return }
        print("\nGoal: NDCG@10 ≥ 0.132 and coverage ≥ 3 × popularity's (\(format(3 * popularity.coverage)))")
        print(
            "\(ours): NDCG@10 \(format(model.ndcg10)), coverage \(format(model.coverage)) = "
                + "\(format(model.coverage / popularity.coverage, 2)) × popularity's")
        for (name, row) in results.sorted(by: { $0.key < $1.key }) where name != ours {
            let fit = row.fitSeconds > 0.001 ? ", fit time ×\(format(model.fitSeconds / row.fitSeconds, 2))" : ""
            print(
                "  vs \(name): NDCG@10 ×\(format(model.ndcg10 / row.ndcg10, 3)), "
                    + "coverage ×\(format(model.coverage / row.coverage, 3))\(fit)")
        }
    }
}
