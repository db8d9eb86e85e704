import Crypto
import Foundation

/// SHA-256 digests as `sha256:<hex>`: of normalised specs, and of import files (streamed).
package enum SpecHash {
    /// The digest of a spec's canonical JSON.
    package static func of(_ fields: [String: SpecValue]) -> String {
        digest(Data(SpecValue.map(fields).canonicalJSON.utf8))
    }

    /// The digest of some bytes.
    static func digest(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// The digest of a file's content, read in 1 MiB chunks.
    ///
    /// - Parameter path: The file.
    /// - Returns: `sha256:<hex>`.
    /// - Throws: The error of opening or reading the file; ``RegularFile/Refusal`` when `path` names a device, a
    ///   named pipe or anything else that is not a regular file (reading one could block or never end).
    package static func ofFile(atPath path: String) throws -> String {
        _ = try RegularFile.size(atPath: path)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        "sha256:" + digest.map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }
}
