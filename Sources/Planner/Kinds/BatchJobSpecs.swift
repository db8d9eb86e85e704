import Foundation

/// `kind: BatchInferenceJob`: recommendations for every line of a JSON Lines file, from the solution's trained
/// version, written into a folder. A job: apply runs it when it is declared, and again when its spec, the
/// input's content or the solution's version changes; removing the document only forgets it.
///
/// ```yaml
/// kind: BatchInferenceJob
/// metadata: {name: weekly-picks}
/// spec:
///   solution: top-picks          # the version apply trained (state)
///   input: batch/users.jsonl     # a file or a folder of .json/.jsonl files, relative to this file
///   output: batch/out            # a folder: <input file>.out per input file (or an s3:// prefix, or
///                                # {path: s3://bucket/out/, download: batch/out} to copy it here)
///   numResults: 10
///   filter: unwatched            # optional
///   batchInferenceJobConfig: {itemExplorationConfig: {explorationWeight: "0.3"}}
/// ```
package struct BatchInferenceJobSpec: KindSpec {
    /// What both batch job kinds share.
    package var job: BatchJob
    /// `batchInferenceJobConfig.itemExplorationConfig`.
    package var itemExplorationConfig: [String: String]?
    /// `batchInferenceJobConfig.rankingInfluence` (POPULARITY, FRESHNESS).
    package var rankingInfluence: [String: Double]?

    static let definition = KindDefinition(
        kind: .batchInferenceJob,
        fields: BatchJob.fields(what: "recommendations per line", most: 500)
            + [
                FieldDefinition(
                    "batchInferenceJobConfig",
                    .object([
                        FieldDefinition(
                            "itemExplorationConfig", .stringMap, "explorationWeight and explorationItemAgeCutOff"),
                        FieldDefinition("rankingInfluence", .mapOf(.number), "POPULARITY and FRESHNESS, 0 to 1"),
                    ]), "Exploration and ranking settings")
            ],
        supportsTags: true,
        parse: { spec, context in
            let config = spec.mapping("batchInferenceJobConfig")
            let influence = config?.value("rankingInfluence")?.entries?.reduce(into: [String: Double]()) {
                if let value = $1.value.text.flatMap(Double.init) { $0[$1.key] = value }
            }
            guard let job = BatchJob(parsing: spec, context: &context) else { return nil }
            return .batchInferenceJob(
                BatchInferenceJobSpec(
                    job: job, itemExplorationConfig: config?.stringMap("itemExplorationConfig"),
                    rankingInfluence: influence))
        }
    )

    var fields: [String: SpecValue] {
        var fields = job.fields
        var config: [String: SpecValue] = [:]
        config["itemExplorationConfig"] = itemExplorationConfig.map { .map($0.mapValues(SpecValue.string)) }
        config["rankingInfluence"] = rankingInfluence.map { .map($0.mapValues(SpecValue.double)) }
        if !config.isEmpty { fields["batchInferenceJobConfig"] = .map(config) }
        return fields
    }
}

/// `kind: BatchSegmentJob`: the users most drawn to each item (or item attributes) of a JSON Lines file, from
/// an item-affinity solution's trained version. A job, run again when its spec, the input's content or the
/// solution's version changes, like ``BatchInferenceJobSpec``.
///
/// ```yaml
/// kind: BatchSegmentJob
/// metadata: {name: comedy-fans}
/// spec:
///   solution: affinity           # aws-item-affinity or aws-item-attribute-affinity
///   input: segments/items.jsonl
///   output: segments/out
///   numResults: 100
/// ```
package struct BatchSegmentJobSpec: KindSpec {
    /// What both batch job kinds share.
    package var job: BatchJob

    static let definition = KindDefinition(
        kind: .batchSegmentJob,
        fields: BatchJob.fields(what: "users per line", most: 5_000_000),
        supportsTags: true,
        parse: { spec, context in
            BatchJob(parsing: spec, context: &context).map { .batchSegmentJob(BatchSegmentJobSpec(job: $0)) }
        }
    )

    var fields: [String: SpecValue] { job.fields }
}

/// The settings batch inference and batch segment jobs share, and what the planner adds: the input's content
/// hash and the solution version the job runs on.
package struct BatchJob: Hashable, Sendable, Codable {
    /// The solution whose trained version the job uses.
    package var solution: String
    /// The input as written in the manifest.
    package var input: String
    /// The input (a file, or a folder of `.json`/`.jsonl` files) as an absolute path.
    package var inputPath: String
    /// Where the job writes, and where apply copies it to.
    package var output: JobOutput
    /// How many results per line.
    package var numResults: Int?
    /// The filter's name, when the job filters.
    package var filter: String?
    /// The IAM role (the service needs one; the embedded engine takes a placeholder).
    package var roleArn: String?
    /// `sha256:` of the input's content, set when planning (nil while only validating).
    package var contentHash: String?
    /// The solution version the job runs on: set by the plan when the solution's version is known then, and by
    /// apply before it creates the job.
    package var solutionVersion: String?

    /// The fields of both kinds; `what` says what `numResults` counts, `most` how many it may be.
    static func fields(what: String, most: Int) -> [FieldDefinition] {
        [
            FieldDefinition(
                "solution", .reference(.solution), required: true, "Solution whose trained version the job uses"),
            FieldDefinition(
                "input", .string, required: true,
                "JSON Lines file, or folder of .json/.jsonl files (relative to the manifest's folder), or s3:// "
                    + "object or prefix; a new job runs when its content changes"),
            JobOutput.field("one file per input file"),
            FieldDefinition("numResults", .integer(1...most), "How many \(what) (default 25)"),
            FieldDefinition("filter", .reference(.filter), "Filter to apply"),
            .roleArn,
        ]
    }

    init?(parsing spec: MappingView, context: inout ParseContext) {
        let solution = context.reference(.solution, spec, "solution")
        let filter = context.reference(.filter, spec, "filter")
        guard let input = spec.string("input") else { return nil }
        let inputPath = LocalPath.resolve(input, at: spec.location("input"), context: &context, what: "input")
        let output = JobOutput(parsing: spec, context: &context)
        if let inputPath, !inputPath.hasPrefix("s3://"), !FileManager.default.fileExists(atPath: inputPath) {
            context.report(spec.location("input"), "batch input '\(input)' does not exist (looked for \(inputPath))")
        }
        guard let solution, let inputPath, let output else { return nil }
        self.solution = solution
        self.input = input
        self.inputPath = inputPath
        self.output = output
        self.numResults = spec.int("numResults")
        self.filter = filter
        self.roleArn = context.roleArn(spec)
    }

    var fields: [String: SpecValue] {
        var fields: [String: SpecValue] = [
            "solution": .string(solution), "input": .string(input), "output": output.value,
        ]
        fields["numResults"] = numResults.map(SpecValue.int)
        fields["filter"] = filter.map(SpecValue.string)
        fields["roleArn"] = roleArn.map(SpecValue.string)
        fields["contentHash"] = contentHash.map(SpecValue.string)
        fields["solutionVersion"] = solutionVersion.map(SpecValue.string)
        return fields
    }

    /// The names of the files a batch job reads of the folder at `path` (its `.json` and `.jsonl` files), sorted;
    /// nil when `path` is not a folder.
    ///
    /// - Throws: The error of listing the folder.
    static func inputFiles(atPath path: String) throws -> [String]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }.sorted()
    }

    /// `sha256:` of a batch input: a file's content, or a folder's `.json`/`.jsonl` files (names and contents),
    /// the files the engine reads.
    ///
    /// - Throws: The error of reading the file or folder.
    static func contentHash(atPath path: String) throws -> String {
        guard let names = try inputFiles(atPath: path) else { return try SpecHash.ofFile(atPath: path) }
        var files: [String: SpecValue] = [:]
        for name in names {
            files[name] = .string(
                try SpecHash.ofFile(atPath: URL(fileURLWithPath: path).appendingPathComponent(name).path))
        }
        return SpecHash.of(files)
    }
}

extension ResourceSpec {
    /// The batch job settings of a batch inference or batch segment job; nil for other kinds.
    var batchJob: BatchJob? {
        get {
            switch self {
            case .batchInferenceJob(let spec): spec.job
            case .batchSegmentJob(let spec): spec.job
            default: nil
            }
        }
        set {
            guard let newValue else { return }
            switch self {
            case .batchInferenceJob(var spec):
                spec.job = newValue
                self = .batchInferenceJob(spec)
            case .batchSegmentJob(var spec):
                spec.job = newValue
                self = .batchSegmentJob(spec)
            default: break
            }
        }
    }
}
