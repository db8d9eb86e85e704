extension TrendingModel {
    private static let format = BinaryFormat(magic: "TLTN", version: 1, what: "trending model")

    /// A compact binary form: magic `TLTN`, format version (UInt32), frequency and evaluation time (Int64 each),
    /// item count (UInt64), then per item its events in the latest period, the period before, and in all
    /// (Float32 each, as three arrays). Little-endian throughout.
    package func serialized() -> [UInt8] {
        var writer = BinaryWriter(Self.format, reservingCapacity: 32 + 12 * itemCount)
        writer.write(UInt64(bitPattern: frequency))
        writer.write(UInt64(bitPattern: evaluatedAt))
        writer.write(UInt64(itemCount))
        writer.write(current)
        writer.write(previous)
        writer.write(popularity)
        return writer.bytes
    }

    /// Reads the form written by ``serialized()``.
    ///
    /// - Throws: ``RecipesError`` if the bytes are not a trending model, are cut short, have extra bytes, hold an
    ///   impossible frequency, or come from an unknown format version.
    package init(serialized bytes: [UInt8]) throws {
        var reader = try BinaryReader(bytes, Self.format)
        let frequency = Int64(bitPattern: try reader.readUInt64())
        guard (1...Self.longestFrequency).contains(frequency) else {
            throw RecipesError.invalidHeader(
                Self.format.what, "frequency is \(frequency), outside 1...\(Self.longestFrequency)")
        }
        let evaluatedAt = Int64(bitPattern: try reader.readUInt64())
        let items = try reader.readCount("item count")
        let current = try reader.readFloats(count: items)
        let previous = try reader.readFloats(count: items)
        let popularity = try reader.readFloats(count: items)
        try reader.finish()
        self.init(
            frequency: frequency, evaluatedAt: evaluatedAt, current: current, previous: previous,
            popularity: popularity)
    }
}
