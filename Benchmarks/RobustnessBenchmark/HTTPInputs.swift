import EngineAPI
import Foundation

/// One request as bytes, and how to send it.
struct HTTPInput {
    enum Framing: String {
        /// Well-formed HTTP/1.1 with a correct Content-Length: sent on a kept-alive connection.
        case keepAlive
        /// Anything else that is a whole message (or garbage): sent on a fresh connection.
        case fresh
        /// A message whose body is shorter than announced: the write side is shut after it, so the
        /// server may answer or close, but must do one of them.
        case incomplete
    }

    var bytes: [UInt8]
    var framing: Framing
    var head = false
    var summary: String
    /// A file the sender writes before sending (a fuzzed CSV an import names).
    var file: (path: String, bytes: [UInt8])?
}

/// Generates the HTTP inputs: requests for every operation of the service model (bodies from
/// ``ShapeProbe`` templates filled with the fixture's ARNs and IDs), then mutated in their JSON, their bytes,
/// their headers and their framing.
struct HTTPInputs {
    let fixture: Fixture
    /// Where outputs of fuzzed jobs may go (exports, batch outputs): never outside the run's folder.
    let scratch: String
    let port: Int
    /// Whether requests are signed (the server requires SigV4) and then the signature broken half the time.
    let signing: Bool
    private let operations: [(name: String, path: String, template: FuzzJSON)]
    private let restOperations: [(name: String, path: String, template: FuzzJSON)]
    /// The fixture's ARNs by the member names that take them.
    private let arnPools: [String: [String]]

    init(fixture: Fixture, scratch: String, port: Int, signing: Bool) {
        self.fixture = fixture
        self.signing = signing
        self.scratch = scratch
        self.port = port
        operations = Operations.all.sorted { $0.key < $1.key }.map { name, type in
            (name, type.operation.path, ShapeProbe.template(of: type))
        }
        restOperations = operations.filter { $0.path != "/" }
        arnPools = [
            "campaignArn": fixture.campaignArns.values.sorted(), "filterArn": fixture.filterArns,
            "datasetGroupArn": [fixture.datasetGroupArn], "datasetArn": fixture.datasetArns.values.sorted(),
            "schemaArn": fixture.schemaArns, "solutionArn": fixture.solutionArns,
            "solutionVersionArn": fixture.solutionVersionArns, "eventTrackerArn": [fixture.eventTrackerArn],
            "recipeArn": [
                "arn:aws:personalize:::recipe/aws-user-personalization", "arn:aws:personalize:::recipe/aws-sims",
                "arn:aws:personalize:::recipe/aws-popularity-count", "arn:aws:personalize:::recipe/nope",
            ],
            "roleArn": ["arn:aws:iam::000000000000:role/PersonalizeRole"],
        ]
    }

    /// Input `index` of a run seeded with `seed`.
    func input(seed: UInt64, index: Int) -> HTTPInput {
        var random = SplitMix(seed: seed, target: signing ? "sigv4" : "http", index: index)
        // Runtime and events routes get half the inputs: they are the hot, exposed paths.
        // A third of the inputs start well-formed (reaching the engine); the rest from the shape of any
        // operation with the fixture's values.
        var operation = random.oneIn(2) ? random.pick(restOperations) : random.pick(operations)
        var body: FuzzJSON
        var summary: String
        var sideFile: (path: String, bytes: [UInt8])?
        if random.below(3) == 0, let name = Optional(random.pick(Self.wellFormedOperations)),
            let known = operations.first(where: { $0.name == name }),
            let wellFormed = wellFormed(name, &random, sideFile: &sideFile)
        {
            operation = known
            body = wellFormed
            summary = operation.name + " well-formed"
            if random.oneIn(2) {
                body = JSONMutation.apply(body, &random)
                summary += " json-mutated"
            }
        } else {
            body = fill(operation.template, key: "", &random, depth: 0)
            summary = operation.name
            if random.oneIn(2) {
                for _ in 0..<(random.below(3) + 1) {
                    body = JSONMutation.apply(body, &random)
                }
                summary += " json-mutated"
            }
        }
        if random.oneIn(40) {
            body = random.oneIn(2) ? Nasty.value(&random) : .raw([])
            summary += " body-replaced"
        }
        var bytes = body.bytes
        if random.oneIn(10) {
            bytes = ByteMutation.apply(bytes, &random)
            summary += " bytes-mutated"
        }
        var request = RequestParts(
            method: "POST", target: operation.path,
            contentType: operation.path == "/" ? "application/x-amz-json-1.1" : "application/json",
            amzTarget: operation.path == "/" ? "AmazonPersonalize.\(operation.name)" : nil, body: bytes, port: port)
        if signing {
            SignatureMutation.sign(&request)
            if random.oneIn(2) { summary += " " + SignatureMutation.apply(&request, &random) }
        }
        if random.oneIn(5) {
            let mutation = HeaderMutation.apply(&request, &random)
            summary += " " + mutation
        }
        var built = request.input(summary: summary)
        built.file = sideFile
        return built
    }

    /// A value for `template` at member `key`: the fixture's resources where the name says which, samples of
    /// the right type elsewhere, and now and then a nasty value.
    private func fill(_ template: FuzzJSON, key: String, _ random: inout SplitMix, depth: Int) -> FuzzJSON {
        if depth > 0, random.oneIn(25) { return Nasty.value(&random) }
        if let special = special(key, template, &random) { return special }
        switch template {
        case .object(let members):
            var filled: [(key: String, value: FuzzJSON)] = []
            for member in members where random.below(10) < 8 {
                filled.append((member.key, fill(member.value, key: member.key, &random, depth: depth + 1)))
            }
            return .object(filled)
        case .array(let elements):
            guard let element = elements.first else { return .array([]) }
            let count = random.oneIn(10) ? random.pick([0, 11, 26, 101, 501]) : random.below(3) + 1
            return .array((0..<count).map { _ in fill(element, key: key, &random, depth: depth + 1) })
        case .string: return .text(word(&random))
        case .number(let sample):
            return .number(sample.contains(".") ? "\(random.below(100)).5" : "\(random.below(50))")
        case .bool: return .bool(random.oneIn(2))
        case .null, .raw: return template
        }
    }

    private func word(_ random: inout SplitMix) -> String {
        random.oneIn(3) ? "fz\(random.below(1000))" : random.pick(["x", "click", "u1", "i1", "a", "1", "ACTIVE", ""])
    }

    private func special(_ key: String, _ template: FuzzJSON, _ random: inout SplitMix) -> FuzzJSON? {
        switch key {
        case _ where key.hasSuffix("Arn"):
            let pool = arnPools[key] ?? fixture.allArns
            let arn = random.pick(pool.isEmpty ? fixture.allArns : pool)
            if random.oneIn(8) {
                return .text(
                    random.pick([
                        arn + "x", arn.replacingOccurrences(of: "us-east-1", with: "eu-west-1"),
                        String(arn.dropLast()), arn + "/" + arn, "arn:aws:personalize:::campaign/x",
                    ]))
            }
            return .text(arn)
        case "trackingId": return .text(random.oneIn(8) ? word(&random) : fixture.trackingId)
        case "userId", "sessionId": return .text("u\(random.below(fixture.users + fixture.users / 5 + 1))")
        case "itemId": return .text("i\(random.below(fixture.items + fixture.items / 5 + 1))")
        case "inputList":
            let count = random.oneIn(10) ? random.pick([0, 501, 5000]) : random.below(30) + 1
            return .array((0..<count).map { _ in .text("i\(random.below(fixture.items + 10))") })
        case "eventType": return .text(random.pick(["click", "purchase", "watch", "", "x"]))
        case "sentAt", "timestamp":
            return .number(
                random.oneIn(10) ? random.pick(Nasty.numbers) : "\(1_700_000_000 + random.below(10_000_000))")
        case "numResults", "maxResults":
            return .number(random.oneIn(6) ? random.pick(Nasty.numbers) : "\(random.below(30) + 1)")
        case "filterExpression": return .text(FilterInputs.expression(&random))
        case "filterValues":
            return .object([
                (key: "EVENT_TYPE", value: .text(random.pick(["\"click\"", "\"click\", \"purchase\"", "click", ""]))),
                (
                    key: random.pick(["GENRE", "X", ""]),
                    value: .text(random.pick(["\"g1\"", "\"g1\",\"g2\"", "g", "\"\""]))
                ),
            ])
        case "schema":
            let schema = random.pick([Fixture.interactionsSchema, Fixture.itemsSchema, Fixture.usersSchema])
            return .text(random.oneIn(3) ? SchemaInputs.mutate(schema, &random) : schema)
        case "dataLocation":
            return .text(random.pick(fixture.files + inputPaths))
        case "path":
            return .text(random.pick(fixture.files + outputPaths))
        case "properties":
            return .text(
                random.pick(["{\"numberOfRatings\": \"12\"}", "{}", "{", "[]", "{\"a\": {\"b\": 1}}", "null"]))
        default: return nil
        }
    }

    /// Input files a fuzzed job may name: the fixture's, missing ones, folders, and devices.
    private var inputPaths: [String] {
        [
            "", "/", "/nonexistent/x.csv", fixture.files[0] + "x", scratch, "/dev/null", "/dev/zero", "/dev/urandom",
            "/proc/self/status", "/etc/hostname", "relative.csv", "../files/interactions.csv", "s3://bucket/x.csv",
            "file://" + fixture.files[0],
            fixture.files[0].replacingOccurrences(of: "interactions.csv", with: "fifo.csv"),
        ]
    }

    /// Output folders a fuzzed job may name: only under the run's scratch folder, or ones that cannot be written.
    private var outputPaths: [String] {
        [
            scratch + "/out", scratch + "/out/deeper/", scratch, "", "/nonexistent/dir", "/dev/null", "/proc/self",
            "s3://bucket/out/",
        ]
    }
}
