extension ItemSimilarityModel {
    private static let format = BinaryFormat(magic: "TLIS", version: 1, what: "item-similarity model")

    /// A compact binary form: magic `TLIS`, format version (UInt32), popularity discount factor (Float32),
    /// minimum co-interaction count, neighbours and maximum user history (UInt32 each), item count (UInt64),
    /// neighbour count (UInt64), then per item its popularity (Float32), per item its number of neighbours (UInt32),
    /// the neighbours' indices (Int32) and similarities (Float32). Little-endian throughout.
    package func serialized() -> [UInt8] {
        var writer = BinaryWriter(Self.format, reservingCapacity: 40 + 8 * itemCount + 8 * neighbours.nonZeroCount)
        writer.write(parameters.popularityDiscountFactor)
        writer.write(UInt32(parameters.minCointeractionCount))
        writer.write(UInt32(min(parameters.neighbours, Int(UInt32.max))))
        writer.write(UInt32(min(parameters.maximumUserHistory, Int(UInt32.max))))
        writer.write(UInt64(itemCount))
        writer.write(UInt64(neighbours.nonZeroCount))
        writer.write(popularity)
        for item in 0..<itemCount {
            writer.write(UInt32(neighbours.rowPointers[item + 1] - neighbours.rowPointers[item]))
        }
        writer.write(neighbours.columnIndices)
        writer.write(neighbours.values)
        return writer.bytes
    }

    /// Reads the form written by ``serialized()``.
    ///
    /// - Throws: ``RecipesError`` if the bytes are not an item-similarity model, are cut short, have extra bytes,
    ///   hold inconsistent sizes or out-of-range values, or come from an unknown format version.
    package init(serialized bytes: [UInt8]) throws {
        let what = Self.format.what
        var reader = try BinaryReader(bytes, Self.format)
        var parameters = ItemSimilarityParameters()
        parameters.popularityDiscountFactor = try reader.readFloat("popularity discount factor", in: 0...1)
        parameters.minCointeractionCount = Int(try reader.readUInt32())
        parameters.neighbours = Int(try reader.readUInt32())
        parameters.maximumUserHistory = Int(try reader.readUInt32())
        guard parameters.minCointeractionCount <= 10, parameters.neighbours >= 1, parameters.maximumUserHistory >= 1
        else { throw RecipesError.invalidHeader(what, "a parameter is outside its range") }
        let items = try reader.readCount("item count")
        let stored = try reader.readCount("neighbour count")
        let popularity = try reader.readFloats(count: items)
        var pointers = [0]
        pointers.reserveCapacity(items + 1)
        for _ in 0..<items {
            let count = Int(try reader.readUInt32())
            guard count <= items, pointers[pointers.count - 1] + count <= stored else {
                throw RecipesError.invalidHeader(what, "the neighbour counts exceed the \(stored) stored neighbours")
            }
            pointers.append(pointers[pointers.count - 1] + count)
        }
        guard pointers[pointers.count - 1] == stored else {
            throw RecipesError.invalidHeader(what, "the neighbour counts add up to \(pointers[items]), not \(stored)")
        }
        let columns = try reader.readInt32s(count: stored, in: 0..<Int32(items), "neighbour index")
        let values = try reader.readFloats(count: stored)
        try reader.finish()
        for item in 0..<items where pointers[item] < pointers[item + 1] {
            let row = columns[pointers[item]..<pointers[item + 1]]
            guard zip(row, row.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw RecipesError.invalidHeader(what, "the neighbours of item \(item) are not ascending")
            }
        }
        self.init(
            parameters: parameters, popularity: popularity,
            neighbours: SparseMatrix(
                rows: items, cols: items, rowPointers: pointers, columnIndices: columns, values: values))
    }
}
