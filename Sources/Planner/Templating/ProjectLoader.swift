/// Loads a folder of manifests: with a project, the selected environment's values, overlays and variables;
/// then interpolation, parsing and linking. Without a project, the folder's manifests as they are
/// (`${env.X}` still works).
struct ProjectLoader {
    let project: Project?
    var reader: SourceReader
    let options: LoadOptions
    private var diagnostics: [Diagnostic] = []

    init(project: Project?, reader: SourceReader, options: LoadOptions) {
        self.project = project
        self.reader = reader
        self.options = options
    }

    mutating func load() throws(DiagnosticsError) -> ManifestSet {
        let environment = selectedEnvironment()
        let excluded = Set(
            [Project.fileName]
                + (project?.environments.values.flatMap { $0.values + $0.overlays } ?? []).map(SourceReader.normalise))
        var files: [String] = []
        for folder in project?.resources ?? ["."] {
            if !reader.exists(folder) {
                report(project?.location ?? .file(reader.file(folder)), "resources folder '\(folder)' does not exist")
            }
            files += reader.yamlFiles(under: folder, excluding: excluded)
        }
        guard !files.isEmpty else {
            throw DiagnosticsError(
                diagnostics + [Diagnostic(at: .file(reader.display), "no manifests (*.yaml, *.yml) in this folder")])
        }
        var documents = files.flatMap { reader.documents($0) }
        let variables = resolveVariables(environment)
        // Values that do not validate would only cascade into every place that uses them: stop here.
        guard !diagnostics.containsErrors else { throw DiagnosticsError(diagnostics + reader.diagnostics) }
        for overlay in environment?.overlays ?? [] {
            if !reader.exists(overlay) {
                report(project?.location ?? .file(overlay), "overlay '\(overlay)' does not exist")
            }
            let patches = reader.yamlFiles(under: overlay, excluding: []).flatMap { reader.documents($0) }
            let merged = Overlay.apply(patches, to: documents)
            documents = merged.documents
            diagnostics += merged.diagnostics
        }
        var interpolator = Interpolator(
            variables: variables, environment: options.processEnvironment, hasProject: project != nil)
        var parsed: [ManifestDocument] = []
        for document in documents {
            let result = interpolator.interpolate(document)
            parsed.append(self.parse(result))
        }
        diagnostics += parsed.flatMap(\.diagnostics)
        var linker = ManifestLinker(documents: parsed)
        let resources = linker.link()
        let outputs = self.outputs(&interpolator, declared: Set(parsed.compactMap(\.address)))
        diagnostics += linker.diagnostics + interpolator.diagnostics + reader.diagnostics
        guard !diagnostics.containsErrors else { throw DiagnosticsError(diagnostics) }
        var set = ManifestSet(
            resources: resources, directory: reader.root, warnings: diagnostics.sortedByLocation(),
            sourceDigests: reader.digests.merging(inputDigests(interpolator)) { first, _ in first })
        set.environment = options.environment
        set.variables = variables
        set.outputs = outputs
        set.allowFetch = project?.allowFetch ?? false
        set.roleArn = project?.roleArn
        set.storage = project?.storage
        return set
    }

    private mutating func selectedEnvironment() -> Project.Environment? {
        guard let name = options.environment, let project else { return nil }
        guard let environment = project.environments[name] else {
            let known = project.environments.keys.sorted()
            report(
                project.location,
                "unknown environment '\(name)'\(Suggestion.didYouMean(name, in: known))"
                    + (known.isEmpty
                        ? "; \(Project.fileName) declares none" : " (environments: \(known.joined(separator: ", ")))"))
            return nil
        }
        return environment
    }

    private mutating func resolveVariables(_ environment: Project.Environment?) -> [String: ResolvedVariable] {
        var resolver = VariableResolver(variables: project?.variables ?? [:])
        for file in environment?.values ?? [] {
            guard reader.exists(file) else {
                report(project?.location ?? .file(file), "values file '\(file)' does not exist")
                continue
            }
            for node in reader.documents(SourceReader.normalise(file)).prefix(1) {
                resolver.read(valuesFile: node, file: reader.file(SourceReader.normalise(file)))
            }
        }
        resolver.read(environment: options.processEnvironment)
        for file in options.variableFiles {
            for node in reader.documents(absolute: file, file: file, key: "--var-file \(file)").prefix(1) {
                resolver.read(valuesFile: node, file: file)
            }
        }
        resolver.read(overrides: options.variables.map { ($0.name, $0.value) })
        let resolved = resolver.resolve()
        diagnostics += resolver.diagnostics
        return resolved
    }

    /// Parses an interpolated document and attaches its secrets and attribute references.
    private func parse(_ result: Interpolator.Result) -> ManifestDocument {
        let node = result.node
        let folder = reader.folders[node.location.file] ?? reader.root
        var document = ManifestDocument.parse(node, directory: folder, folders: reader.folders)
        var problems: [Diagnostic] = []
        for (path, location) in result.templated where path.hasPrefix("spec.import.fetch.") {
            problems.append(
                Diagnostic(
                    at: location,
                    "'\(path)' is run by apply exactly as written, so it cannot use ${...}: a value from variables "
                        + "or the environment would change what runs without a change to the reviewed manifest"))
        }
        var sensitive: [String] = []
        for path in result.sensitive {
            guard let field = Self.fieldPath(path) else {
                problems.append(
                    Diagnostic(
                        at: node.location, "a secret (${env.X} or a sensitive variable) cannot be used in '\(path)'"))
                continue
            }
            sensitive.append(field)
        }
        var references: [AttributeReference] = []
        for (reference, path) in result.references {
            if let problem = Self.problem(reference, in: document.address?.kind, at: path) {
                problems.append(Diagnostic(at: reference.location, problem))
                continue
            }
            references.append(reference)
            document.references.append(
                ResourceReference(target: reference.target, field: path, location: reference.location))
        }
        if var resource = document.resource {
            for path in sensitive where Self.value(at: path, in: resource.fields) == nil {
                problems.append(
                    Diagnostic(
                        at: node.location,
                        "Tailor cannot keep the secret in 'spec.\(path)' out of its state; use secrets only in string "
                            + "fields and tags"))
            }
            resource.sensitivePaths = sensitive
            resource.attributeReferences = references
            resource.references += references.map {
                ResourceReference(target: $0.target, field: "\($0.placeholder)", location: $0.location)
            }
            if !references.isEmpty { resource.template = node }
            document.resource = problems.isEmpty ? resource : nil
        }
        document.diagnostics += problems
        return document
    }

    /// `spec.roleArn` → `roleArn`, `metadata.tags.team` → `tags.team`; nil elsewhere.
    private static func fieldPath(_ path: String) -> String? {
        if path.hasPrefix("spec.") { return String(path.dropFirst("spec.".count)) }
        if path.hasPrefix("metadata.tags.") { return String(path.dropFirst("metadata.".count)) }
        return nil
    }

    private static func value(at path: String, in fields: [String: SpecValue]) -> SpecValue? {
        var value: SpecValue? = .map(fields)
        for step in path.split(separator: ".") { value = value?.mapValue?[String(step)] }
        return value
    }

    private static func problem(_ reference: AttributeReference, in kind: ResourceKind?, at path: String) -> String? {
        guard fieldPath(path) != nil else {
            return "\(reference.placeholder): attributes of other resources can only be used in spec values and tags"
        }
        let attributes = AttributeReference.attributes(of: reference.target.kind)
        guard attributes.contains(reference.attribute) else {
            return "\(reference.target.kind.noun)s have no attribute '\(reference.attribute)'"
                + Suggestion.didYouMean(reference.attribute, in: attributes)
                + " (attributes: \(attributes.joined(separator: ", ")))"
        }
        guard let kind, reference.target.kind.rank < kind.rank else {
            let allowed = ResourceKind.allCases.filter { $0.rank < (kind?.rank ?? 0) }.map(\.rawValue)
            return "a \(kind?.rawValue ?? "resource") cannot refer to a \(reference.target.kind.rawValue)'s attributes"
                + (allowed.isEmpty
                    ? ": it depends on nothing"
                    : "; only to kinds it may depend on: " + allowed.joined(separator: ", "))
        }
        return nil
    }

    /// The outputs, interpolated; their references must name declared resources.
    private mutating func outputs(_ interpolator: inout Interpolator, declared: Set<ResourceAddress>)
        -> [String: OutputTemplate]
    {
        var outputs: [String: OutputTemplate] = [:]
        for (name, output) in project?.outputs ?? [:] {
            let result = interpolator.interpolate(output.value)
            let references = result.references.map(\.reference)
            for reference in references where !declared.contains(reference.target) {
                report(reference.location, "output '\(name)' refers to \(reference.target), which is not declared")
            }
            outputs[name] = OutputTemplate(
                value: result.node.specValue, references: references,
                sensitive: output.sensitive || !result.sensitive.isEmpty)
        }
        return outputs
    }

    /// Digests of what was read besides files: `${env.X}` values, `TAILOR_VAR_` and `--var` values.
    private func inputDigests(_ interpolator: Interpolator) -> [String: String] {
        var digests: [String: String] = [:]
        for (name, value) in interpolator.environmentRead {
            digests["$env.\(name)"] = SpecHash.of(["v": .string(value)])
        }
        for name in project?.variables.keys.sorted() ?? [] {
            if let value = options.processEnvironment["TAILOR_VAR_\(name)"] {
                digests["$env.TAILOR_VAR_\(name)"] = SpecHash.of(["v": .string(value)])
            }
        }
        for override in options.variables {
            digests["--var \(override.name)"] = SpecHash.of(["v": .string(override.value)])
        }
        return digests
    }

    private mutating func report(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(at: location, message))
    }
}
