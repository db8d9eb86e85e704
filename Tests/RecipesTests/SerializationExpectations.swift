import Testing

@testable import Recipes

/// What every binary model format must reject, checked the same way for each model.
enum SerializationExpectations {
    /// Expects `decode` to reject every proper prefix of `bytes` and, unless `extra` is nil, `bytes` with `extra`
    /// appended.
    static func rejectsTruncations<Model>(
        of bytes: [UInt8], andExtra extra: UInt8? = 0, sourceLocation: SourceLocation = #_sourceLocation,
        _ decode: ([UInt8]) throws -> Model
    ) {
        for length in 0..<bytes.count {
            #expect(throws: RecipesError.self, sourceLocation: sourceLocation) {
                try decode(Array(bytes.prefix(length)))
            }
        }
        if let extra {
            #expect(throws: RecipesError.self, sourceLocation: sourceLocation) { try decode(bytes + [extra]) }
        }
    }

    /// Expects `decode` to reject random bytes of each of `lengths` (drawn from `seed`), and `bytes` with their
    /// format version set to 2 with an error that names that version.
    static func rejectsGarbageAndNewerVersions<Model>(
        of bytes: [UInt8], lengths: [Int], seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation,
        _ decode: ([UInt8]) throws -> Model
    ) throws {
        var generator = SeededGenerator(seed: seed)
        for length in lengths {
            let garbage = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(throws: RecipesError.self, sourceLocation: sourceLocation) { try decode(garbage) }
        }
        var newer = bytes
        newer[4] = 2
        let error = try #require(throws: RecipesError.self, sourceLocation: sourceLocation) { try decode(newer) }
        #expect(error.description.contains("version 2"), sourceLocation: sourceLocation)
    }
}
