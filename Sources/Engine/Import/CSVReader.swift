package import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A malformed CSV record: where it is and what is wrong.
package struct CSVError: Error, Sendable, CustomStringConvertible {
    package let line: Int
    package let message: String
    package var description: String { "line \(line): \(message)" }
}

/// Streams records from a CSV file in constant memory, without allocating per field.
///
/// Fields are separated by commas; a field may be quoted with `"`. Inside quotes `""` and `\"` stand
/// for a quote and `\\` for a backslash (the guide's escaping). Lines end with LF or CRLF; blank lines
/// are skipped. After ``next()`` returns true, ``field(_:)`` gives the bytes of each field of the
/// current record, valid until the next call.
package struct CSVReader: ~Copyable {
    private let descriptor: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var atEnd = false
    private var scratch: [UInt8] = []
    private var offsets: [Int] = [0]
    /// The line on which the current record started (1-based).
    package private(set) var line = 0
    private var nextLine = 1
    private let maximumRecordBytes: Int
    private var remainingBytes: Int64
    /// Bytes read from the file so far.
    package private(set) var bytesRead = 0

    /// Opens `url` for reading.
    ///
    /// - Throws: `CSVError` (line 0) when the file cannot be opened.
    package init(url: URL, chunkSize: Int = 4 << 20) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CSVError(
                line: 0, message: "cannot open \(url.lastPathComponent): \(String(cString: strerror(errno)))")
        }
        self.init(descriptor: fd, chunkSize: chunkSize)
    }

    /// Reads the open file `descriptor`, which the reader closes.
    ///
    /// - Parameters:
    ///   - maximumRecordBytes: The longest record read (a longer one, e.g. after an unterminated quote, is an
    ///     error instead of a buffer that grows with the file).
    ///   - maximumBytes: The most bytes read from the file.
    package init(
        descriptor: Int32, chunkSize: Int = 4 << 20, maximumRecordBytes: Int = 8 << 20, maximumBytes: Int64 = .max
    ) {
        self.descriptor = descriptor
        self.maximumRecordBytes = max(maximumRecordBytes, 64)
        self.remainingBytes = maximumBytes
        buffer = .allocate(byteCount: max(chunkSize, 64), alignment: 16)
        scratch.reserveCapacity(1024)
    }

    deinit {
        buffer.deallocate()
        close(descriptor)
    }

    /// The number of fields of the current record.
    package var fieldCount: Int { offsets.count - 1 }

    /// Calls `body` with the bytes of field `index` of the current record.
    package func withField<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try scratch.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[offsets[index]..<offsets[index + 1]]))
        }
    }

    /// Field `index` of the current record as a string.
    ///
    /// - Throws: `CSVError` when the bytes are not valid UTF-8.
    package func string(_ index: Int) throws -> String {
        try withField(index) { bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CSVError(line: line, message: "field \(index + 1) is not valid UTF-8")
            }
            return text
        }
    }

    /// Every field of the current record as strings.
    package func strings() throws -> [String] {
        try (0..<fieldCount).map { try string($0) }
    }

    /// The next record's fields as strings, or nil at the end of the file.
    package mutating func nextRecord() throws -> [String]? {
        try next() ? strings() : nil
    }

    /// Moves to the next record; false at the end of the file.
    ///
    /// - Throws: ``CSVError`` for an unterminated quote or text after a closing quote, or a read error.
    package mutating func next() throws -> Bool {
        while true {
            if start == end {
                if atEnd { return false }
                try refill()
                continue
            }
            switch try parseRecord() {
            case .record: return true
            case .blank: continue
            case .needMore:
                if atEnd {
                    throw CSVError(line: nextLine, message: "unterminated quoted field")
                }
                try refill()
            }
        }
    }

    private enum ParseResult { case record, blank, needMore }

    /// Parses one record starting at `start`; on `.needMore` nothing is consumed.
    private mutating func parseRecord() throws -> ParseResult {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return .needMore }
        var position = start
        var lines = 0
        scratch.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        let carriage = UInt8(ascii: "\r"), backslash = UInt8(ascii: "\\")
        if base[position] == newline
            || (base[position] == carriage && position + 1 < end && base[position + 1] == newline)
        {
            start = position + (base[position] == newline ? 1 : 2)
            nextLine += 1
            return .blank
        }
        while true {
            if position < end, base[position] == quote {
                position += 1
                var closed = false
                while position < end {
                    let byte = base[position]
                    if byte == quote {
                        if position + 1 >= end && !atEnd { return .needMore }
                        if position + 1 < end, base[position + 1] == quote {
                            scratch.append(quote)
                            position += 2
                            continue
                        }
                        position += 1
                        closed = true
                        break
                    }
                    if byte == backslash {
                        if position + 1 >= end && !atEnd { return .needMore }
                        if position + 1 < end, base[position + 1] == quote || base[position + 1] == backslash {
                            scratch.append(base[position + 1])
                            position += 2
                            continue
                        }
                    }
                    if byte == newline { lines += 1 }
                    scratch.append(byte)
                    position += 1
                }
                if !closed { return .needMore }
                if position < end, base[position] != comma, base[position] != newline, base[position] != carriage {
                    throw CSVError(
                        line: nextLine, message: "unexpected text after a closing quote in field \(offsets.count)")
                }
            } else {
                let fieldStart = position
                while position < end, base[position] != comma, base[position] != newline { position += 1 }
                var fieldEnd = position
                if position < end || atEnd, fieldEnd > fieldStart, base[fieldEnd - 1] == carriage { fieldEnd -= 1 }
                scratch.append(contentsOf: UnsafeBufferPointer(start: base + fieldStart, count: fieldEnd - fieldStart))
            }
            if position >= end {
                if !atEnd { return .needMore }
                offsets.append(scratch.count)
                finishRecord(at: position, lines: lines)
                return .record
            }
            if base[position] == carriage, position + 1 < end, base[position + 1] == newline { position += 1 }
            offsets.append(scratch.count)
            if base[position] == comma {
                position += 1
                if position >= end && !atEnd { return .needMore }
                continue
            }
            finishRecord(at: position + 1, lines: lines + 1)
            return .record
        }
    }

    private mutating func finishRecord(at position: Int, lines: Int) {
        line = nextLine
        nextLine += lines
        start = position
    }

    /// Moves unconsumed bytes to the front and reads more, growing the buffer for a huge record.
    private mutating func refill() throws {
        guard let base = buffer.baseAddress else { return }
        let pending = end - start
        if start > 0, pending > 0 { memmove(base, base + start, pending) }
        start = 0
        end = pending
        if end == buffer.count {
            guard buffer.count < maximumRecordBytes else {
                throw CSVError(
                    line: nextLine,
                    message: "a record is longer than \(maximumRecordBytes) bytes (an unterminated quote?)")
            }
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            if let target = larger.baseAddress { memcpy(target, base, end) }
            buffer.deallocate()
            buffer = larger
        }
        guard let target = buffer.baseAddress else { return }
        var count = read(descriptor, target + end, buffer.count - end)
        while count < 0, errno == EINTR { count = read(descriptor, target + end, buffer.count - end) }
        if count < 0 {
            throw CSVError(line: nextLine, message: "read error: \(String(cString: strerror(errno)))")
        }
        if count == 0 { atEnd = true }
        remainingBytes -= Int64(count)
        bytesRead += count
        if remainingBytes < 0 {
            throw CSVError(line: nextLine, message: "the file grew past the size this job may read")
        }
        end += count
    }
}
