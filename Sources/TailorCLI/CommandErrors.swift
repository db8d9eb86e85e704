import ArgumentParser
import EngineAPI
import Foundation

/// Turns engine errors into one clear line on standard error and exit code 1.
enum CommandErrors {
    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PersonalizeError {
            printError("error: \(error.code.rawValue): \(error.message)")
            throw ExitCode.failure
        }
    }
}

/// Writes `message` to standard error.
func printError(_ message: String) {
    var stream = StandardError()
    print(message, to: &stream)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
