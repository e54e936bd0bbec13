import FjordModel
import Testing
import _FjordTestSupport

@Suite struct LocationTests {
    let locator = Locator()

    func country(_ host: String) -> String? { locator.locate(host: host).place?.country }
    func region(_ host: String) -> String? { locator.locate(host: host).place?.name }

    @Test func s3EndpointsNameTheirRegion() {
        #expect(region("reports-archive.s3.us-east-1.amazonaws.com") == "us-east-1")
        #expect(region("s3.eu-north-1.amazonaws.com") == "eu-north-1")
        #expect(country("s3.eu-north-1.amazonaws.com") == "SE")
        #expect(region("bucket.s3-eu-west-1.amazonaws.com") == "eu-west-1")
        #expect(region("bucket.s3.dualstack.ap-southeast-2.amazonaws.com") == "ap-southeast-2")
        #expect(region("site.s3-website-eu-central-1.amazonaws.com") == "eu-central-1")
        #expect(region("dynamodb.eu-north-1.amazonaws.com") == "eu-north-1")
        // The legacy global endpoint serves from us-east-1.
        #expect(region("s3.amazonaws.com") == "us-east-1")
        #expect(region("bucket.s3.amazonaws.com") == "us-east-1")
        #expect(region("*.s3.amazonaws.com") == "us-east-1")
        // No region in the name: unknown, not guessed.
        if case .unknown = locator.locate(host: "sts.amazonaws.com") {
        } else {
            Issue.record("sts.amazonaws.com should be unknown")
        }
        if case .anywhere = locator.locate(host: "*.amazonaws.com") {
        } else {
            Issue.record("*.amazonaws.com covers every region")
        }
    }

    @Test func azureAndGoogleHostsAreUnknownUnlessTheyNameARegion() {
        if case .unknown = locator.locate(host: "ledgerarchive.blob.core.windows.net") {
        } else {
            Issue.record("blob should be unknown")
        }
        if case .unknown = locator.locate(host: "storage.googleapis.com") {
        } else {
            Issue.record("GCS should be unknown")
        }
        #expect(region("myapp.norwayeast.cloudapp.azure.com") == "norwayeast")
        #expect(country("myapp.norwayeast.cloudapp.azure.com") == "NO")
        #expect(region("europe-north1-aiplatform.googleapis.com") == "europe-north1")
        #expect(region("europe-west4-docker.pkg.dev") == "europe-west4")
        #expect(region("pubsub.europe-west3.rep.googleapis.com") == "europe-west3")
    }

    @Test func countryCodeDomainsAndAddressesAreNotEvidence() {
        guard case .unknown(let why) = locator.locate(host: "api.vipps.no") else {
            Issue.record("a .no host is not located by its domain")
            return
        }
        #expect(why.contains("`.no`"))
        if case .unknown = locator.locate(host: "10.1.2.3") {} else { Issue.record("an address is unknown") }
        if case .anywhere = locator.locate(host: "*") {} else { Issue.record("* is anywhere") }
    }

    @Test func declarationsComeFirst() {
        let l = Locator(declarations: [
            DeclaredLocation(region: nil, host: "*.vipps.no", country: "NO", reference: nil, policy: "istio-system/p"),
            DeclaredLocation(region: "dc-oslo-1", host: nil, country: "NO", reference: nil, policy: "istio-system/p"),
        ])
        #expect(l.locate(host: "api.vipps.no").place?.country == "NO")
        #expect(l.locate(region: "dc-oslo-1", zone: "rack-4").place?.country == "NO")
    }

    @Test func localitiesThroughTheCatalog() {
        #expect(locator.locate(region: "us-east-1", zone: "us-east-1-qro-1a").place?.country == "MX")
        #expect(locator.locate(region: "eu-north-1", zone: "eu-north-1-cph-1a").place?.country == "DK")
        #expect(locator.locate(region: "eu-north-1", zone: "eu-north-1a").place?.country == "SE")
        #expect(locator.locate(region: "europe-north1-a", zone: nil).place?.name == "europe-north1")
        #expect(locator.locate(region: "norwayeast", zone: "norwayeast-1").place?.country == "NO")
        #expect(locator.locate(region: "us-east-1-qro-1a", zone: nil).place?.country == "MX")
        if case .unknown(let why) = locator.locate(region: "us-east-1", zone: "us-east-1-bos-1a") {
            #expect(why.contains("Local Zone"))
        } else {
            Issue.record("an uncatalogued Local Zone is unknown")
        }
        if case .unknown = locator.locate(region: "mars-north-1", zone: nil) {} else { Issue.record("unknown region") }
    }
}

@Suite struct CallEvidenceTests {
    @Test func environmentURLsAddressesAndTheAnnotation() throws {
        let (mesh, _) = try MeshLoading.mesh(
            fromYAML: """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: checkout
                  namespace: shop
                  annotations:
                    fjord.dev/calls: "ledger.payments"
                spec:
                  selector:
                    matchLabels: {app: checkout}
                  template:
                    metadata:
                      labels: {app: checkout}
                    spec:
                      containers:
                      - name: checkout
                        image: checkout:1
                        args: ["--upstream=http://cart:8080/api", "--listen=:9000"]
                        env:
                        - {name: PAYMENT_URL, value: "http://payment-service.payments.svc.cluster.local:8080/pay"}
                        - {name: FRAUD_ADDR, value: "fraud-check.payments:9000"}
                        - {name: VIPPS, value: "https://user:pw@api.vipps.no"}
                        - {name: THRESHOLD, value: "0.82"}
                        - {name: MODE, value: "true"}
                        - {name: BROKERS, value: "kafka-0.kafka:9092,kafka-1.kafka:9092"}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: cart, namespace: shop}
                spec:
                  selector: {app: cart}
                  ports: [{name: http, port: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: ledger, namespace: payments}
                spec:
                  selector: {app: ledger}
                  ports: [{name: http, port: 8080}]
                """)
        let w = try #require(mesh.workload("shop/checkout"))
        let calls = mesh.callEvidence(of: w).map {
            "\($0.host):\($0.port.map(String.init) ?? "-") \($0.known ? "known" : "unknown")"
        }
        #expect(
            calls == [
                "ledger.payments.svc.cluster.local:- known",
                "payment-service.payments.svc.cluster.local:8080 unknown",
                "fraud-check.payments.svc.cluster.local:9000 unknown",
                "api.vipps.no:- unknown",
                "kafka-0.kafka:9092 unknown",
                "kafka-1.kafka:9092 unknown",
                "cart.shop.svc.cluster.local:8080 known",
            ])
    }
}
