/// Fjord's catalog of cloud regions and GDPR jurisdictions (`data/regions.yaml`; the data is in
/// `RegionCatalog.generated.swift`). It answers two questions: in which country does a region or
/// zone name lie, and what is that country's status for transfers of personal data out of the EEA.
public struct RegionCatalog: Sendable {
    public struct Provider: Hashable, Sendable {
        /// `aws`, `gcp`, `azure`.
        public var id: String
        /// `AWS`, `Google Cloud`, `Azure`.
        public var name: String
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Region: Hashable, Sendable {
        public var provider: String
        /// As it appears in node labels and Istio localities (`us-east-1`, `europe-north1`, `norwayeast`).
        public var name: String
        public var city: String?
        /// ISO 3166-1 alpha-2.
        public var country: String
        public init(provider: String, name: String, city: String?, country: String) {
            self.provider = provider
            self.name = name
            self.city = city
            self.country = country
        }
    }

    /// An AWS Local Zone that Fjord knows (those in another country than their parent region).
    public struct LocalZone: Hashable, Sendable {
        public var provider: String
        public var name: String
        public var parent: String
        public var city: String
        public var country: String
        public var source: String
        public init(provider: String, name: String, parent: String, city: String, country: String, source: String) {
            self.provider = provider
            self.name = name
            self.parent = parent
            self.city = city
            self.country = country
            self.source = source
        }
    }

    public struct Jurisdiction: Hashable, Sendable {
        public enum Status: String, Hashable, Sendable, CaseIterable {
            /// The GDPR applies.
            case eea
            /// A full adequacy decision covers it.
            case adequacy
            /// An adequacy decision covers only some recipients (see `condition`).
            case adequacyPartial = "adequacy-partial"
            /// No adequacy decision.
            case other
        }
        /// What a recipient must satisfy for a partial adequacy decision to cover it.
        public struct Condition: Hashable, Sendable {
            /// The attestation mechanism that shows it (`DataPrivacyFramework`, `PIPEDA`).
            public var mechanism: String
            public var text: String
            public init(mechanism: String, text: String) {
                self.mechanism = mechanism
                self.text = text
            }
        }
        public var code: String
        public var name: String
        public var status: Status
        public var decision: String?
        public var adopted: String?
        public var reviewed: String?
        public var expires: String?
        public var scope: String?
        public var condition: Condition?
        public var note: String
        public init(
            code: String, name: String, status: Status, decision: String? = nil, adopted: String? = nil,
            reviewed: String? = nil,
            expires: String? = nil, scope: String? = nil, condition: Condition? = nil, note: String
        ) {
            self.code = code
            self.name = name
            self.status = status
            self.decision = decision
            self.adopted = adopted
            self.reviewed = reviewed
            self.expires = expires
            self.scope = scope
            self.condition = condition
            self.note = note
        }
    }

    public let version: Int
    /// The date of the newest fact in the catalog.
    public let asOf: String
    public let providers: [Provider]
    public let regions: [Region]
    public let localZones: [LocalZone]
    public let jurisdictions: [Jurisdiction]

    private let regionIndex: [String: Int]
    private let zoneIndex: [String: Int]
    private let jurisdictionIndex: [String: Int]

    public init(
        version: Int, asOf: String, providers: [Provider], regions: [Region], localZones: [LocalZone],
        jurisdictions: [Jurisdiction]
    ) {
        self.version = version
        self.asOf = asOf
        self.providers = providers
        self.regions = regions
        self.localZones = localZones
        self.jurisdictions = jurisdictions
        var r: [String: Int] = [:]
        for (i, x) in regions.enumerated() where r[x.name] == nil { r[x.name] = i }
        var z: [String: Int] = [:]
        for (i, x) in localZones.enumerated() where z[x.name] == nil { z[x.name] = i }
        var j: [String: Int] = [:]
        for (i, x) in jurisdictions.enumerated() where j[x.code] == nil { j[x.code] = i }
        regionIndex = r
        zoneIndex = z
        jurisdictionIndex = j
    }

    public func region(_ name: String) -> Region? { regionIndex[name.lowercased()].map { regions[$0] } }
    public func localZone(_ name: String) -> LocalZone? { zoneIndex[name.lowercased()].map { localZones[$0] } }
    public func jurisdiction(_ code: String) -> Jurisdiction? {
        jurisdictionIndex[code.uppercased()].map { jurisdictions[$0] }
    }
    public func provider(_ id: String) -> Provider? { providers.first { $0.id == id } }

    /// The status of a country; a country the catalog does not list has no adequacy decision.
    public func status(of country: String) -> Jurisdiction.Status { jurisdiction(country)?.status ?? .other }

    // MARK: Zone names

    /// What a zone-like name says about its region.
    public enum ZoneName: Equatable, Sendable {
        /// A zone of a known region (`us-east-1a`, `europe-north1-a`, `norwayeast-1`).
        case availabilityZone(region: Region)
        /// A catalogued AWS Local Zone.
        case localZone(LocalZone)
        /// An AWS Local or Wavelength Zone of a known parent region that the catalog does not list:
        /// its country is not known (Local Zones can sit abroad).
        case uncataloguedLocalZone(parent: Region)
    }

    /// Reads a zone name (or a zone written where a region belongs): availability zones map to
    /// their region; AWS Local Zones to their own country when catalogued; nil when the name says
    /// nothing Fjord can use.
    public func zone(_ raw: String) -> ZoneName? {
        let name = raw.lowercased()
        if let z = localZone(name) { return .localZone(z) }
        // AWS availability zone: region plus one letter (`us-east-1a`).
        if let last = name.last, last.isLetter, let r = region(String(name.dropLast())), r.provider == "aws" {
            return .availabilityZone(region: r)
        }
        // GCP zone `europe-north1-a`, Azure zone `norwayeast-1`: region, dash, one letter or digit.
        if let dash = name.lastIndex(of: "-"), name.distance(from: dash, to: name.endIndex) == 2 {
            let suffix = name[name.index(after: dash)...]
            if let r = region(String(name[..<dash])), let c = suffix.first,
                (r.provider == "gcp" && c.isLetter) || (r.provider == "azure" && c.isNumber)
            {
                return .availabilityZone(region: r)
            }
        }
        // AWS Local Zone `us-east-1-bos-1a` or Wavelength Zone `us-east-1-wl1-bos-wlz-1`: a known
        // AWS region followed by more dash-separated parts, the first of them letters.
        var end = name.endIndex
        while let dash = name[..<end].lastIndex(of: "-") {
            let prefix = String(name[..<dash])
            if let r = region(prefix), r.provider == "aws" {
                let rest = name[name.index(after: dash)...]
                if rest.first?.isLetter == true, rest.contains("-") { return .uncataloguedLocalZone(parent: r) }
                return nil
            }
            end = dash
        }
        return nil
    }
}
