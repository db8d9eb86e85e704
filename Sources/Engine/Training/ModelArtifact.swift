import Foundation
package import PersonalizeRules
package import Recipes

/// Everything a deployed campaign needs from one trained solution version, as one file.
///
/// Layout: the magic `TAILORM1`, a length-prefixed JSON header (recipe, ids, parameters, loss), then
/// length-prefixed sections: the users' interacted items (CSR), the popularity model and, for
/// user-personalization, its model (``UserPersonalizationModel/serialized()``; files written before it
/// hold a bare ``FactorModel``, read with the header's parameters and no recency weighting), then, for
/// the related-items recipes, their ``ItemSimilarityModel`` (absent in older files), then, for next-best-action,
/// its ``NextBestActionModel`` (absent in older files). A next-best-action artifact's catalogue is its actions:
/// `itemIDs` are action IDs, `userItems` the actions each user took, `popularity` how often each was taken, and
/// the item interactions it folds in are numbered by `interactionItemIDs`.
package struct ModelArtifact: Sendable {
    package struct Header: Codable, Sendable {
        package var recipe: BuiltInRecipe
        package var userIDs: [String]
        package var itemIDs: [String]
        package var factors: Int?
        package var regularization: Float?
        package var alpha: Float?
        package var trainingLoss: [Double]
        /// `aws-trending-now`: the period of trend discovery, in seconds.
        package var trendFrequency: Int64? = nil
        /// `aws-next-best-action`: the IDs of the items whose interactions it folds in (`itemIDs` are actions).
        package var interactionItemIDs: [String]? = nil
    }

    package var header: Header
    /// Users × items of the training interactions (for excluding what a user already has).
    package var userItems: SparseMatrix
    package var popularity: PopularityModel
    package var personalization: UserPersonalizationModel?
    /// For the related-items recipes (`aws-sims`, `aws-similar-items`): each item's neighbours.
    package var similarity: ItemSimilarityModel?
    /// For `aws-next-best-action`: the propensity model.
    package var actions: NextBestActionModel?

    private static let magic = Array("TAILORM1".utf8)

    package func serialized() throws -> [UInt8] {
        var out = ByteWriter()
        out.bytes(Self.magic)
        out.section(Array(try JSONEncoder().encode(header)))
        var csr = ByteWriter()
        csr.int64(Int64(userItems.rows))
        csr.int64(Int64(userItems.cols))
        for pointer in userItems.rowPointers { csr.int64(Int64(pointer)) }
        for index in userItems.columnIndices { csr.int32(index) }
        out.section(csr.buffer)
        out.section(popularity.serialized())
        out.section(personalization?.serialized() ?? [])
        out.section(similarity?.serialized() ?? [])
        out.section(actions?.serialized() ?? [])
        return out.buffer
    }

    package init(
        header: Header, userItems: SparseMatrix, popularity: PopularityModel,
        personalization: UserPersonalizationModel?, similarity: ItemSimilarityModel? = nil,
        actions: NextBestActionModel? = nil
    ) {
        self.header = header
        self.userItems = userItems
        self.popularity = popularity
        self.personalization = personalization
        self.similarity = similarity
        self.actions = actions
    }

    /// Reads an artifact; damaged or foreign bytes throw, never crash.
    package init(serialized bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard try reader.bytes(Self.magic.count) == Self.magic else {
            throw ArtifactError("not a Tailor model file (bad magic)")
        }
        header = try JSONDecoder().decode(Header.self, from: Data(try reader.section()))
        var csr = ByteReader(try reader.section())
        let rows = Int(try csr.int64())
        let cols = Int(try csr.int64())
        guard rows >= 0, cols >= 0, rows < Int(Int32.max) else { throw ArtifactError("bad matrix shape") }
        var pointers: [Int] = []
        pointers.reserveCapacity(rows + 1)
        for _ in 0...rows { pointers.append(Int(try csr.int64())) }
        var entries: [(row: Int32, col: Int32, value: Float)] = []
        for row in 0..<rows {
            guard pointers[row] <= pointers[row + 1] else { throw ArtifactError("bad row pointers") }
            for _ in pointers[row]..<pointers[row + 1] {
                let col = try csr.int32()
                guard col >= 0, Int(col) < cols else { throw ArtifactError("bad column index") }
                entries.append((Int32(row), col, 1))
            }
        }
        userItems = SparseMatrix(rows: rows, cols: cols, entries: entries)
        popularity = try PopularityModel(serialized: try reader.section())
        let model = try reader.section()
        if model.isEmpty {
            personalization = nil
        } else if model.starts(with: Array("TLUP".utf8)) {
            personalization = try UserPersonalizationModel(serialized: model)
        } else {
            var parameters = UserPersonalizationParameters()
            parameters.recencyWeight = 0
            if let regularization = header.regularization { parameters.regularization = regularization }
            if let alpha = header.alpha { parameters.alpha = alpha }
            personalization = UserPersonalizationModel(
                parameters: parameters, factorModel: try FactorModel(serialized: model))
        }
        // Files written before related-items recipes end here.
        let similar = reader.offset < reader.bytes.count ? try reader.section() : []
        similarity = similar.isEmpty ? nil : try ItemSimilarityModel(serialized: similar)
        // Files written before next-best-action end here.
        let nextBestAction = reader.offset < reader.bytes.count ? try reader.section() : []
        actions = nextBestAction.isEmpty ? nil : try NextBestActionModel(serialized: nextBestAction)
    }
}

package struct ArtifactError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = "damaged model file: \(description)" }
}

struct ByteWriter {
    var buffer: [UInt8] = []
    mutating func bytes(_ bytes: [UInt8]) { buffer += bytes }
    mutating func int64(_ value: Int64) { withUnsafeBytes(of: value.littleEndian) { buffer += $0 } }
    mutating func int32(_ value: Int32) { withUnsafeBytes(of: value.littleEndian) { buffer += $0 } }
    mutating func section(_ bytes: [UInt8]) {
        int64(Int64(bytes.count))
        buffer += bytes
    }
}

struct ByteReader {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else { throw ArtifactError("truncated") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func int64() throws -> Int64 {
        let raw = try bytes(8)
        return raw.reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }

    mutating func int32() throws -> Int32 {
        let raw = try bytes(4)
        return Int32(bitPattern: raw.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    mutating func section() throws -> [UInt8] {
        let count = try int64()
        guard count >= 0, count <= Int64(bytes.count - offset) else { throw ArtifactError("truncated section") }
        return try bytes(Int(count))
    }
}
