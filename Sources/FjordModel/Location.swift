import FjordSource

/// A location established from the inputs and the region catalog: a country, and the region,
/// zone or declaration that puts something there.
public struct Place: Hashable, Sendable {
    public enum Basis: Hashable, Sendable {
        /// A cloud region of the catalog.
        case region(provider: String, city: String?)
        /// An AWS Local Zone of the catalog (it may be in another country than its parent).
        case localZone(parent: String, city: String)
        /// A `locations` entry of a ResidencyPolicy (the user's word, not Fjord's).
        case declared(policy: String, reference: String?)
    }
    /// The region, zone or host name the place is known by.
    public var name: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var basis: Basis
    /// Where the declaration is, for declared places.
    @NotCompared public var range: SourceRange = .synthetic

    public init(name: String, country: String, basis: Basis, range: SourceRange = .synthetic) {
        self.name = name
        self.country = country
        self.basis = basis
        self.range = range
    }

    /// `eastus (Virginia)`, `us-east-1-qro-1a (Local Zone, Queretaro)`, `api.vipps.no (declared)`.
    public var label: String {
        switch basis {
        case .region(_, let city): return city.map { "\(name) (\($0))" } ?? name
        case .localZone(_, let city): return "\(name) (Local Zone, \(city))"
        case .declared: return "\(name) (declared)"
        }
    }

    /// A witness step: `region eastus (Virginia)`.
    public var step: String {
        switch basis {
        case .region: return "region \(label)"
        case .localZone(let parent, let city): return "local zone \(name) (\(city), parent region \(parent))"
        case .declared(let policy, _): return "declared location \(name) (ResidencyPolicy \(policy))"
        }
    }
}

/// Where something runs: a place, somewhere unknown, or anywhere at all.
public enum Placement: Hashable, Sendable {
    case known(Place)
    /// The inputs do not establish a location; the text says why.
    case unknown(String)
    /// Any country: any external host (ALLOW_ANY, a workload without a sidecar) or a wildcard over
    /// a provider's hosts in every region. The text says why.
    case anywhere(String)

    public var place: Place? {
        if case .known(let p) = self { return p }
        return nil
    }
}

/// A location a ResidencyPolicy declares for a region or an external host Fjord cannot place.
public struct DeclaredLocation: Hashable, Sendable {
    /// A locality region as written in labels (`dc-oslo-1`), or nil.
    public var region: String?
    /// An external host or `*.` pattern (`api.vipps.no`), or nil.
    public var host: String?
    public var country: String
    public var reference: String?
    public var policy: String
    @NotCompared public var range: SourceRange = .synthetic
    public init(
        region: String?, host: String?, country: String, reference: String?, policy: String,
        range: SourceRange = .synthetic
    ) {
        self.region = region
        self.host = host
        self.country = country
        self.reference = reference
        self.policy = policy
        self.range = range
    }
}

/// Turns localities and host names into placements, through the catalog and the declarations.
///
/// Conservative by design: a name that does not say where it is gives `.unknown`, never a guess.
/// Country-code top-level domains (`api.vipps.no`) are not evidence: they tell where a name is
/// registered, not where its servers are.
public struct Locator: Sendable {
    public let catalog: RegionCatalog
    public var declarations: [DeclaredLocation]

    public init(catalog: RegionCatalog = .builtIn, declarations: [DeclaredLocation] = []) {
        self.catalog = catalog
        self.declarations = declarations
    }

    func declared(_ d: DeclaredLocation, name: String) -> Place {
        Place(
            name: name, country: d.country.uppercased(), basis: .declared(policy: d.policy, reference: d.reference),
            range: d.range)
    }

    /// A workload's locality: a catalogued zone first (Local Zones can be abroad), then the region.
    public func locate(_ locality: Locality) -> Placement {
        locate(region: locality.region, zone: locality.zone)
    }

    public func locate(region rawRegion: String, zone rawZone: String?) -> Placement {
        let region = rawRegion.lowercased()
        if let d = declarations.first(where: { $0.region?.lowercased() == region }) {
            return .known(declared(d, name: rawRegion))
        }
        if let zone = rawZone?.lowercased(), !zone.isEmpty {
            switch catalog.zone(zone) {
            case .localZone(let z)?:
                return .known(
                    Place(name: z.name, country: z.country, basis: .localZone(parent: z.parent, city: z.city)))
            case .uncataloguedLocalZone(let parent)? where parent.name == region || catalog.region(region) == nil:
                return .unknown(
                    "zone `\(zone)` looks like an AWS Local Zone of `\(parent.name)` (\(parent.country)) that fjord's catalog does not list, "
                        + "and Local Zones can be in another country than their parent region")
            default: break
            }
        }
        if let r = catalog.region(region) {
            return .known(Place(name: r.name, country: r.country, basis: .region(provider: r.provider, city: r.city)))
        }
        switch catalog.zone(region) {
        case .availabilityZone(let r)?:
            return .known(Place(name: r.name, country: r.country, basis: .region(provider: r.provider, city: r.city)))
        case .localZone(let z)?:
            return .known(Place(name: z.name, country: z.country, basis: .localZone(parent: z.parent, city: z.city)))
        case .uncataloguedLocalZone(let parent)?:
            return .unknown(
                "`\(region)` looks like an AWS Local Zone of `\(parent.name)` (\(parent.country)) that fjord's catalog does not list, "
                    + "and Local Zones can be in another country than their parent region")
        case nil:
            return .unknown("region `\(rawRegion)` is not in fjord's region catalog")
        }
    }

    // MARK: External hosts

    /// An external host by its name: a declaration first, then the region named in a cloud
    /// provider's endpoint. `*.s3.amazonaws.com` and `s3.amazonaws.com` are S3's legacy global
    /// endpoint, which serves from us-east-1.
    public func locate(host rawHost: String) -> Placement {
        let host = rawHost.lowercased()
        if host == "*" { return .anywhere("host `*` matches every external host") }
        if let d = declarations.first(where: { d in
            d.host.map { Mesh.hostMatches(pattern: $0.lowercased(), host: host) || $0.lowercased() == host } ?? false
        }) {
            return .known(declared(d, name: rawHost))
        }
        let isWildcard = host.hasPrefix("*.")
        let name = isWildcard ? String(host.dropFirst(2)) : host
        let labels = name.split(separator: ".").map(String.init)
        if isIPAddress(name) { return .unknown("`\(rawHost)` is an IP address; fjord cannot tell where it is") }
        if name.hasSuffix("amazonaws.com") || name.hasSuffix("amazonaws.com.cn") {
            for l in labels {
                for candidate in [
                    l, l.hasPrefix("s3-website-") ? String(l.dropFirst(11)) : "",
                    l.hasPrefix("s3-") ? String(l.dropFirst(3)) : "",
                ]
                where !candidate.isEmpty {
                    if let r = catalog.region(candidate), r.provider == "aws" { return regionPlace(r) }
                }
            }
            if name == "s3.amazonaws.com" || name.hasSuffix(".s3.amazonaws.com") {
                if let r = catalog.region("us-east-1") { return regionPlace(r) }
            }
            if labels.count <= 2 { return .anywhere("`\(rawHost)` matches AWS endpoints in every region") }
            return .unknown("the AWS endpoint `\(rawHost)` names no region")
        }
        let azure = [
            "windows.net", "azure.com", "azure.net", "azmk8s.io", "azurecr.io", "azurewebsites.net",
            "azurecontainer.io",
            "azure-api.net", "azurefd.net", "cognitive.microsoft.com",
        ]
        if let apex = azure.first(where: { name == $0 || name.hasSuffix("." + $0) }) {
            for l in labels { if let r = catalog.region(l), r.provider == "azure" { return regionPlace(r) } }
            if name == apex || (isWildcard && labels.count <= 2) {
                return .anywhere("`\(rawHost)` matches Azure endpoints in every region")
            }
            return .unknown(
                "the Azure endpoint `\(rawHost)` names no region (Blob Storage and most Azure services name the account, not its region)"
            )
        }
        let google = ["googleapis.com", "pkg.dev", "cloudfunctions.net", "run.app", "appspot.com"]
        if let apex = google.first(where: { name == $0 || name.hasSuffix("." + $0) }) {
            for l in labels {
                if let r = catalog.region(l), r.provider == "gcp" { return regionPlace(r) }
                // `europe-north1-aiplatform.googleapis.com`, `europe-north1-docker.pkg.dev`
                if let r = catalog.regions.first(where: { $0.provider == "gcp" && l.hasPrefix($0.name + "-") }) {
                    return regionPlace(r)
                }
            }
            if name == apex || (isWildcard && labels.count <= 2) {
                return .anywhere("`\(rawHost)` matches Google Cloud endpoints in every region")
            }
            return .unknown(
                "the Google Cloud endpoint `\(rawHost)` names no region (Cloud Storage's `storage.googleapis.com` serves buckets in every location)"
            )
        }
        if isWildcard && labels.count <= 1 { return .anywhere("`\(rawHost)` matches hosts anywhere") }
        var why = "nothing in the inputs or in the host name `\(rawHost)` says where it is"
        if let tld = labels.last, tld.count == 2 {
            why +=
                " (a country-code domain such as `.\(tld)` says where a name is registered, not where its servers run)"
        }
        return .unknown(why)
    }

    func regionPlace(_ r: RegionCatalog.Region) -> Placement {
        .known(Place(name: r.name, country: r.country, basis: .region(provider: r.provider, city: r.city)))
    }

    func isIPAddress(_ s: String) -> Bool {
        if s.contains(":") { return true }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }
}
