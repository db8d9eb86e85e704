import TailorTestSupport
import Testing

@testable import Recipes

@Suite struct UserPersonalizationSerializationTests {
    private let model: UserPersonalizationModel = {
        var generator = SeededGenerator(seed: 4)
        let factorModel = FactorModel(
            factors: 3,
            userFactors: (0..<(4 * 3)).map { _ in generator.nextUnitFloat() - 0.5 },
            itemFactors: (0..<(6 * 3)).map { _ in generator.nextUnitFloat() - 0.5 })
        var parameters = UserPersonalizationParameters()
        parameters.alpha = 3.5
        parameters.recencyWeight = 1.25
        parameters.seed = 99
        return UserPersonalizationModel(parameters: parameters, factorModel: factorModel)
    }()

    @Test(.tags(.small)) func roundTrips() throws {
        let bytes = model.serialized()
        #expect(Array(bytes.prefix(4)) == Array("TLUP".utf8))
        let decoded = try UserPersonalizationModel(serialized: bytes)
        #expect(decoded.parameters == model.parameters)
        #expect(decoded.factorModel.itemFactors == model.factorModel.itemFactors)
        #expect(decoded.factorModel.userFactors == model.factorModel.userFactors)
        let history: [(item: Int32, value: Float)] = [(2, 1), (5, 1)]
        #expect(decoded.scores(forHistory: history) == model.scores(forHistory: history))
        #expect(decoded.serialized() == bytes)
    }

    @Test(.tags(.small)) func rejectsEveryTruncationAndExtraBytes() {
        SerializationExpectations.rejectsTruncations(
            of: model.serialized(), UserPersonalizationModel.init(serialized:))
    }

    @Test(.tags(.small)) func rejectsGarbageOtherKindsAndNewerVersions() throws {
        try SerializationExpectations.rejectsGarbageAndNewerVersions(
            of: model.serialized(), lengths: [0, 5, 60, 300], seed: 12, UserPersonalizationModel.init(serialized:))
        #expect(throws: RecipesError.self) { try UserPersonalizationModel(serialized: model.factorModel.serialized()) }
    }

    @Test(.tags(.small)) func rejectsImpossibleParameters() throws {
        // Offsets: magic 0, version 4, factors 8, iterations 12, CG steps 16, alpha 20, regularization 24,
        // unobserved share 28, exponent 32, recency 36, seed 40, factor-model length 48, factor model 56.
        func damaged(_ offset: Int, _ value: [UInt8]) -> [UInt8] {
            var bytes = model.serialized()
            bytes.replaceSubrange(offset..<(offset + value.count), with: value)
            return bytes
        }
        let nan = withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { Array($0) }
        let three = withUnsafeBytes(of: Float(3).bitPattern.littleEndian) { Array($0) }
        let cases: [[UInt8]] = [
            damaged(8, [4, 0, 0, 0]),  // factors disagree with the embedded factor model
            damaged(16, [0, 0, 0, 0]),  // no conjugate-gradient step
            damaged(20, nan),  // alpha
            damaged(32, three),  // exponent above 1
            damaged(48, [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0]),  // factor model longer than the data
            damaged(56, Array("TLPC".utf8)),  // embedded bytes are not a factor model
        ]
        for bytes in cases {
            #expect(throws: RecipesError.self) { try UserPersonalizationModel(serialized: bytes) }
        }
    }
}
