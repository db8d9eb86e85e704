import Foundation
import Recipes

/// Interactions read from a Personalize-style `interactions.csv`, with user and item IDs mapped to dense indices.
///
/// Indices follow first appearance in the file, so the mapping is deterministic. Every row is one positive event
/// of value 1 (MovieLens ratings and synthetic clicks alike), as the benchmark protocol asks.
struct InteractionData {
    let events: [Event]
    let userCount: Int
    let itemCount: Int

    /// Reads `DIR/interactions.csv` (columns USER_ID, ITEM_ID, TIMESTAMP first, in that order).
    static func load(directory: String) throws -> InteractionData {
        let path = (directory as NSString).appendingPathComponent("interactions.csv")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchmarkError("cannot read \(path); pass --data with a folder holding interactions.csv")
        }
        return try data.withUnsafeBytes { raw in try parse(raw.bindMemory(to: UInt8.self), path: path) }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws -> InteractionData {
        var users: [String: Int32] = [:]
        var items: [String: Int32] = [:]
        var events: [Event] = []
        events.reserveCapacity(bytes.count / 24)
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            lineNumber += 1
            guard lineNumber > 1, lineEnd > lineStart else { continue }
            var fields: [Range<Int>] = []
            var fieldStart = lineStart
            for position in lineStart...lineEnd where position == lineEnd || bytes[position] == UInt8(ascii: ",") {
                fields.append(fieldStart..<position)
                fieldStart = position + 1
                if fields.count == 3 { break }
            }
            guard fields.count == 3, let timestamp = Int64(text(bytes, fields[2])) else {
                throw BenchmarkError("\(path):\(lineNumber): expected USER_ID,ITEM_ID,TIMESTAMP,...")
            }
            let user = index(text(bytes, fields[0]), in: &users)
            let item = index(text(bytes, fields[1]), in: &items)
            events.append(Event(user: user, item: item, timestamp: timestamp))
        }
        return InteractionData(events: events, userCount: users.count, itemCount: items.count)
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var end = range.upperBound
        if end > range.lowerBound, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[range.lowerBound..<end]), as: UTF8.self)
    }

    private static func index(_ id: String, in map: inout [String: Int32]) -> Int32 {
        if let existing = map[id] { return existing }
        let next = Int32(map.count)
        map[id] = next
        return next
    }

    /// The users × items matrix of `events`; repeated events of a pair add up.
    func matrix(_ events: [Event]) -> SparseMatrix {
        SparseMatrix(
            rows: userCount, cols: itemCount, entries: events.map { (row: $0.user, col: $0.item, value: $0.value) })
    }
}

/// A benchmark failure that names what to fix.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
