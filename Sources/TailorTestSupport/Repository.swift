package import Foundation

/// The checkout the tests run from.
package enum Repository {
    /// The repository's root: the nearest folder above `file` (the caller's source file) that holds `Package.swift`.
    package static func root(file: String = #filePath) -> URL {
        var root = URL(fileURLWithPath: file)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        return root
    }
}
