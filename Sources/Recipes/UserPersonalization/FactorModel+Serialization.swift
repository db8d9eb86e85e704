extension FactorModel {
    private static let format = BinaryFormat(magic: "TLFM", version: 1, what: "factor model")

    /// A compact binary form: magic `TLFM`, format version (UInt32), factors (UInt32), user count (UInt64),
    /// item count (UInt64), then the user and item vectors as little-endian Float32, row-major.
    package func serialized() -> [UInt8] {
        var writer = BinaryWriter(Self.format, reservingCapacity: 28 + 4 * (userFactors.count + itemFactors.count))
        writer.write(UInt32(factors))
        writer.write(UInt64(userCount))
        writer.write(UInt64(itemCount))
        writer.write(userFactors)
        writer.write(itemFactors)
        return writer.bytes
    }

    /// Reads the form written by ``serialized()``.
    ///
    /// - Throws: ``RecipesError`` if the bytes are not a factor model, are cut short, have extra bytes, have
    ///   impossible sizes, or come from an unknown format version.
    package init(serialized bytes: [UInt8]) throws {
        var reader = try BinaryReader(bytes, Self.format)
        let factors = Int(try reader.readUInt32())
        guard (1...4096).contains(factors) else {
            throw RecipesError.invalidHeader(Self.format.what, "factors is \(factors), outside 1...4096")
        }
        let users = try reader.readCount("user count")
        let items = try reader.readCount("item count")
        let userFactors = try reader.readFloats(count: users * factors)
        let itemFactors = try reader.readFloats(count: items * factors)
        try reader.finish()
        self.init(factors: factors, userFactors: userFactors, itemFactors: itemFactors)
    }
}
