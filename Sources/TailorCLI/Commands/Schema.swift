import ArgumentParser
import Foundation
import Planner

extension TailorCommand {
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print or write the JSON Schemas of the manifests (schemas/ in the repository).",
            discussion: "Generated from the definitions the validator uses. `--write schemas` refreshes the "
                + "checked-in files; `--check schemas` exits 1 when they are stale.")

        @Option(help: "Write the schema files into this folder.", completion: .directory)
        var write: String?

        @Option(help: "Compare the schema files in this folder with the generated ones.", completion: .directory)
        var check: String?

        func run() throws {
            if let folder = write ?? check {
                var stale: [String] = []
                for file in JSONSchema.files {
                    let url = URL(fileURLWithPath: folder).appendingPathComponent(file.name)
                    if (try? String(contentsOf: url, encoding: .utf8)) == file.text { continue }
                    stale.append(url.relativePath)
                    if write != nil { try Data(file.text.utf8).write(to: url) }
                }
                if check != nil, !stale.isEmpty {
                    printError("stale: \(stale.joined(separator: ", ")); run `tailor schema --write \(folder)`")
                    throw ExitCode.failure
                }
                for file in stale where write != nil { print("wrote \(file)") }
                return
            }
            print(JSONSchema.files[0].text, terminator: "")
        }
    }
}
