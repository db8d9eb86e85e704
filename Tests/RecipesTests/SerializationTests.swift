import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct SerializationTests {
    private let model: FactorModel = {
        var generator = SeededGenerator(seed: 2)
        return FactorModel(
            factors: 4,
            userFactors: (0..<(5 * 4)).map { _ in generator.nextUnitFloat() - 0.5 },
            itemFactors: (0..<(7 * 4)).map { _ in generator.nextUnitFloat() - 0.5 }
        )
    }()

    @Test(.tags(.small)) func factorModelRoundTrips() throws {
        let bytes = model.serialized()
        #expect(bytes.count == 28 + 4 * (20 + 28))
        #expect(Array(bytes.prefix(4)) == Array("TLFM".utf8))
        let decoded = try FactorModel(serialized: bytes)
        #expect(decoded.factors == 4)
        #expect(decoded.userFactors == model.userFactors)
        #expect(decoded.itemFactors == model.itemFactors)
        #expect(
            decoded.foldIn([(1, 1), (3, 2)], parameters: ALSParameters())
                == model.foldIn([(1, 1), (3, 2)], parameters: ALSParameters()))
    }

    @Test(.tags(.small)) func factorModelRejectsEveryTruncation() {
        SerializationExpectations.rejectsTruncations(of: model.serialized(), FactorModel.init(serialized:))
    }

    @Test(.tags(.small)) func factorModelRejectsGarbageAndOtherVersions() throws {
        try SerializationExpectations.rejectsGarbageAndNewerVersions(
            of: model.serialized(), lengths: [0, 3, 28, 500], seed: 8, FactorModel.init(serialized:))
        var wrongKind = model.serialized()
        wrongKind.replaceSubrange(0..<4, with: Array("TLPC".utf8))
        #expect(throws: RecipesError.self) { try FactorModel(serialized: wrongKind) }
    }

    @Test(.tags(.small)) func factorModelRejectsImpossibleSizes() {
        var huge = model.serialized()
        // A user count of 2^31 − 1 with the stored factors: far more data than the bytes hold.
        huge.replaceSubrange(12..<20, with: [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0])
        #expect(throws: RecipesError.self) { try FactorModel(serialized: huge) }
        var absurd = model.serialized()
        absurd.replaceSubrange(12..<20, with: [UInt8](repeating: 0xFF, count: 8))
        #expect(throws: RecipesError.self) { try FactorModel(serialized: absurd) }
        var noFactors = model.serialized()
        noFactors.replaceSubrange(8..<12, with: [0, 0, 0, 0])
        #expect(throws: RecipesError.self) { try FactorModel(serialized: noFactors) }
    }

    @Test(.tags(.small)) func popularityModelRoundTripsAndRejectsDamage() throws {
        let matrix = SparseMatrix(rows: 3, cols: 4, entries: [(0, 1, 1), (1, 1, 1), (2, 3, 2), (0, 1, 1)])
        let popularity = PopularityModel(matrix)
        #expect(popularity.counts == [0, 3, 0, 2])
        let bytes = popularity.serialized()
        #expect(try PopularityModel(serialized: bytes).counts == popularity.counts)
        SerializationExpectations.rejectsTruncations(of: bytes, andExtra: nil, PopularityModel.init(serialized:))
        #expect(throws: RecipesError.self) { try PopularityModel(serialized: model.serialized()) }
    }
}
