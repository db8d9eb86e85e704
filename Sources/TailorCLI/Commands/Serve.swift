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

        @Option(
            help: ArgumentHelp(
                "The address to listen on.",
                discussion:
                    "Anything but a loopback address (127.0.0.1, ::1, localhost) requires auth keys, or --insecure-no-auth."
            ))
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

        @Flag(
            name: .customLong("insecure-no-auth"),
            help: "Listen on a non-loopback --host without auth keys: anyone who reaches it can change everything.")
        var insecureNoAuth = false

        @Option(
            help: ArgumentHelp(
                "The region signatures must be scoped to (AWS refuses a credential scope for another region).",
                discussion: "Clients sign for AWS_REGION (boto3, the aws CLI, tailor --endpoint): use the same."))
        var region = ServerConfiguration.defaultRegion

        @Option(
            name: .customLong("allow-host"),
            help: ArgumentHelp(
                "A Host name (NAME or NAME:PORT) to answer besides the listening address (repeatable).",
                discussion:
                    "Requests naming any other Host are refused, so that a web page whose DNS name is rebound to this "
                    + "server cannot reach it. Name the DNS names or proxies clients use to reach the server."))
        var allowHost: [String] = []

        @Option(
            name: .customLong("cors-origin"),
            help: ArgumentHelp(
                "A browser origin (https://app.example.com) allowed to call the server (repeatable).",
                discussion:
                    "Without it no web page may call the server: preflights get no grant and requests carrying an "
                    + "Origin are refused."))
        var corsOrigin: [String] = []

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

        @Option(
            name: .customLong("deletion-delay"),
            help: ArgumentHelp(
                "How long, in seconds, a deleted resource is still described: DELETE PENDING, then DELETE IN_PROGRESS.",
                discussion:
                    "As on the service, clients wait while Describe finds a resource being deleted, and its name "
                    + "stays taken until it is gone; 0 removes it at once. At most a day."),
            transform: { text in
                guard let seconds = Double(text), seconds.isFinite, (0...86_400).contains(seconds) else {
                    throw ValidationError("--deletion-delay must be 0...86400 seconds, got '\(text)'")
                }
                return seconds
            })
        var deletionDelay = EngineConfiguration.serviceLikeDeletionDelay

        @Option(
            name: .customLong("model-load-wait"),
            help: ArgumentHelp(
                "How long, in seconds, a request waits for its campaign's model to load before a 503 with Retry-After.",
                discussion:
                    "The first requests after a start (or for a campaign not served since) wait for the one load of "
                    + "its model, which all share; past the wait they are answered ServiceUnavailable (HTTP 503, "
                    + "Retry-After: 1), which the AWS SDKs retry. At most an hour."),
            transform: { text in
                guard let seconds = Double(text), seconds.isFinite, (0...3600).contains(seconds) else {
                    throw ValidationError("--model-load-wait must be 0...3600 seconds, got '\(text)'")
                }
                return seconds
            })
        var modelLoadWait = Double(EngineConfiguration.serviceModelLoadWait.components.seconds)

        @Option(
            name: .customLong("list-users"),
            help: ArgumentHelp(
                "How many of a campaign's most active users get their answers precomputed (0 turns it off).",
                discussion:
                    "Their requests are answered from the lists (exact, while their history is unchanged); every "
                    + "other request scores the catalogue, in passes shared by the requests that arrive together. "
                    + "About 2.4 KB per user."))
        var listUsers = CandidateListSettings().users

        @OptionGroup var engineOptions: EngineOptions

        func validate() throws {
            do {
                try serverConfiguration(authKeys: nil).validate(allowUnauthenticatedExposure: true)
            } catch {
                throw ValidationError(error.description)
            }
            guard engineOptions.endpoint == nil else {
                throw ValidationError("serve runs the embedded engine: --endpoint does not apply")
            }
            guard (0...10_000_000).contains(listUsers) else {
                throw ValidationError("--list-users must be 0...10000000, got \(listUsers)")
            }
            guard (0...Self.longestScheduleInterval).contains(scheduleInterval) else {
                throw ValidationError(
                    "--schedule-interval must be 0...\(Self.longestScheduleInterval) seconds, got \(scheduleInterval)")
            }
        }

        /// A year: a longer timer would be no timer, and the clock's arithmetic must not overflow.
        static let longestScheduleInterval = 366 * 24 * 3600

        private func serverConfiguration(authKeys: AuthKeys?) -> ServerConfiguration {
            ServerConfiguration(
                host: host, port: port, maximumBodySize: maximumBodySize, authKeys: authKeys, region: region,
                allowedHosts: allowHost, corsOrigins: corsOrigin)
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
            let configuration = serverConfiguration(authKeys: keys)
            do {
                try configuration.validate(allowUnauthenticatedExposure: insecureNoAuth)
            } catch {
                throw ValidationError(error.description)
            }
            let engine = try engineOptions.openEngine(
                at: dataDirectory(environment), deletionDelay: deletionDelay, modelLoadWait: .seconds(modelLoadWait),
                listUsers: listUsers)
            var logger = Logger(label: "tailor.server")
            logger.logLevel = engineOptions.verbose ? .debug : .info
            let server = PersonalizeServer(service: engine, configuration: configuration, logger: logger)
            let scheduler = AutoTrainingService(
                engine: engine, interval: .seconds(scheduleInterval), logger: Logger(label: "tailor.scheduler"))
            try await server.run(services: scheduleInterval > 0 ? [scheduler] : []) { host, port in
                let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
                FileHandle.standardOutput.write(Data("Listening on \(url)\n".utf8))
            }
            logger.info("Stopped accepting requests; waiting for running imports and training to finish.")
            await engine.shutdown()
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
