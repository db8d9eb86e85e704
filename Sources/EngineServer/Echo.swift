/// Request values quoted back in error messages: printable ASCII only, and bounded, so that an answer never
/// carries control characters, megabytes of header, or more of a credential than its owner already knows.
enum Echo {
    /// `value` with anything outside printable ASCII as `?`, cut to `limit` characters (with `...` when cut).
    static func printable(_ value: some StringProtocol, limit: Int = 128) -> String {
        var result = ""
        for byte in value.utf8.prefix(limit) {
            result.unicodeScalars.append(byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : "?")
        }
        return value.utf8.count > limit ? result + "..." : result
    }
}
