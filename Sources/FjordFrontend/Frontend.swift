import FjordDiagnostics
import FjordModel
import FjordSource
import FjordYAML

/// Options of the front end.
public struct FrontendOptions: Sendable {
    /// The namespace of resources that do not name one (kubectl's current namespace).
    public var defaultNamespace: String = "default"
    public var schema: Schema = .builtIn
    public init() {}
}

/// The document being decoded: its metadata, origin and effective namespace.
struct DocumentContext {
    var meta: ObjectMeta
    var origin: ResourceOrigin
    var namespace: String
}

/// Turns YAML documents into typed resources: recognises kinds and apiVersions, validates each
/// document against the schema, then decodes it.
public struct Decoder {
    let schema: Schema
    let options: FrontendOptions
    let recorder: FieldRecorder?

    /// API groups whose kinds Fjord models: a kind there close to a modelled one is a typo.
    static let modelledGroups: Set<String> = ["networking.istio.io", "security.istio.io"]
    /// Istio kinds of those groups that Fjord does not model (never suggested as typos).
    static let unmodelledIstioKinds: Set<String> = [
        "EnvoyFilter", "ProxyConfig", "WorkloadGroup", "Telemetry", "WasmPlugin", "AuthorizationPolicyList",
    ]

    public init(options: FrontendOptions = FrontendOptions(), recorder: FieldRecorder? = nil) {
        self.schema = options.schema
        self.options = options
        self.recorder = recorder
    }

    /// Decodes documents into `resources`, reporting problems to `emit`.
    public func decode(
        _ documents: [YAMLDocument], into resources: inout ResourceSet, sequenceStart: Int = 0,
        emit: @escaping DiagnosticConsumer
    ) {
        var sequence = sequenceStart
        for doc in documents {
            guard let root = doc.root, !root.isNull else { continue }
            decodeObject(root, documentRange: doc.range, sequence: &sequence, into: &resources, emit: emit, depth: 0)
        }
    }

    private func decodeObject(
        _ root: YAMLNode, documentRange: SourceRange, sequence: inout Int, into resources: inout ResourceSet,
        emit: @escaping DiagnosticConsumer, depth: Int
    ) {
        guard root.mapping != nil else {
            emit(
                Diagnostic(
                    .invalidValue, "a resource must be a mapping with `apiVersion` and `kind`, found \(root.shapeName)",
                    at: root.range))
            return
        }
        let kindNode = root["kind"]
        let apiNode = root["apiVersion"]
        guard let kind = kindNode?.text, !kind.isEmpty, kindNode?.scalar != nil else {
            // A document without kind: commonly a values file, a config dump or a stray fragment.
            emit(
                Diagnostic(
                    .unknownKind, severity: .warning,
                    "the document has no `kind`, so it is not a Kubernetes resource; skipping it",
                    at: SourceRange(file: root.range.file, start: root.range.start, end: root.range.start)))
            return
        }
        let apiVersion = apiNode?.text ?? ""
        // `group/version`, or `version` alone for the core group. The group is the text before the
        // first `/`, which may be empty (`apiVersion: /` is group "" and version "", rejected below
        // as an apiVersion the kind does not exist in).
        let apiGroup = apiVersion.firstIndex(of: "/").map { String(apiVersion[..<$0]) } ?? ""
        // Kubernetes accepts `version` or `group/version`, each part non-empty; anything else
        // (`/`, `//`, `a/`, `a/b/c`) names no API, so the document is skipped with an error.
        if !apiVersion.isEmpty, !Self.isWellFormedAPIVersion(apiVersion) {
            let metaName = root["metadata"]?["name"]?.text ?? ""
            emit(
                Diagnostic(
                    .invalidValue,
                    "`apiVersion` must be `group/version` or `version`, found \(quoted(apiVersion)); skipping this \(quoted(kind))",
                    at: apiNode?.range ?? root.range,
                    resource: ResourceRef(kind: kind, namespace: root["metadata"]?["namespace"]?.text, name: metaName)))
            resources.skipped += 1
            return
        }
        // `kind: List` (kubectl get -o yaml) and `FooList`: decode every item.
        if kind == "List" || (kind.hasSuffix("List") && schema.kinds[kind] == nil && root["items"] != nil) {
            guard depth < 4 else { return }
            if let items = root["items"]?.sequence {
                for item in items where !item.isNull {
                    decodeObject(
                        item, documentRange: item.range, sequence: &sequence, into: &resources, emit: emit,
                        depth: depth + 1)
                }
            } else if let items = root["items"], !items.isNull {
                emit(
                    Diagnostic(
                        .invalidValue, "`items` of a `\(kind)` must be a list, found \(items.shapeName)",
                        at: items.range))
            }
            return
        }
        let metaNode = root["metadata"]
        let name = metaNode?["name"]?.text ?? ""
        let writtenNamespace = metaNode?["namespace"]?.text
        let ref = ResourceRef(kind: kind, namespace: writtenNamespace, name: name)
        // The same kind name in another group is another kind (Gateway API's `Gateway`, Knative's
        // `Service`), so it is skipped; the hint names the group Fjord knows, in case the
        // apiVersion is a typo (`security.istio.io/v1` for a VirtualService).
        guard let descriptor = schema.kinds[kind], descriptor.group == apiGroup || apiVersion.isEmpty else {
            let group = apiVersion.firstIndex(of: "/").map { String(apiVersion[..<$0]) } ?? apiVersion
            // `apiVersion: networking.istio.io`: the group without its version.
            if let known = schema.kinds[kind], !known.group.isEmpty, apiVersion == known.group {
                let accepted = known.apiVersions.map { quoted($0) }.joined(separator: ", ")
                let fix = known.apiVersions.last.map {
                    FixIt("give the version: \(quoted($0))", replacement: $0, at: apiNode?.range ?? root.range)
                }
                emit(
                    Diagnostic(
                        .unsupportedApiVersion,
                        "`apiVersion` \(quoted(apiVersion)) lacks a version: it is `group/version`",
                        at: apiNode?.range ?? kindNode?.range ?? root.range, resource: ref,
                        notes: [Note("fjord accepts \(kind) in \(accepted)")], fix: fix))
                return
            }
            // A misspelled kind in a group Fjord models (`VirtualSevice`) is an error, not a skip.
            if schema.kinds[kind] == nil, Self.modelledGroups.contains(group),
                !Self.unmodelledIstioKinds.contains(kind),
                let near = suggestion(
                    for: kind, among: schema.kinds.filter { $0.value.group == group }.map(\.key), minimumDistance: 2)
            {
                emit(
                    Diagnostic(
                        .unknownKind, severity: .error,
                        "unknown kind \(quoted(kind)) in \(quoted(group)); the resource \(quoted(name.isEmpty ? "<unnamed>" : name)) is not checked",
                        at: kindNode?.range ?? root.range, resource: ref,
                        fix: FixIt(
                            "did you mean \(quoted(near))?", replacement: near, at: kindNode?.range ?? root.range)))
                resources.skipped += 1
                return
            }
            let hint: String
            if let known = schema.kinds[kind] {
                let knownGroup = known.group.isEmpty ? "the core group (`v1`)" : quoted(known.group)
                hint = " (fjord models \(quoted(kind)) in \(knownGroup), not in \(quoted(group)))"
            } else {
                hint = group.hasSuffix("istio.io") ? " (an Istio kind Fjord does not model yet)" : ""
            }
            emit(
                Diagnostic(
                    .unknownKind, "skipping \(quoted(kind)) \(quoted(name.isEmpty ? "<unnamed>" : name))\(hint)",
                    at: kindNode?.range ?? root.range, resource: ref))
            resources.skipped += 1
            return
        }
        guard descriptor.apiVersions.contains(apiVersion) else {
            let accepted = descriptor.apiVersions.map { quoted($0) }.joined(separator: ", ")
            emit(
                Diagnostic(
                    .unsupportedApiVersion,
                    apiVersion.isEmpty
                        ? "\(quoted(kind)) has no `apiVersion`"
                        : "\(quoted(kind)) does not exist in \(quoted(apiVersion))",
                    at: apiNode?.range ?? kindNode?.range ?? root.range, resource: ref,
                    notes: [Note("fjord accepts \(kind) in \(accepted)")]))
            return
        }
        // Validate the whole document against the schema.
        var validator = Validator(schema: schema, resource: ref, emit: emit)
        for pair in root.mapping ?? [] {
            guard let key = pair.key.text else { continue }
            switch key {
            case "apiVersion", "kind", "status": continue
            case "metadata":
                validator.topLevelField = key
                validator.validate(pair.value, as: TypeRef.object("ObjectMeta"))
            default:
                if let f = descriptor.fields[key] {
                    validator.topLevelField = key
                    validator.validate(pair.value, as: f.type)
                } else {
                    var fix: FixIt?
                    if let s = suggestion(for: key, among: Array(descriptor.fields.keys) + ["metadata"]) {
                        fix = FixIt("did you mean \(quoted(s))?", replacement: s, at: pair.key.range)
                    }
                    emit(
                        Diagnostic(
                            .unknownField, "unknown field \(quoted(key)) in a \(kind)", at: pair.key.range,
                            resource: ref, fix: fix))
                }
            }
        }
        for (field, f) in descriptor.fields.sorted(by: { $0.key < $1.key }) where f.required {
            if root[field] == nil || root[field]?.isNull == true {
                emit(
                    Diagnostic(
                        .missingField, "\(quoted(kind)) requires \(quoted(field))", at: kindNode?.range ?? root.range,
                        resource: ref))
            }
        }
        if name.isEmpty {
            emit(
                Diagnostic(
                    .missingField, "the resource requires `metadata.name`",
                    at: metaNode?.range ?? kindNode?.range ?? root.range, resource: ref))
            return
        }
        // Decode.
        let metaReader = Reader(metaNode, type: schema.types["ObjectMeta"]!, schema: schema, recorder: recorder)
        var meta = ObjectMeta(name: Located(name, metaNode?["name"]?.range ?? root.range))
        var hasController = false
        if let m = metaReader {
            meta.name = m.string("name") ?? meta.name
            meta.namespace = m.string("namespace")
            let labels = m.stringMap("labels")
            let annotations = m.stringMap("annotations")
            meta.labels = labels?.values ?? [:]
            meta.labelRanges = labels?.keyRanges ?? [:]
            meta.annotations = annotations?.values ?? [:]
            meta.annotationRanges = annotations?.keyRanges ?? [:]
            meta.creationTimestamp = m.string("creationTimestamp")
            meta.range = m.range
            hasController = m.objects("ownerReferences").contains { $0.bool("controller")?.value == true }
        }
        let namespace = descriptor.clusterScoped ? "" : (meta.namespace?.value ?? options.defaultNamespace)
        let origin = ResourceOrigin(
            apiVersion: Located(apiVersion, apiNode?.range ?? .synthetic), kindRange: kindNode?.range ?? root.range,
            documentRange: documentRange, sequence: sequence)
        sequence += 1
        let doc = DocumentContext(meta: meta, origin: origin, namespace: namespace)
        func top(_ field: String) -> Reader? {
            guard case .object(let t)? = descriptor.fields[field]?.type, let td = schema.types[t] else { return nil }
            return Reader(root[field], type: td, schema: schema, recorder: recorder)
        }
        switch kind {
        case "VirtualService": resources.virtualServices.append(virtualService(top("spec"), doc))
        case "DestinationRule": resources.destinationRules.append(destinationRule(top("spec"), doc))
        case "Gateway": resources.gateways.append(gateway(top("spec"), doc))
        case "ServiceEntry": resources.serviceEntries.append(serviceEntry(top("spec"), doc))
        case "Sidecar": resources.sidecars.append(sidecar(top("spec"), doc))
        case "WorkloadEntry": resources.workloadEntries.append(workloadEntry(top("spec"), doc))
        case "PeerAuthentication": resources.peerAuthentications.append(peerAuthentication(top("spec"), doc))
        case "AuthorizationPolicy": resources.authorizationPolicies.append(authorizationPolicy(top("spec"), doc))
        case "RequestAuthentication": resources.requestAuthentications.append(requestAuthentication(top("spec"), doc))
        case "Namespace": resources.namespaces.append(Namespace(meta: meta, origin: origin))
        case "Node": resources.nodes.append(Node(meta: meta, origin: origin))
        case "ServiceAccount":
            resources.serviceAccounts.append(ServiceAccount(meta: meta, origin: origin, namespace: namespace))
        case "Service": resources.services.append(service(top("spec"), doc))
        case "Pod": resources.pods.append(pod(top("spec"), doc, hasController: hasController))
        case "ConfigMap":
            var data: [String: Located<String>] = [:]
            recorder?.record("ConfigMap", "data", defined: true)
            for p in root["data"]?.mapping ?? [] {
                if let k = p.key.text, let v = p.value.scalar { data[k] = Located(v.text, p.value.range) }
            }
            resources.configMaps.append(configMap(data, doc))
        case "Deployment": resources.controllers.append(controller(.deployment, top("spec"), doc))
        case "StatefulSet": resources.controllers.append(controller(.statefulSet, top("spec"), doc))
        case "DaemonSet": resources.controllers.append(controller(.daemonSet, top("spec"), doc))
        case "ReplicaSet": resources.controllers.append(controller(.replicaSet, top("spec"), doc))
        case "Job": resources.controllers.append(controller(.job, top("spec"), doc))
        // A CronJob's pods come from `jobTemplate.spec.template`.
        case "CronJob":
            resources.controllers.append(controller(.cronJob, top("spec")?.object("jobTemplate")?.object("spec"), doc))
        case "ResidencyPolicy": resources.residencyPolicies.append(residencyPolicy(top("spec"), doc))
        default: break
        }
    }
}

extension Decoder {
    /// `version` or `group/version` with both parts non-empty and no second `/`.
    static func isWellFormedAPIVersion(_ apiVersion: String) -> Bool {
        guard let slash = apiVersion.firstIndex(of: "/") else { return true }
        let group = apiVersion[..<slash], version = apiVersion[apiVersion.index(after: slash)...]
        return !group.isEmpty && !version.isEmpty && !version.contains("/")
    }
}
