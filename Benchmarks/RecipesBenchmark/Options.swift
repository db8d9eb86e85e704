import Foundation

/// The command line: a subcommand followed by `--name value` options and `--flag`s.
struct Options {
    let command: String
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    init(_ arguments: [String]) throws {
        guard let first = arguments.first, !first.hasPrefix("-") else {
            throw BenchmarkError("missing subcommand\n\(Self.usage)")
        }
        command = first
        var rest = arguments.dropFirst()
        while let name = rest.popFirst() {
            guard name.hasPrefix("--") else { throw BenchmarkError("unexpected argument '\(name)'\n\(Self.usage)") }
            let key = String(name.dropFirst(2))
            if let value = rest.first, !value.hasPrefix("--") {
                values[key] = value
                rest = rest.dropFirst()
            } else {
                flags.insert(key)
            }
        }
    }

    func string(_ name: String, default value: String) -> String { values[name] ?? value }

    func int(_ name: String, default value: Int) throws -> Int {
        guard let text = values[name] else { return value }
        guard let parsed = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw BenchmarkError("--\(name) needs an integer, not '\(text)'")
        }
        return parsed
    }

    func float(_ name: String, default value: Float) throws -> Float {
        guard let text = values[name] else { return value }
        guard let parsed = Float(text) else { throw BenchmarkError("--\(name) needs a number, not '\(text)'") }
        return parsed
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    static let usage = """
        usage: RecipesBenchmark quality [--data DIR] [--folds N] [--seed S] [--threads T] [--python PYTHON]
                                        [--no-reference] [--only NAME-PREFIX] [--factors F] [--iterations I]
                                        [--alpha A] [--regularization R] [--unobserved-share S] [--recency-weight W]
               RecipesBenchmark speed [--data DIR] [--interactions N] [--factors F] [--iterations I] [--threads T]
                                      [--python PYTHON] [--no-reference]
               RecipesBenchmark folds [--data DIR] [--folds N] [--seed S] --out FILE
        """
}
