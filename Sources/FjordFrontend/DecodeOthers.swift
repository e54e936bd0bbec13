import FjordModel
import FjordSource
import FjordYAML

extension Decoder {
    func labelSelector(_ r: Reader) -> LabelSelector {
        let reqs: [LabelSelector.Requirement] = r.objects("matchExpressions").compactMap { e in
            guard let key = e.string("key"),
                let op = e.enumValue("operator", as: LabelSelector.Requirement.Operator.self)
            else { return nil }
            return .init(key: key.value, op: op.value, values: e.strings("values").map(\.value))
        }
        return LabelSelector(
            matchLabels: r.stringMap("matchLabels")?.values ?? [:], matchExpressions: reqs, range: r.range)
    }

    // MARK: security.istio.io

    func peerAuthentication(_ spec: Reader?, _ doc: DocumentContext) -> PeerAuthentication {
        let selectorReader = spec?.object("selector")
        let selector = selectorReader.map { $0.stringMap("matchLabels")?.values ?? [:] }
        let mode: Located<MTLSMode>? = spec?.object("mtls").map { m in
            m.enumValue("mode", as: MTLSMode.self) ?? Located(.unset, m.range)
        }
        var ports: [(port: Located<Int>, mode: Located<MTLSMode>)] = []
        var invalidKeys: [Located<String>] = []
        for (key, value) in spec?.objectMap("portLevelMtls") ?? [] {
            guard let p = Scalars.integer(key.value) else {
                invalidKeys.append(key)
                continue
            }
            ports.append(
                (Located(p, key.range), value.enumValue("mode", as: MTLSMode.self) ?? Located(.unset, value.range)))
        }
        var pa = PeerAuthentication(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace, selector: selector, mode: mode,
            portLevelMtls: ports)
        pa.invalidPortKeys = invalidKeys
        pa.selectorRange = selectorReader?.range ?? .synthetic
        pa.portLevelRange = spec?.keyRange("portLevelMtls") ?? .synthetic
        return pa
    }

    func authorizationPolicy(_ spec: Reader?, _ doc: DocumentContext) -> AuthorizationPolicy {
        let rules: [AuthorizationPolicy.Rule] = (spec?.objects("rules") ?? []).map { rule in
            let from: [AuthorizationPolicy.Source] = rule.objects("from").compactMap { f in
                guard let s = f.object("source") else { return nil }
                var source = AuthorizationPolicy.Source(
                    principals: s.strings("principals"), namespaces: s.strings("namespaces"),
                    notPrincipals: s.strings("notPrincipals"), notNamespaces: s.strings("notNamespaces"), range: s.range
                )
                source.requestPrincipals = s.strings("requestPrincipals")
                source.notRequestPrincipals = s.strings("notRequestPrincipals")
                source.ipBlocks = s.strings("ipBlocks")
                source.notIpBlocks = s.strings("notIpBlocks")
                source.remoteIpBlocks = s.strings("remoteIpBlocks")
                source.notRemoteIpBlocks = s.strings("notRemoteIpBlocks")
                source.serviceAccounts = s.strings("serviceAccounts")
                source.notServiceAccounts = s.strings("notServiceAccounts")
                return source
            }
            let to: [AuthorizationPolicy.Operation] = rule.objects("to").compactMap { t in
                guard let o = t.object("operation") else { return nil }
                var op = AuthorizationPolicy.Operation(
                    hosts: o.strings("hosts"), ports: o.strings("ports"), methods: o.strings("methods"),
                    paths: o.strings("paths"), range: o.range)
                op.notHosts = o.strings("notHosts")
                op.notPorts = o.strings("notPorts")
                op.notMethods = o.strings("notMethods")
                op.notPaths = o.strings("notPaths")
                return op
            }
            let when: [AuthorizationPolicy.Condition] = rule.objects("when").compactMap { c in
                guard let key = c.string("key") else { return nil }
                return .init(key: key, values: c.strings("values"), notValues: c.strings("notValues"), range: c.range)
            }
            return .init(from: from, to: to, when: when, range: rule.range)
        }
        var policy = AuthorizationPolicy(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace,
            selector: spec?.object("selector").map { $0.stringMap("matchLabels")?.values ?? [:] },
            action: spec?.enumValue("action"), rules: rules)
        policy.selectorRange = spec?.object("selector")?.range ?? .synthetic
        func targetRef(_ r: Reader) -> AuthorizationPolicy.TargetRef {
            .init(
                group: r.string("group"), kind: r.string("kind"), name: r.string("name"),
                namespace: r.string("namespace"), range: r.range)
        }
        policy.targetRefs =
            (spec?.object("targetRef").map { [targetRef($0)] } ?? [])
            + (spec?.objects("targetRefs") ?? []).map(targetRef)
        policy.provider = spec?.object("provider")?.string("name")
        return policy
    }

    func requestAuthentication(_ spec: Reader?, _ doc: DocumentContext) -> RequestAuthentication {
        var ra = RequestAuthentication(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace,
            selector: spec?.object("selector").map { $0.stringMap("matchLabels")?.values ?? [:] },
            issuers: (spec?.objects("jwtRules") ?? []).compactMap { $0.string("issuer") })
        ra.selectorRange = spec?.object("selector")?.range ?? .synthetic
        return ra
    }

    // MARK: Kubernetes

    func service(_ spec: Reader?, _ doc: DocumentContext) -> Service {
        let ports: [ServicePort] = (spec?.objects("ports") ?? []).compactMap { p in
            guard let port = p.int("port") else { return nil }
            let target = p.raw("targetPort").flatMap { n in n.scalar.map { Located($0.text, n.range) } }
            return ServicePort(
                name: p.string("name"), port: port, targetPort: target, protocol: p.string("protocol"),
                appProtocol: p.string("appProtocol"), range: p.range)
        }
        return Service(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace, selector: spec?.stringMap("selector")?.values,
            ports: ports, type: spec?.string("type"), externalName: spec?.string("externalName"))
    }

    func container(_ r: Reader) -> Container? {
        guard let name = r.string("name") else { return nil }
        let env: [EnvVar] = r.objects("env").compactMap { e in
            guard let n = e.string("name") else { return nil }
            var ref: ConfigMapKeyRef?
            if let k = e.object("valueFrom")?.object("configMapKeyRef"), let name = k.string("name"),
                let key = k.string("key")
            {
                ref = ConfigMapKeyRef(name: name, key: key)
            }
            return EnvVar(name: n, value: e.string("value"), configMapKeyRef: ref)
        }
        let envFrom: [EnvFromConfigMap] = r.objects("envFrom").compactMap { e in
            guard let name = e.object("configMapRef")?.string("name") else { return nil }
            return EnvFromConfigMap(name: name, prefix: e.string("prefix")?.value ?? "")
        }
        let ports: [ContainerPort] = r.objects("ports").compactMap { p in
            guard let cp = p.int("containerPort") else { return nil }
            return ContainerPort(name: p.string("name")?.value, containerPort: cp.value)
        }
        return Container(
            name: name, image: r.string("image"), env: env, args: r.strings("args"), command: r.strings("command"),
            ports: ports, envFrom: envFrom, range: r.range)
    }

    func podSpec(_ r: Reader?) -> PodSpec {
        guard let r else { return PodSpec() }
        var spec = PodSpec()
        spec.containers = r.objects("containers").compactMap(container)
        spec.initContainers = r.objects("initContainers").compactMap(container)
        let accountName = r.string("serviceAccountName")
        let deprecatedAccount = r.string("serviceAccount")
        spec.serviceAccountName = accountName ?? deprecatedAccount
        spec.nodeName = r.string("nodeName")
        spec.hostNetwork = r.bool("hostNetwork")
        var required: [String: [String]] = [:]
        var placementRange: SourceRange?
        if let ns = r.stringMap("nodeSelector") {
            for (k, v) in ns.values { required[k] = [v] }
            placementRange = r.raw("nodeSelector")?.range
        }
        // Required node affinity: only a single term can pin a label (terms are ORed).
        if let terms = r.object("affinity")?.object("nodeAffinity")?.object(
            "requiredDuringSchedulingIgnoredDuringExecution")?.objects("nodeSelectorTerms"),
            terms.count == 1
        {
            for e in terms[0].objects("matchExpressions") {
                guard let key = e.string("key"), e.string("operator")?.value == "In" else { continue }
                let values = e.strings("values").map(\.value)
                if let existing = required[key.value] {
                    required[key.value] = existing.filter(values.contains)
                } else {
                    required[key.value] = values
                }
                placementRange = placementRange ?? e.range
            }
        }
        if !required.isEmpty { spec.placement = NodePlacement(required: required, range: placementRange ?? r.range) }
        return spec
    }

    func pod(_ spec: Reader?, _ doc: DocumentContext, hasController: Bool) -> Pod {
        Pod(
            meta: doc.meta, origin: doc.origin, namespace: doc.namespace, spec: podSpec(spec),
            hasController: hasController)
    }

    func controller(_ kind: ResourceKind, _ spec: Reader?, _ doc: DocumentContext) -> WorkloadController {
        let templateReader = spec?.object("template")
        let tmeta = templateReader?.object("metadata")
        let labels = tmeta?.stringMap("labels")
        let annotations = tmeta?.stringMap("annotations")
        var template = PodTemplate(
            labels: labels?.values ?? [:], annotations: annotations?.values ?? [:],
            spec: podSpec(templateReader?.object("spec")), range: templateReader?.range ?? doc.origin.documentRange)
        template.labelRanges = labels?.keyRanges ?? [:]
        template.annotationRanges = annotations?.keyRanges ?? [:]
        return WorkloadController(
            controllerKind: kind, meta: doc.meta, origin: doc.origin, namespace: doc.namespace,
            replicas: kind == .job || kind == .cronJob ? nil : spec?.int("replicas"),
            selector: spec?.object("selector").map(labelSelector), template: template)
    }

    func configMap(_ data: [String: Located<String>], _ doc: DocumentContext) -> ConfigMap {
        ConfigMap(meta: doc.meta, origin: doc.origin, namespace: doc.namespace, data: data)
    }

    // MARK: fjord.dev

    func residencyPolicy(_ spec: Reader?, _ doc: DocumentContext) -> ResidencyPolicy {
        var p = ResidencyPolicy(meta: doc.meta, origin: doc.origin, namespace: doc.namespace)
        guard let spec else { return p }
        p.personalData = spec.objects("personalData").map { d in
            ResidencyPolicy.DataSelector(
                namespaces: d.strings("namespaces"), workloadSelector: d.object("workloadSelector").map(labelSelector),
                serviceSelector: d.object("serviceSelector").map(labelSelector), range: d.range)
        }
        p.allowedJurisdictions = spec.strings("allowedJurisdictions")
        p.allowedJurisdictionsRange = spec.keyRange("allowedJurisdictions") ?? spec.range
        p.attestations = spec.objects("attestations").compactMap { a in
            guard let j = a.string("jurisdiction"), let m = a.string("mechanism") else { return nil }
            return ResidencyPolicy.Attestation(
                jurisdiction: j, mechanism: m, recipients: a.strings("recipients"), reference: a.string("reference"),
                range: a.range)
        }
        p.locations = spec.objects("locations").compactMap { l in
            guard let country = l.string("country") else { return nil }
            return ResidencyPolicy.Location(
                region: l.string("region"), host: l.string("host"), country: country,
                reference: l.string("reference"), range: l.range)
        }
        p.processors = spec.objects("processors").compactMap { o in
            guard let w = o.string("workload"), let r = o.string("reason") else { return nil }
            return ResidencyPolicy.Processor(workload: w, reason: r, range: o.range)
        }
        p.ingressGateways = spec.objects("ingressGateways").compactMap { o in
            guard let g = o.string("gateway") else { return nil }
            return ResidencyPolicy.IngressSource(gateway: g, serves: o.strings("serves"), range: o.range)
        }
        p.strict = spec.bool("strict")
        return p
    }
}
