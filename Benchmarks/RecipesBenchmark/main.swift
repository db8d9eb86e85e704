import Foundation

do {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    switch options.command {
    case "quality": try QualityCommand.run(options)
    case "speed": try SpeedCommand.run(options)
    case "folds": try writeFolds(options)
    default: throw BenchmarkError("unknown subcommand '\(options.command)'\n\(Options.usage)")
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

/// `folds`: writes the quality folds for running `Benchmarks/reference.py quality` by hand.
func writeFolds(_ options: Options) throws {
    let directory = options.string("data", default: "/tmp/ml100k")
    try Repository.ensureData(in: directory, creatingWith: "examples/movielens/fetch-movielens-100k", [])
    let data = try InteractionData.load(directory: directory)
    let benchmark = QualityBenchmark(
        data: data, folds: try options.int("folds", default: 10), seed: UInt64(try options.int("seed", default: 42)))
    let path = options.string("out", default: "folds.json")
    try FoldFile.write(data, folds: benchmark.folds, to: path)
    print("wrote \(benchmark.folds.count) folds to \(path)")
}
