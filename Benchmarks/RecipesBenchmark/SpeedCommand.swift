import Foundation
import Recipes

/// `speed`: ALS training time next to implicit's ALS with the same factors, iterations and threads on the synthetic
/// generator's data, and the serving kernel's time per call.
enum SpeedCommand {
    static func run(_ options: Options) throws {
        let interactions = try options.int("interactions", default: 10_000_000)
        let directory = options.string("data", default: "/tmp/tailor-synthetic-\(interactions)")
        try Repository.ensureData(
            in: directory, creatingWith: "scripts/generate-synthetic", ["--interactions", String(interactions)])
        let loaded = try measure { try InteractionData.load(directory: directory) }
        let data = loaded.value
        let matrix = data.matrix(data.events)
        var parameters = ALSParameters()
        parameters.factors = try options.int("factors", default: 64)
        parameters.iterations = try options.int("iterations", default: 15)
        parameters.threads = try options.int("threads", default: 0)
        let threads = parameters.threads > 0 ? parameters.threads : ProcessInfo.processInfo.activeProcessorCount
        print(
            "\(directory): \(data.events.count) events, \(matrix.nonZeroCount) distinct pairs, "
                + "\(data.userCount) users, "
                + "\(data.itemCount) items (read in \(format(loaded.wallSeconds, 1)) s)")
        print(
            "ALS training: \(parameters.factors) factors, \(parameters.iterations) iterations, 3 CG steps, "
                + "\(threads) threads\n"
        )
        var table = Table(["training", "wall s", "CPU s", "wall vs implicit"])
        let ours = measure { ALS.train(matrix, parameters: parameters) }
        var reference: (wall: Double, cpu: Double)?
        if !options.flag("no-reference") {
            let file = Repository.temporaryFile("matrix.bin")
            try writeMatrix(matrix, to: file)
            let output = try Repository.run(
                options.string("python", default: "python3"),
                [
                    options.string("reference", default: Repository.path("Benchmarks/reference.py")), "speed",
                    "--matrix", file, "--factors", String(parameters.factors),
                    "--iterations", String(parameters.iterations), "--threads", String(threads),
                ])
            try? FileManager.default.removeItem(atPath: file)
            reference = try parseReference(output)
        }
        let ratio = reference.map { format(ours.wallSeconds / $0.wall, 2) + "×" } ?? "-"
        table.add(["Recipes ALS [Swift]", format(ours.wallSeconds, 2), format(ours.cpuSeconds, 2), ratio])
        if let reference {
            table.add(["implicit ALS [Python]", format(reference.wall, 2), format(reference.cpu, 2), "1.00×"])
        }
        print(table.render())
        print()
        print(ServingBenchmark(items: 100_000, factors: 64).run().render())
    }

    /// int64 rows, cols, nnz; int64 row pointers; int32 columns; float32 values — what reference.py reads.
    private static func writeMatrix(_ matrix: SparseMatrix, to path: String) throws {
        var bytes = Data()
        func append<T>(_ values: [T]) { values.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        append([Int64(matrix.rows), Int64(matrix.cols), Int64(matrix.nonZeroCount)])
        append(matrix.rowPointers.map(Int64.init))
        append(matrix.columnIndices)
        append(matrix.values)
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    private static func parseReference(_ output: String) throws -> (wall: Double, cpu: Double) {
        guard let line = output.split(separator: "\n").last,
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let wall = row["wall_seconds"] as? Double, let cpu = row["cpu_seconds"] as? Double
        else { throw BenchmarkError("reference.py printed no JSON result:\n\(output)") }
        return (wall, cpu)
    }
}

/// The serving path at catalogue scale: a random model of `items` × `factors`, timed per call (median of many).
struct ServingBenchmark {
    let items: Int
    let factors: Int

    func run() -> Table {
        var generator = SeededGenerator(seed: 1)
        let factorModel = FactorModel(
            factors: factors, userFactors: (0..<factors).map { _ in generator.nextUnitFloat() - 0.5 },
            itemFactors: (0..<(items * factors)).map { _ in generator.nextUnitFloat() - 0.5 })
        let model = UserPersonalizationModel(parameters: UserPersonalizationParameters(), factorModel: factorModel)
        let history = (0..<50).map { _ in (item: Int32(generator.next() % UInt64(items)), value: Float(1)) }
        let seen = Set(history.map(\.item))
        let vector = model.userVector(forHistory: history)
        let scores = factorModel.scores(for: vector)
        var table = Table(["serving, \(items) items × \(factors) factors", "µs/call (median)"])
        table.add(["scores: dot product with every item", time { factorModel.scores(for: vector).count }])
        table.add(["top 25 of the scores", time { TopK.select(scores, k: 25, excluding: seen).count }])
        table.add(["fold-in of a 50-event history", time { model.userVector(forHistory: history).count }])
        table.add([
            "softmax probabilities of the top 25",
            time { UserPersonalizationModel.topProbabilities(scores, count: 25, excluding: seen).count },
        ])
        table.add([
            "recommend(history:count: 25): all of it + softmax",
            time { model.recommend(history: history, count: 25, excluding: seen).count },
        ])
        return table
    }

    private func time(_ body: () -> Int) -> String {
        var samples: [Double] = []
        var sink = 0
        for _ in 0..<300 {
            let measured = measure(body)
            sink &+= measured.value
            samples.append(measured.wallSeconds * 1e6)
        }
        samples.sort()
        return format(samples[samples.count / 2], 1) + (sink == 0 ? " (empty)" : "")
    }
}
