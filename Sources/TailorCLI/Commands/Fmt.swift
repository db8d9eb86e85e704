import ArgumentParser
import Planner

extension TailorCommand {
    struct Fmt: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lay manifests out canonically (two-space indents, apiVersion/kind/metadata/spec order).",
            discussion: "Comments are kept, and a file is only rewritten when its meaning is unchanged. "
                + "Exit codes: 0 formatted, 3 with --check when files need formatting, 1 on errors.")

        @Argument(help: "Files or folders (default: the current folder).", completion: .file())
        var paths: [String] = ["."]

        @Flag(help: "Only list the files that need formatting; write nothing.")
        var check = false

        func run() throws {
            let report = ManifestFormatter.formatFiles(paths, write: !check)
            for file in report.changed { print(file) }
            for diagnostic in report.diagnostics { printError(diagnostic.description) }
            if !report.diagnostics.isEmpty { throw ExitCode.failure }
            if check, !report.changed.isEmpty { throw ExitCode(3) }
        }
    }
}
