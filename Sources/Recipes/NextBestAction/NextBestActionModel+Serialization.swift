extension NextBestActionModel {
    private static let format = BinaryFormat(magic: "TLNB", version: 1, what: "next-best-action model")

    /// A compact binary form: magic `TLNB`, format version (UInt32); action and item counts (UInt64 each); the
    /// parameters — factors, iterations, minimum outcomes for a score (UInt32 each), alpha, item weight,
    /// regularization, unobserved share, bias regularization (Float32 each), optimization period, scoring
    /// window (Int64 as UInt64) and seed (UInt64); the propensity model's intercept, its
    /// ``PropensityModel/featureCount`` weights and one intercept per action (Float32); per action whether it is
    /// scored (UInt32 0 or 1) and its taken count (Float32); then the factor model's own bytes
    /// (``FactorModel/serialized()``) after their length (UInt64). Little-endian throughout.
    package func serialized() -> [UInt8] {
        let factorBytes = factorModel.serialized()
        var writer = BinaryWriter(Self.format, reservingCapacity: 120 + 12 * actionCount + factorBytes.count)
        writer.write(UInt64(actionCount))
        writer.write(UInt64(itemCount))
        writer.write(UInt32(parameters.factors))
        writer.write(UInt32(parameters.iterations))
        writer.write(UInt32(parameters.minimumOutcomesForScore))
        writer.write(parameters.alpha)
        writer.write(parameters.itemWeight)
        writer.write(parameters.regularization)
        writer.write(parameters.unobservedShare)
        writer.write(parameters.biasRegularization)
        writer.write(UInt64(bitPattern: parameters.optimizationPeriod))
        writer.write(UInt64(bitPattern: parameters.scoringWindow))
        writer.write(parameters.seed)
        writer.write(propensityModel.intercept)
        writer.write(propensityModel.weights)
        writer.write(propensityModel.actionBias)
        writer.write(scored.map { Int32($0 ? 1 : 0) })
        writer.write(takenCounts)
        writer.write(nested: factorBytes)
        return writer.bytes
    }

    /// Reads the form written by ``serialized()``.
    ///
    /// - Throws: ``RecipesError`` if the bytes are not a next-best-action model, are cut short, have extra bytes,
    ///   hold out-of-range values, or come from an unknown format version.
    package init(serialized bytes: [UInt8]) throws {
        let what = Self.format.what
        var reader = try BinaryReader(bytes, Self.format)
        let actionCount = try reader.readCount("action count")
        let itemCount = try reader.readCount("item count")
        var parameters = NextBestActionParameters()
        parameters.factors = Int(try reader.readUInt32())
        parameters.iterations = Int(try reader.readUInt32())
        parameters.minimumOutcomesForScore = Int(try reader.readUInt32())
        parameters.alpha = try reader.readNonNegativeFloat("alpha")
        parameters.itemWeight = try reader.readNonNegativeFloat("item weight")
        parameters.regularization = try reader.readNonNegativeFloat("regularization")
        parameters.unobservedShare = try reader.readNonNegativeFloat("unobserved share")
        parameters.biasRegularization = try reader.readNonNegativeFloat("bias regularization")
        parameters.optimizationPeriod = Int64(bitPattern: try reader.readUInt64())
        parameters.scoringWindow = Int64(bitPattern: try reader.readUInt64())
        parameters.seed = try reader.readUInt64()
        let finite = -Float.greatestFiniteMagnitude...Float.greatestFiniteMagnitude
        let intercept = try reader.readFloat("intercept", in: finite)
        let weights = try reader.readFloats(count: PropensityModel.featureCount)
        let bias = try reader.readFloats(count: actionCount)
        guard (weights + bias).allSatisfy(\.isFinite) else {
            throw RecipesError.invalidHeader(what, "the propensity model holds a value that is not finite")
        }
        let scored = try reader.readInt32s(count: actionCount, in: 0..<2, "scored flag").map { $0 == 1 }
        let taken = try reader.readFloats(count: actionCount)
        let factorModel = try FactorModel(serialized: try reader.readNested("factor model length"))
        try reader.finish()
        guard factorModel.factors == parameters.factors, factorModel.itemCount == actionCount + itemCount else {
            throw RecipesError.invalidHeader(what, "the factor model does not match the action and item counts")
        }
        self.init(
            parameters: parameters, actionCount: actionCount, itemCount: itemCount, factorModel: factorModel,
            propensityModel: PropensityModel(intercept: intercept, weights: weights, actionBias: bias),
            scored: scored, takenCounts: taken)
    }
}
