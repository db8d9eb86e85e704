/// A position in a manifest file, as editors and compilers print it: 1-based line and column.
package struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file's path as the user named it (relative to the working directory when they gave a relative one).
    package var file: String
    /// The 1-based line; 0 when the location is a whole file.
    package var line: Int
    /// The 1-based column (in Unicode scalars); 0 when the location is a whole file.
    package var column: Int

    /// A location that names a whole file.
    package static func file(_ path: String) -> SourceLocation {
        SourceLocation(file: path, line: 0, column: 0)
    }

    /// `file:line:col`, or just `file` for a whole-file location.
    package var description: String {
        line > 0 ? "\(file):\(line):\(column)" : file
    }
}
