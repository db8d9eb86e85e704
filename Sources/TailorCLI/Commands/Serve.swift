import ArgumentParser
import Engine
import EngineServer
import Foundation
import Logging

extension TailorCommand {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Serve the engine over Amazon Personalize's wire protocol (for boto3, the aws CLI, RemoteEngine).",
            discussion: """
                The control plane answers AWS JSON 1.1 at POST / (X-Amz-Target: AmazonPersonalize.<Operation>), the \
                runtime and events REST-JSON at POST /recommendations, /events, ...; GET /health and GET /metrics \
                (Prometheus) are open. Point any AWS SDK at the printed URL with endpoint_url. SIGTERM or SIGINT \
                stops the scheduler, stops accepting requests, answers those in flight and waits for running imports \
                and training. Automatic training that is due starts every --schedule-interval seconds.
                """)

        @Option(help: "The address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "The port to listen on (0 picks a free one; the URL printed at start names it).")
        var port = 8080

        @Option(
            name: .customLong("auth-keys"),
            help: ArgumentHelp(
                "A file of 'ACCESS_KEY_ID SECRET_ACCESS_KEY' lines: requests must then carry an AWS Signature V4 of one.",
                discussion:
                    "Without it, TAILOR_AUTH_ACCESS_KEY_ID and TAILOR_AUTH_SECRET_ACCESS_KEY; without those, no auth."
            ))
        var authKeys: String?

        @Option(name: .customLong("max-body-size"), help: "The largest request body accepted, in bytes.")
        var maximumBodySize = 1 << 20

        @Option(
            name: .customLong("schedule-interval"),
            help: ArgumentHelp(
                "How often, in seconds, to start the automatic training that is due (0 turns it off).",
                discussion:
                    "Solutions with performAutoTraining train on their rate(N days) schedule; campaigns with "
                    + "syncWithLatestSolutionVersion then move to the new version."))
        var scheduleInterval = 60

        @OptionGroup var engineOptions: EngineOptions

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535, got \(port)") }
            guard maximumBodySize > 0 else { throw ValidationError("--max-body-size must be positive") }
            guard engineOptions.endpoint == nil else {
                throw ValidationError("serve runs the embedded engine: --endpoint does not apply")
            }
            guard scheduleInterval >= 0 else { throw ValidationError("--schedule-interval must be 0 or more seconds") }
        }

        func run() async throws {
            LoggingSystem.bootstrap(ServerLogHandler.init(label:))
            let environment = ProcessInfo.processInfo.environment
            let keys: AuthKeys?
            do {
                keys = try AuthKeys.load(file: authKeys, environment: environment)
            } catch {
                throw ValidationError(error.description)
            }
            let engine = try engineOptions.openEngine(at: dataDirectory(environment))
            var logger = Logger(label: "tailor.server")
            logger.logLevel = engineOptions.verbose ? .debug : .info
            let server = PersonalizeServer(
                service: engine,
                configuration: ServerConfiguration(
                    host: host, port: port, maximumBodySize: maximumBodySize, authKeys: keys),
                logger: logger)
            let scheduler = AutoTrainingService(
                engine: engine, interval: .seconds(scheduleInterval), logger: Logger(label: "tailor.scheduler"))
            try await server.run(services: scheduleInterval > 0 ? [scheduler] : []) { host, port in
                let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
                FileHandle.standardOutput.write(Data("Listening on \(url)\n".utf8))
            }
            logger.info("Stopped accepting requests; waiting for running imports and training to finish.")
            await engine.waitForBackgroundJobs()
        }

        /// `--data-dir`, else `$TAILOR_DATA_DIR`, else `./.tailor/engine`.
        private func dataDirectory(_ environment: [String: String]) -> URL {
            if let directory = engineOptions.dataDirectory { return URL(fileURLWithPath: directory) }
            if let directory = environment["TAILOR_DATA_DIR"], !directory.isEmpty {
                return URL(fileURLWithPath: directory)
            }
            return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(
                ".tailor/engine")
        }
    }
}
