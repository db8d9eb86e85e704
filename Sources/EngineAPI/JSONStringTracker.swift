/// Follows a byte-by-byte scan of JSON text in and out of string literals (escapes included), so that a scanner
/// looking at the text's structure (nesting, numbers) passes over what strings hold.
public struct JSONStringTracker: Sendable {
    /// Whether the last byte consumed left the scan inside a string literal.
    public private(set) var inString = false
    private var escaped = false

    public init() {}

    /// Consumes the next byte; true when it belongs to a string literal (its quotes included).
    public mutating func consume(_ byte: UInt8) -> Bool {
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            return true
        }
        inString = byte == UInt8(ascii: "\"")
        return inString
    }
}
