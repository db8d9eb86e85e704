package import Foundation

/// A malformed CSV record: where it is and what is wrong.
package struct CSVError: Error, Sendable, CustomStringConvertible {
    package let line: Int
    package let message: String
    package var description: String { "line \(line): \(message)" }
}

/// Streams records from a CSV file in constant memory.
///
/// Fields are separated by commas; a field may be quoted with `"`. Inside quotes `""` and `\"` stand
/// for a quote and `\\` for a backslash (the guide's escaping). Lines end with LF or CRLF.
package struct CSVReader {
    private let handle: FileHandle
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var index = 0
    private var atEnd = false
    /// The line on which the last returned record started (1-based).
    package private(set) var line = 0
    private var nextLine = 1

    /// Opens `url` for reading.
    ///
    /// - Throws: the file system's error when the file cannot be opened.
    package init(url: URL, chunkSize: Int = 1 << 20) throws {
        handle = try FileHandle(forReadingFrom: url)
        self.chunkSize = chunkSize
    }

    /// Closes the file.
    package func close() {
        try? handle.close()
    }

    private mutating func nextByte() throws -> UInt8? {
        if index == buffer.count {
            guard !atEnd else { return nil }
            let data = try handle.read(upToCount: chunkSize) ?? Data()
            if data.isEmpty {
                atEnd = true
                return nil
            }
            buffer = Array(data)
            index = 0
        }
        defer { index += 1 }
        return buffer[index]
    }

    private mutating func peekByte() throws -> UInt8? {
        guard let byte = try nextByte() else { return nil }
        index -= 1
        return byte
    }

    /// The next record's fields, or nil at the end of the file. Blank lines are skipped.
    ///
    /// - Throws: ``CSVError`` for an unterminated quote, text after a closing quote or invalid UTF-8.
    package mutating func nextRecord() throws -> [String]? {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var afterQuote = false
        line = nextLine
        while true {
            guard let byte = try nextByte() else {
                if quoted { throw CSVError(line: line, message: "unterminated quoted field") }
                if fields.isEmpty && field.isEmpty && !afterQuote { return nil }
                fields.append(try string(field))
                return fields
            }
            if quoted {
                switch byte {
                case UInt8(ascii: "\""):
                    if try peekByte() == UInt8(ascii: "\"") {
                        _ = try nextByte()
                        field.append(byte)
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                case UInt8(ascii: "\\"):
                    let next = try nextByte()
                    if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") {
                        field.append(next ?? byte)
                    } else {
                        field.append(byte)
                        if next != nil { index -= 1 }
                    }
                case UInt8(ascii: "\n"):
                    nextLine += 1
                    field.append(byte)
                default:
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                fields.append(try string(field))
                field.removeAll(keepingCapacity: true)
                afterQuote = false
            case UInt8(ascii: "\n"):
                nextLine += 1
                if fields.isEmpty && field.isEmpty && !afterQuote {
                    line = nextLine
                    continue
                }
                fields.append(try string(field))
                return fields
            case UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\"") where field.isEmpty && !afterQuote:
                quoted = true
            default:
                if afterQuote {
                    throw CSVError(
                        line: line, message: "unexpected text after a closing quote in field \(fields.count + 1)")
                }
                field.append(byte)
            }
        }
    }

    private func string(_ bytes: [UInt8]) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CSVError(line: line, message: "the record is not valid UTF-8")
        }
        return text
    }
}
