/// What opens one model's binary form (its magic bytes, then its format version as a UInt32), and the model's name
/// in errors.
struct BinaryFormat {
    /// The bytes that start the form.
    let magic: [UInt8]
    /// The format version written, and the highest one read.
    let version: UInt32
    /// The model's name in errors, e.g. "factor model".
    let what: String

    /// The format opened by `magic` (ASCII), at `version`.
    init(magic: String, version: UInt32, what: String) {
        self.magic = Array(magic.utf8)
        self.version = version
        self.what = what
    }
}

/// Writes the little-endian binary formats of serialized models.
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    /// A writer that has written `format`'s magic bytes and version.
    init(_ format: BinaryFormat, reservingCapacity capacity: Int) {
        bytes.reserveCapacity(capacity)
        bytes.append(contentsOf: format.magic)
        write(format.version)
    }

    mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Float) { write(value.bitPattern) }

    mutating func write(bytes other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Writes another model's serialized bytes after their length (UInt64); ``BinaryReader/readNested(_:)`` reads
    /// them back.
    mutating func write(nested other: [UInt8]) {
        write(UInt64(other.count))
        write(bytes: other)
    }

    mutating func write(_ values: [Int32]) {
        #if _endian(little)
            values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
            for value in values { write(UInt32(bitPattern: value)) }
        #endif
    }

    mutating func write(_ values: [Float]) {
        #if _endian(little)
            values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
            for value in values { write(value.bitPattern) }
        #endif
    }
}

/// Reads the little-endian binary formats of serialized models, throwing ``RecipesError`` instead of trapping.
struct BinaryReader {
    private let bytes: [UInt8]
    private let what: String
    private var offset = 0

    /// The format version the bytes were written in.
    private(set) var version: UInt32 = 0

    /// A reader past the magic bytes and version of `format`, which it has checked.
    ///
    /// - Throws: ``RecipesError`` if the bytes do not start with `format`'s magic bytes, or their version is 0 or
    ///   newer than `format`'s.
    init(_ bytes: [UInt8], _ format: BinaryFormat) throws {
        self.bytes = bytes
        self.what = format.what
        try need(format.magic.count)
        let found = Array(bytes[offset..<(offset + format.magic.count)])
        guard found == format.magic else { throw RecipesError.badMagic(what, found: found) }
        offset += format.magic.count
        version = try readUInt32()
        guard (1...format.version).contains(version) else {
            throw RecipesError.unsupportedVersion(what, version: version, highestSupported: format.version)
        }
    }

    var remaining: Int { bytes.count - offset }

    mutating func readUInt32() throws -> UInt32 { try readLittleEndian() }

    mutating func readUInt64() throws -> UInt64 { try readLittleEndian() }

    /// Reads an unsigned integer of `T`'s width, least significant byte first.
    private mutating func readLittleEndian<T: FixedWidthInteger & UnsignedInteger>() throws -> T {
        let size = MemoryLayout<T>.size
        try need(size)
        var value: T = 0
        for i in 0..<size { value |= T(bytes[offset + i]) << (8 * i) }
        offset += size
        return value
    }

    mutating func readFloat() throws -> Float { Float(bitPattern: try readUInt32()) }

    /// Reads a `Float` that must be finite and within `range`.
    mutating func readFloat(_ field: String, in range: ClosedRange<Float>) throws -> Float {
        let value = try readFloat()
        guard value.isFinite, range.contains(value) else {
            throw RecipesError.invalidHeader(what, "\(field) is \(value), outside \(range)")
        }
        return value
    }

    /// Reads a `Float` that must be finite and not negative.
    mutating func readNonNegativeFloat(_ field: String) throws -> Float {
        try readFloat(field, in: 0...Float.greatestFiniteMagnitude)
    }

    /// Reads the bytes written by ``BinaryWriter/write(nested:)``, their length named `field` in errors.
    mutating func readNested(_ field: String) throws -> [UInt8] {
        try readBytes(count: try readCount(field))
    }

    /// Reads `count` raw bytes.
    mutating func readBytes(count: Int) throws -> [UInt8] {
        try need(count)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// Reads a count stored as `UInt64`, rejecting values that cannot be an in-memory count.
    mutating func readCount(_ field: String) throws -> Int {
        let value = try readUInt64()
        guard value <= UInt64(Int32.max) else {
            throw RecipesError.invalidHeader(what, "\(field) is \(value), more than \(Int32.max)")
        }
        return Int(value)
    }

    mutating func readFloats(count: Int) throws -> [Float] {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: 4)
        guard !overflow else { throw RecipesError.invalidHeader(what, "\(count) values do not fit in memory") }
        try need(byteCount)
        let start = offset
        offset += byteCount
        #if _endian(little)
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                bytes.withUnsafeBytes { raw in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[start..<(start + byteCount)])
                    )
                }
                initialized = count
            }
        #else
            return (0..<count).map { i in
                var bits: UInt32 = 0
                for b in 0..<4 { bits |= UInt32(bytes[start + 4 * i + b]) << (8 * UInt32(b)) }
                return Float(bitPattern: bits)
            }
        #endif
    }

    /// Reads `count` little-endian `Int32`s, each of which must lie in `range`.
    mutating func readInt32s(count: Int, in range: Range<Int32>, _ field: String) throws -> [Int32] {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: 4)
        guard !overflow else { throw RecipesError.invalidHeader(what, "\(count) values do not fit in memory") }
        try need(byteCount)
        var values: [Int32] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            let value = Int32(bitPattern: try readUInt32())
            guard range.contains(value) else {
                throw RecipesError.invalidHeader(what, "\(field) \(value) is outside \(range)")
            }
            values.append(value)
        }
        return values
    }

    /// Throws unless every byte has been read.
    func finish() throws {
        guard remaining == 0 else { throw RecipesError.trailingBytes(what, count: remaining) }
    }

    private func need(_ count: Int) throws {
        guard count <= remaining else { throw RecipesError.truncated(what, needed: count, available: remaining) }
    }
}
