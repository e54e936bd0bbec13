import Testing

@testable import FjordFrontend

@Suite struct ScalarsTests {
    /// `Scalars.number` as it was before it tried `Double` first (a speed-up); the two must agree.
    static func numberBefore(_ text: String) -> Double? {
        guard !text.isEmpty, text.count <= 64 else { return nil }
        if let i = Scalars.integer(text) { return Double(i) }
        let lowered = text.lowercased()
        if lowered.contains("inf") || lowered.contains("nan") { return nil }
        return Double(text)
    }

    static let inputs = [
        "", "0", "+5", "-5", "42", "007", "1.5", "-0.25", ".5", "5.", "1e3", "1E-3", "+1e+3", "0x1p3", "0X1P-2",
        "inf", "-inf", "Inf", "INF", "infinity", "-Infinity", "nan", "NaN", "-nan", "nan(1)", "1inf", "in", "na",
        "cart-0", "checkout", "v1", "1.2.3", "1_000", "1,5", " 1", "1 ", "١٢", "½", "1e", "e1", "--1", "+-1",
        "99999999999999999999", "999999999999999999999", String(repeating: "9", count: 64),
        String(repeating: "9", count: 65),
        "0.1ms", "30s", "true", "~", "null", "é", "1.0e308", "1e309", "-1e309", "4.9e-324",
    ]

    @Test(arguments: inputs) func numberAgreesWithTheOriginalDefinition(_ text: String) {
        let before = Self.numberBefore(text)
        let now = Scalars.number(text)
        #expect(
            before == now || (before?.isNaN == true && now?.isNaN == true),
            "`\(text)`: \(String(describing: before)) vs \(String(describing: now))")
    }

    /// `destinationSubnets` (type `cidr`): IPv4 and IPv6 addresses with an optional prefix length
    /// that fits the family; `/`, `""` and the like (which once trapped the reachability
    /// analysis) are not.
    @Test func cidr() {
        for good in [
            "10.0.0.0/16", "192.168.0.1", "0.0.0.0/0", "255.255.255.255/32", "::/0", "::1", "fd00::/8",
            "2001:db8::1/128", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1", "1::", "1:2:3:4:5:6:7::",
        ] {
            #expect(Scalars.isCIDR(good), "\(good)")
        }
        for bad in [
            "", "/", "//", "/16", "10.0.0.0/", "10.0.0.0/33", "10.0.0/8", "10.0.0.256", "1.2.3.4.5", "::/129",
            ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "g::1", "10.0.0.0/+8", "10.0.0.0/16/1", "a.b.c.d",
            "1:2:3:4:5:6:7:8::",
        ] {
            #expect(!Scalars.isCIDR(bad), "\(bad)")
        }
    }
}
