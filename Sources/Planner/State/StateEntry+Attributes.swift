/// The attributes apply records, by kind, with typed access.
extension StateEntry {
    /// Attribute keys.
    enum Key {
        /// Dataset: SHA-256 of the last imported file.
        static let importContentHash = "importContentHash"
        /// Dataset: ARN of the last successful import job.
        static let importJobArn = "importJobArn"
        /// Dataset: the source the last import read, as written.
        static let importSource = "importSource"
        /// Dataset: count of import jobs started (names them uniquely).
        static let importGeneration = "importGeneration"
        /// Dataset: the import job being run: `{jobName, contentHash, jobArn?}` (a journal entry).
        static let pendingImport = "pendingImport"
        /// Solution: the latest trained version; Campaign: the deployed version; batch job: the version it ran on.
        static let solutionVersionArn = "solutionVersionArn"
        /// Event tracker: the id PutEvents takes.
        static let trackingId = "trackingId"
        /// Dataset export: the absolute folder the job wrote to.
        static let exportPath = "exportPath"
        /// Data deletion: how many users' records the job deleted.
        static let numDeleted = "numDeleted"
        /// Campaign with `promote`: the version the quality gate held back (not retried), and why.
        static let heldBackVersionArn = "heldBackVersionArn"
        /// Campaign with `promote`: why ``heldBackVersionArn`` was held back.
        static let heldBackReason = "heldBackReason"
        /// Solution: for each dataset address, the import job ARN the version was trained on.
        static let trainedImports = "trainedImports"
        /// Solution: count of versions started (names them uniquely).
        static let trainingGeneration = "trainingGeneration"
        /// Solution: the version being trained: `{name, versionArn?}` (a journal entry).
        static let pendingVersion = "pendingVersion"
        /// Recommender: its ARN (what GetRecommendations takes as `recommenderArn`).
        static let recommenderArn = "recommenderArn"
        /// Batch inference and batch segment job: the absolute folder the job wrote to.
        static let outputPath = "outputPath"
        /// Any kind: how many create-before-destroy replacements it went through (names the next one).
        static let replacementGeneration = "replacementGeneration"
    }

    /// A string attribute.
    func string(_ key: String) -> String? { attributes[key]?.stringValue }

    /// An integer attribute (0 when absent).
    func count(_ key: String) -> Int { attributes[key]?.intValue ?? 0 }

    /// A map attribute.
    func map(_ key: String) -> [String: SpecValue]? { attributes[key]?.mapValue }
}

extension StateEntry {
    /// The attributes a `${kind.name.attribute}` reference or `tailor output ADDRESS.ATTRIBUTE` can read:
    /// `arn`, `name`, `status`, what apply recorded (`solutionVersionArn`, ...), then the spec's fields.
    ///
    /// - Parameters:
    ///   - attribute: The attribute's name.
    ///   - address: The entry's address (for `name`).
    /// - Returns: The value, or nil when the entry has no such attribute.
    package func attribute(_ attribute: String, of address: ResourceAddress) -> SpecValue? {
        switch attribute {
        case "arn": .string(arn)
        case "name": .string(engineName ?? address.name)
        case "status": .string(status.rawValue)
        default: attributes[attribute] ?? spec[attribute]
        }
    }

    /// The names ``attribute(_:of:)`` answers for this entry.
    package var attributeNames: [String] {
        (["arn", "name", "status"] + attributes.keys.sorted() + spec.keys.sorted())
    }
}
