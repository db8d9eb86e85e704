import Foundation
import TailorTestSupport
import Testing

@testable import Planner

@Suite struct JSONSchemaTests {
    static var repository: URL { Repository.root() }

    /// Every YAML file of the examples (hidden folders and fetched data skipped), with the schema its
    /// `yaml-language-server` modeline names (`tailor.schema.json` when it names none).
    static func exampleFiles() throws -> [(path: String, schema: String)] {
        let examples = repository.appendingPathComponent("examples")
        return try FileManager.default.subpathsOfDirectory(atPath: examples.path).sorted().compactMap { path in
            guard path.hasSuffix(".yaml") || path.hasSuffix(".yml"),
                !path.split(separator: "/").contains(where: { $0.hasPrefix(".") || $0 == "data" })
            else { return nil }
            let text = try String(contentsOf: examples.appendingPathComponent(path), encoding: .utf8)
            let modeline = text.split(separator: "\n").first { $0.hasPrefix("# yaml-language-server: $schema=") }
            let schema = modeline.map { String($0.split(separator: "/").last ?? "") } ?? "tailor.schema.json"
            return ("examples/\(path)", schema)
        }
    }

    @Test func theCheckedInSchemasAreUpToDate() throws {
        for file in JSONSchema.files {
            let url = Self.repository.appendingPathComponent("schemas/\(file.name)")
            let checkedIn = try? String(contentsOf: url, encoding: .utf8)
            #expect(
                checkedIn == file.text, "schemas/\(file.name) is stale: run `swift run tailor schema --write schemas`")
        }
    }

    @Test func everyExampleFileValidatesAgainstItsSchema() throws {
        let files = try Self.exampleFiles()
        #expect(files.count >= 10)
        let schemas = Dictionary(uniqueKeysWithValues: JSONSchema.files.map { ($0.name, $0.text) })
        for file in files {
            let schemaText = try #require(schemas[file.schema], "\(file.path) names an unknown schema \(file.schema)")
            let schema = try JSONDecoder().decode(SpecValue.self, from: Data(schemaText.utf8))
            let text = try String(contentsOf: Self.repository.appendingPathComponent(file.path), encoding: .utf8)
            let parsed = YAMLNode.documents(in: text, file: file.path)
            #expect(parsed.diagnostics.isEmpty)
            for case let document? in parsed.documents {
                let errors = JSONSchemaValidator(root: schema).errors(document.specValue)
                #expect(errors.isEmpty, "\(file.path): \(errors)")
            }
        }
    }

    @Test func theSchemaRejectsWhatTheValidatorRejects() throws {
        let schema = try JSONDecoder().decode(SpecValue.self, from: Data(JSONSchema.files[0].text.utf8))
        let validator = JSONSchemaValidator(root: schema)
        func errors(_ yaml: String) -> [String] {
            YAMLNode.documents(in: yaml, file: "x").documents.compactMap { $0 }.flatMap {
                validator.errors($0.specValue)
            }
        }

        #expect(errors("apiVersion: tailor/v1\nkind: Campaign\nmetadata: {name: c}\nspec: {solution: s}\n").isEmpty)
        #expect(
            errors(
                "apiVersion: tailor/v1\nkind: Campaign\nmetadata: {name: c}\nspec: {solution: s, minProvisionedTPS: ${var.tps}}\n"
            ).isEmpty)
        #expect(
            errors("apiVersion: tailor/v1\nkind: Campaign\nmetadata: {name: c}\nspec: {solutoin: s}\n").contains {
                $0.contains("unknown property 'solutoin'")
            })
        #expect(
            errors("apiVersion: tailor/v1\nkind: Campaign\nmetadata: {name: c}\nspec: {}\n").contains {
                $0.contains("missing required property 'solution'")
            })
        #expect(
            !errors(
                "apiVersion: tailor/v1\nkind: Campaign\nmetadata: {name: c}\nspec: {solution: s, minProvisionedTPS: 0}\n"
            ).isEmpty)
        #expect(!errors("apiVersion: tailor/v1\nkind: Solutoin\nmetadata: {name: c}\n").isEmpty)
        #expect(!errors("apiVersion: tailor/v1\nkind: DatasetGroup\nmetadata: {name: \"bad name\"}\n").isEmpty)
        #expect(errors("apiVersion: tailor/v1\nkind: Project\nspec: {variables: {x: {type: string}}}\n").isEmpty)
        #expect(!errors("apiVersion: tailor/v1\nkind: Project\nspec: {variables: {x: {type: text}}}\n").isEmpty)
    }

    /// The same check with an independent implementation, where Python's `jsonschema` and `yaml` are installed.
    @Test(.enabled(if: pythonHasJSONSchema())) func pythonJSONSchemaAgrees() throws {
        let script = """
            import json, sys, yaml, jsonschema
            root, failures = sys.argv[1], 0
            for path, schema in (line.split("\\t") for line in sys.stdin.read().splitlines()):
                with open(f"{root}/schemas/{schema}") as f: validator = jsonschema.Draft7Validator(json.load(f))
                with open(f"{root}/{path}") as f:
                    for document in yaml.safe_load_all(f):
                        for error in validator.iter_errors(document):
                            failures += 1; print(f"{path}: {error.message}")
            sys.exit(1 if failures else 0)
            """
        let input = try Self.exampleFiles().map { "\($0.path)\t\($0.schema)" }.joined(separator: "\n")
        let result = try runPython(["-c", script, Self.repository.path], input: input)
        #expect(result.status == 0, "\(result.output)")
    }
}

private func pythonHasJSONSchema() -> Bool {
    (try? runPython(["-c", "import jsonschema, yaml"], input: ""))?.status == 0
}

private func runPython(_ arguments: [String], input: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stdout
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}
