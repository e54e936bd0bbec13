/// The mesh the integration tests route with: a client workload calling `reviews` (v1/v2 with
/// a 90/10 split, a debug-header route, timeout, retry, fault, mirror, rewrite, redirect and
/// direct-response routes), `shadow` (the mirror target) and `ejecty` (outlier detection).
enum TestMeshes {
    static func service(_ name: String, port: Int = 8080) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          namespace: shop
        spec:
          selector:
            app: \(name)
          ports:
          - name: http
            port: \(port)
        ---

        """
    }

    static let shop: String = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
          labels:
            istio-injection: enabled
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: client
          namespace: shop
        spec:
          selector:
            matchLabels:
              app: client
          template:
            metadata:
              labels:
                app: client
            spec:
              containers:
              - name: app
                image: example/client
        ---

        """ + service("reviews") + service("shadow") + service("ejecty") + service("flaky") + """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: shop
            spec:
              host: reviews
              subsets:
              - name: v1
                labels:
                  version: v1
              - name: v2
                labels:
                  version: v2
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: ejecty
              namespace: shop
            spec:
              host: ejecty
              trafficPolicy:
                outlierDetection:
                  consecutive5xxErrors: 3
                  interval: 1s
                  baseEjectionTime: 1s
                  maxEjectionPercent: 100
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: shop
            spec:
              hosts:
              - reviews
              http:
              - name: debug
                match:
                - headers:
                    x-debug-user:
                      exact: "true"
                route:
                - destination:
                    host: reviews
                    subset: v2
              - name: canary-headers
                match:
                - uri:
                    prefix: /canary
                route:
                - destination:
                    host: reviews
                    subset: v1
                  weight: 50
                  headers:
                    request:
                      set:
                        x-canary: "no"
                    response:
                      set:
                        x-variant: v1
                        x-served-by: destination
                - destination:
                    host: reviews
                    subset: v2
                  weight: 50
                  headers:
                    request:
                      set:
                        x-canary: "yes"
                    response:
                      add:
                        x-variant: v2
                headers:
                  request:
                    set:
                      x-route: canary
                  response:
                    set:
                      x-served-by: route
              - name: timeout
                match:
                - uri:
                    prefix: /slow
                route:
                - destination:
                    host: reviews
                    subset: v1
                timeout: 1s
                retries:
                  attempts: 0
              - name: retry
                match:
                - uri:
                    prefix: /retry
                route:
                - destination:
                    host: flaky
                retries:
                  attempts: 3
                  retryOn: 5xx
              - name: noretry
                match:
                - uri:
                    prefix: /noretry
                route:
                - destination:
                    host: flaky
                retries:
                  attempts: 0
              - name: fault
                match:
                - uri:
                    prefix: /fault
                fault:
                  abort:
                    httpStatus: 503
                    percentage:
                      value: 50
                route:
                - destination:
                    host: reviews
                    subset: v1
              - name: mirror
                match:
                - uri:
                    prefix: /mirror
                route:
                - destination:
                    host: reviews
                    subset: v1
                mirror:
                  host: shadow
                mirrorPercentage:
                  value: 100
              - name: rewrite
                match:
                - uri:
                    prefix: /old/
                rewrite:
                  uri: /new/
                  authority: reviews-rewritten
                headers:
                  request:
                    set:
                      x-route: rewrite
                    remove:
                    - x-secret
                  response:
                    add:
                      x-served-by: fjord
                route:
                - destination:
                    host: reviews
                    subset: v1
              - name: redirect
                match:
                - uri:
                    exact: /moved
                redirect:
                  uri: /elsewhere
                  redirectCode: 308
              - name: direct
                match:
                - uri:
                    exact: /teapot
                directResponse:
                  status: 418
                  body:
                    string: "short and stout"
              - name: eject
                match:
                - uri:
                    prefix: /eject
                route:
                - destination:
                    host: ejecty
                retries:
                  attempts: 0
              - name: split
                route:
                - destination:
                    host: reviews
                    subset: v1
                  weight: 90
                - destination:
                    host: reviews
                    subset: v2
                  weight: 10
                retries:
                  attempts: 0
            ---

            """

    /// A mesh with `n` prefix routes `/svcK/` on one host, the last one `/svc{n-1}/`.
    static func manyRoutes(_ n: Int) -> String {
        var y = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: client
              namespace: shop
            spec:
              selector:
                matchLabels:
                  app: client
              template:
                metadata:
                  labels:
                    app: client
                spec:
                  containers:
                  - name: app
                    image: example/client
            ---

            """ + service("reviews") + """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                  namespace: shop
                spec:
                  hosts:
                  - reviews
                  http:

                """
        for k in 0..<n {
            y +=
                "  - name: r\(k)\n    match:\n    - uri:\n        prefix: /svc\(k)/\n    route:\n    - destination:\n        host: reviews\n"
        }
        return y
    }
}
