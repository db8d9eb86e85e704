/// The popularity-count recipe: every item scored by how often it was interacted with.
package struct PopularityModel: Sendable {
    /// Per item, the sum of its interaction values (with value 1 per event, the number of events).
    package let counts: [Float]

    private static let format = BinaryFormat(magic: "TLPC", version: 1, what: "popularity model")

    /// Counts each item's interactions: the column sums of `interactions`.
    ///
    /// `SparseMatrix` sums duplicate `(user, item)` entries, so building it with value 1 per event makes this the
    /// item's event count, which is what `aws-popularity-count` ranks by. Build it with value 1 per
    /// `(user, item)` pair instead to count distinct users.
    ///
    /// - Parameter interactions: A users × items matrix.
    package init(_ interactions: SparseMatrix) {
        var counts = [Float](repeating: 0, count: interactions.cols)
        for (column, value) in zip(interactions.columnIndices, interactions.values) {
            counts[Int(column)] += value
        }
        self.counts = counts
    }

    /// Wraps precomputed per-item counts.
    package init(counts: [Float]) { self.counts = counts }

    /// The raw score of every item: its count. Pass them to ``Softmax/normalize(_:)`` for Personalize's scores.
    package func scores() -> [Float] { counts }

    /// A compact binary form: magic `TLPC`, format version (UInt32), item count (UInt64), then one
    /// little-endian Float32 per item.
    package func serialized() -> [UInt8] {
        var writer = BinaryWriter(Self.format, reservingCapacity: 16 + 4 * counts.count)
        writer.write(UInt64(counts.count))
        writer.write(counts)
        return writer.bytes
    }

    /// Reads the form written by ``serialized()``.
    ///
    /// - Throws: ``RecipesError`` if the bytes are not a popularity model, are cut short, have extra bytes, or
    ///   come from an unknown format version.
    package init(serialized bytes: [UInt8]) throws {
        var reader = try BinaryReader(bytes, Self.format)
        let count = try reader.readCount("item count")
        counts = try reader.readFloats(count: count)
        try reader.finish()
    }
}
