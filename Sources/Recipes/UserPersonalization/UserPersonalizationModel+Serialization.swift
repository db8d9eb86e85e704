extension UserPersonalizationModel {
    private static let format = BinaryFormat(magic: "TLUP", version: 1, what: "user-personalization model")

    /// A compact binary form: magic `TLUP`, format version (UInt32), then the parameters — factors, iterations and
    /// conjugate-gradient steps (UInt32 each), alpha, regularization, unobserved share, regularization exponent
    /// and recency weight (Float32 each), seed (UInt64) — then the factor model's own bytes
    /// (``FactorModel/serialized()``) after their length (UInt64). Little-endian throughout.
    package func serialized() -> [UInt8] {
        let factorBytes = factorModel.serialized()
        var writer = BinaryWriter(Self.format, reservingCapacity: 60 + factorBytes.count)
        writer.write(UInt32(parameters.factors))
        writer.write(UInt32(parameters.iterations))
        writer.write(UInt32(parameters.conjugateGradientSteps))
        writer.write(parameters.alpha)
        writer.write(parameters.regularization)
        writer.write(parameters.unobservedShare)
        writer.write(parameters.regularizationExponent)
        writer.write(parameters.recencyWeight)
        writer.write(parameters.seed)
        writer.write(nested: factorBytes)
        return writer.bytes
    }

    /// Reads the form written by ``serialized()``.
    ///
    /// - Throws: ``RecipesError`` if the bytes are not a user-personalization model, are cut short, have extra
    ///   bytes, hold out-of-range parameters, or come from an unknown format version.
    package init(serialized bytes: [UInt8]) throws {
        let what = Self.format.what
        var reader = try BinaryReader(bytes, Self.format)
        var parameters = UserPersonalizationParameters()
        parameters.factors = Int(try reader.readUInt32())
        parameters.iterations = Int(try reader.readUInt32())
        parameters.conjugateGradientSteps = Int(try reader.readUInt32())
        guard parameters.conjugateGradientSteps >= 1 else {
            throw RecipesError.invalidHeader(what, "conjugate-gradient steps is 0, not at least 1")
        }
        parameters.alpha = try reader.readNonNegativeFloat("alpha")
        parameters.regularization = try reader.readNonNegativeFloat("regularization")
        parameters.unobservedShare = try reader.readNonNegativeFloat("unobserved share")
        parameters.regularizationExponent = try reader.readFloat("regularization exponent", in: 0...1)
        parameters.recencyWeight = try reader.readNonNegativeFloat("recency weight")
        parameters.seed = try reader.readUInt64()
        let factorModel = try FactorModel(serialized: try reader.readNested("factor model length"))
        try reader.finish()
        guard factorModel.factors == parameters.factors else {
            throw RecipesError.invalidHeader(
                what, "factors is \(parameters.factors) but the factor model has \(factorModel.factors)")
        }
        self.init(parameters: parameters, factorModel: factorModel)
    }
}
