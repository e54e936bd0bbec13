// swift-format-ignore-file
// Generated from docs/diagnostics/*.md by `make generate`. Do not edit.

/// The page of each code, as `fjord checks CODE` prints it.
let diagnosticPages: [String: String] = [
    "FJ1001": ####"""
# FJ1001: yaml-syntax

**Severity:** error  
**Summary:** the input is not well-formed YAML  
**Reported by:** the YAML loader (`Sources/FjordYAML/YAMLLoader.swift`)

The file is not well-formed YAML, so nothing in it can be read: not the resource with the mistake,
and not the resources after it in the same file. `kubectl apply` refuses such a file with a parse
error, and a GitOps controller (Argo CD, Flux) stops syncing it, so none of its routing, mTLS or
authorization changes reach istiod or the Envoy proxies. Fjord reports the problem where libyaml
noticed it, which is often just after the real mistake (an unclosed bracket or quote is noticed at
the next line), with a note pointing at the construct that was left open. Tabs in indentation,
unclosed flow collections and quotes, a `:` missing after a key and UTF-16 files are the usual
causes. The run exits with code 2: the input could not be read.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts: [reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 5s
```

```
$ fjord check reviews.yaml
reviews.yaml:8:7: error: [FJ1001] did not find expected ',' or ']' while parsing a flow sequence
   6 | spec:
   7 |   hosts: [reviews.bookinfo.svc.cluster.local
     |          ^ the flow sequence starts here
   8 |   http:
     |       ^
   9 |   - name: default
1 error in 1 file (0 resources) in 1 ms
```

## How to fix

Close the flow sequence (or write the list in block style).

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts: [reviews.bookinfo.svc.cluster.local]
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 5s
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

`istioctl analyze` and `kubectl apply` fail on the same file with the parser's message (`yaml: line
8: did not find expected ',' or ']'` from Go's yaml package), usually without a column and without
the place where the unclosed construct starts.

## Silencing it

The finding belongs to a file, not to a resource, so the `fjord.dev/ignore` annotation cannot
silence it. For the whole run: `fjord check --disable FJ1001 mesh/`. The exit code stays 2: the
input could not be read (or held nothing), whatever is shown.
"""####,
    "FJ1002": ####"""
# FJ1002: duplicate-key

**Severity:** warning  
**Summary:** a mapping holds the same key twice and only the last value takes effect  
**Reported by:** the YAML loader (`Sources/FjordYAML/YAMLLoader.swift`)

A mapping holds the same key twice. The YAML specification forbids it, but the parsers Kubernetes
tooling uses accept it and keep the last value, so the earlier one is silently ignored: a `timeout`
written twice in an HTTP route keeps only the second, a `match` written twice keeps only the second
list of conditions, a `trafficPolicy` written twice drops the first policy entirely. Such duplicates
usually come from merging snippets or from a bad rebase, and the configuration Envoy receives is not
the one the author reviewed. Fjord reports the second key, with a note at the first.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    timeout: 10s
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 2s
```

```
$ fjord check reviews.yaml
reviews.yaml:15:5: warning: [FJ1002] duplicate key `timeout`; the earlier value is ignored
   10 |   - name: default
   11 |     timeout: 10s
      |     ^~~~~~~ first defined here
   12 |     route:
   13 |     - destination:
   14 |         host: reviews.bookinfo.svc.cluster.local
   15 |     timeout: 2s
      |     ^~~~~~~
  note: like kubectl, Fjord keeps the last value
1 warning in 1 file (1 resource) in 2 ms
```

## How to fix

Keep one of the two keys, with the value you mean.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 2s
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

With strict field validation (what `kubectl apply` asks for by default in recent versions) the API
server rejects the object (`duplicate field "timeout"`); other clients and older versions keep the
last value without a word. `istioctl analyze` has no message for it.

## Silencing it

The finding belongs to a file, not to a resource, so the `fjord.dev/ignore` annotation cannot
silence it. For the whole run: `fjord check --disable FJ1002 mesh/`.
"""####,
    "FJ1003": ####"""
# FJ1003: unknown-field

**Severity:** warning  
**Summary:** a field that the resource's schema does not define  
**Reported by:** the front end's schema validation (`Sources/FjordFrontend/Validator.swift`, fields from `grammar/schema.yaml`)

A field that the resource's schema does not define. Istio's CRDs prune unknown fields (or reject
them, with strict field validation), so a misspelt `retries.attemps` or a `timout` simply
disappears: the route runs with Istio's defaults (two retries, no timeout) while the author believes
it is configured. A correctly spelt field at the wrong indentation (a `weight` inside `destination`)
is the other common case. Fjord suggests the closest field name, or says when the field belongs to
the enclosing mapping.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 5s
    retries:
      attemps: 3
```

```
$ fjord check reviews.yaml
reviews.yaml:16:7: warning: [FJ1003] unknown field `attemps` in `http[0].retries`
   15 |     retries:
   16 |       attemps: 3
      |       ^~~~~~~
  help: did you mean `attempts`?
1 warning in 1 file (1 resource) in 2 ms
```

## How to fix

Spell the field as the schema does (here `attempts`).

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 5s
    retries:
      attempts: 3
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Depending on the client's field validation, the API server rejects the object (`unknown field
"spec.http[0].retries.attemps"`) or accepts it with a warning and drops the field; either way the
setting never reaches Envoy. Neither kubectl nor `istioctl analyze` suggests the field that was
meant.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1003"
```

For the whole run: `fjord check --disable FJ1003 mesh/`.
"""####,
    "FJ1004": ####"""
# FJ1004: invalid-value

**Severity:** error  
**Summary:** a value has the wrong type or is not one of the allowed values  
**Reported by:** the front end's schema validation (`Sources/FjordFrontend/Validator.swift`)

A value of the wrong type, or not one of the values an enum allows: a weight written as the string
`"100"`, a duration written as a bare number, `ROUND_ROBBIN` for a load-balancing policy. The API
server rejects the resource, so the whole VirtualService or DestinationRule never reaches istiod. A
subtler case is the "Norway problem": a plain `on`, `yes` or `no` where a string is expected is read
as a boolean by YAML 1.1 parsers such as kubectl's, so a header match `exact: on` is rejected (or,
through other tools, becomes `"true"`). Fjord names the field by its path and offers the quoted or
corrected value.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBBIN
```

```
$ fjord check reviews.yaml
reviews.yaml:10:15: error: [FJ1004] `trafficPolicy.loadBalancer.simple` must be one of `UNSPECIFIED`, `LEAST_CONN`, `RANDOM`, `PASSTHROUGH`, `ROUND_ROBIN`, `LEAST_REQUEST`, found `ROUND_ROBBIN`
    9 |     loadBalancer:
   10 |       simple: ROUND_ROBBIN
      |               ^~~~~~~~~~~~
  help: did you mean `ROUND_ROBIN`?
1 error in 1 file (1 resource) in 1 ms
```

## How to fix

Use one of the allowed values.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

The API server (against the CRD's schema) or Istio's webhook rejects the resource, with the field's
path but without a position in the file and without a suggestion. Neither warns about values that
YAML 1.1 turns into booleans.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1004"
```

For the whole run: `fjord check --disable FJ1004 mesh/`.
"""####,
    "FJ1005": ####"""
# FJ1005: input-limit

**Severity:** error  
**Summary:** an input exceeds a size, depth or alias-expansion limit  
**Reported by:** the YAML loader (`Sources/FjordYAML/YAMLLoader.swift`, limits in `YAMLLimits`)

An input is larger than Fjord is willing to read: a file over the size limit (`--max-file-bytes`,
64 MiB), a scalar over 1 MiB, nesting deeper than 256 levels, a document of more than 1,000,000
nodes, a file of more than 2,000,000 nodes or 100,000 documents, or aliases that would copy more
than 100,000 nodes (docs/fuzzing.md lists each limit with its test). The last is the "billion laughs" attack: each anchor repeats the previous one
ten times, so a file of a few hundred bytes expands into a billion nodes and exhausts the memory of
any tool that expands aliases naively. Fjord stops at the alias that crosses the limit and does not
read the rest of the file; the run exits with code 2.

## Example

`lol.yaml`:

```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: lol
  namespace: default
data:
  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
```

```
$ fjord check lol.yaml
lol.yaml:11:38: error: [FJ1005] aliases copy 101218 nodes, over the limit of 100000
   10 |   d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
   11 |   e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
      |                                      ^~
   12 |   f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
  note: every use of an alias copies its anchored node; nested aliases can make a small file expand enormously (a billion laughs attack)
1 error in 1 file (0 resources) in 1 ms
```

## How to fix

Write the configuration without alias bombs. Real manifests rarely need anchors at all; where they
help, each alias should copy a small node a few times.

```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: lol
  namespace: default
data:
  a: lol
```

```
$ fjord check lol.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

The API server refuses oversized requests; kubectl and `istioctl` parse with Go's yaml package,
whose own alias-expansion limits produce a parse error without a position.

## Silencing it

The finding belongs to a file, not to a resource, so the `fjord.dev/ignore` annotation cannot
silence it. For the whole run: `fjord check --disable FJ1005 mesh/`. The exit code stays 2: the
input could not be read (or held nothing), whatever is shown.
"""####,
    "FJ1006": ####"""
# FJ1006: invalid-regex

**Severity:** error  
**Summary:** a regular expression that RE2 rejects  
**Reported by:** the `invalid-regex` check (`Sources/FjordChecks/Checks/RegexCheck.swift`, syntax in `grammar/regex.md`)

A `regex` in a string match (URI, header, query parameter, method, authority, scheme, CORS origin)
or in `rewrite.uriRegexRewrite.match` that Istio rejects. Istio validates with Go's `regexp` and
Envoy matches with C++ RE2, which have no lookaround and no backreferences, and match the whole
value (no implicit `.*`). Istio also rejects an empty `regex` and patterns over 1,024 bytes. A
rejected pattern keeps the whole VirtualService out of the mesh; a pattern that slipped through
older validation makes Envoy NACK the route configuration, so the proxy keeps serving stale routes.
Fjord points at the offending piece (`(?!`, `\1`, the unclosed `(`) with Go's words for the problem.

## Example

`api.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: api
  namespace: shop
spec:
  hosts:
  - api.example.com
  gateways:
  - istio-system/public
  http:
  - name: not-curl
    match:
    - headers:
        user-agent:
          regex: "^(?!curl).*"
    route:
    - destination:
        host: api-v2.shop.svc.cluster.local
    timeout: 5s
  - name: default
    route:
    - destination:
        host: api.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check api.yaml
api.yaml:16:20: error: [FJ1006] invalid regular expression `^(?!curl).*` in the header `user-agent` match: invalid or unsupported Perl syntax, at `(?!`
   15 |         user-agent:
   16 |           regex: "^(?!curl).*"
      |                    ^~~
   17 |     route:
  note: negative lookahead assertions are not supported by RE2
  note: Istio matches with RE2 (full match, no backreferences or lookaround): https://github.com/google/re2/wiki/Syntax
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

RE2 has no negative lookahead; match the exception first and let the next rule take the rest.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: api
  namespace: shop
spec:
  hosts:
  - api.example.com
  gateways:
  - istio-system/public
  http:
  - name: curl
    match:
    - headers:
        user-agent:
          prefix: curl
    route:
    - destination:
        host: api.shop.svc.cluster.local
    timeout: 5s
  - name: not-curl
    route:
    - destination:
        host: api-v2.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check api.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

The Istio webhook rejects the resource with Go's message (`"headers": error parsing regexp: invalid
or unsupported Perl syntax: `(?!`; Istio uses RE2 style regex-based match`), without a position.
Older Istio versions did not validate `withoutHeaders` patterns at all (issue #49607); Envoy then
NACKs the routes.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1006"
```

For the whole run: `fjord check --disable FJ1006 mesh/`.
"""####,
    "FJ1007": ####"""
# FJ1007: unknown-kind

**Severity:** info (see below: a warning or an error in some cases)  
**Summary:** a resource of a kind Fjord does not model is skipped  
**Reported by:** the front end (`Sources/FjordFrontend/Frontend.swift`)

A document Fjord skips: a kind it does not model (an Ingress, a ConfigMap-like custom resource, a
Gateway API `HTTPRoute`), or a document without `kind` at all (a Helm values file or a stray
fragment in a directory of manifests). Skipping is safe for analysis of Istio routing, but what the
skipped resource does is not taken into account: a Gateway API `Gateway` or `HTTPRoute` also
programs Istio's gateways, and Fjord does not see those routes. A document without `kind` is a
warning rather than an info, because it is usually a file that was not meant to be there. When the
kind is one Fjord models but the apiVersion's group is another (`security.istio.io/v1` for a
VirtualService), the message names the group Fjord knows.

A kind that is not Fjord's but is close to one it models in an Istio group it models
(`VirtualSevice` in `networking.istio.io`) is a typo, not a kind to skip: that is an **error**
with the suggested kind as a fix, because the resource would otherwise never be checked (and the
cluster would refuse it).

A skipped kind is an **info**; a document without `kind` is a **warning**; a misspelled Istio kind
is an **error**.

## Example

`ingress.yaml`:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: web
spec:
  rules:
  - host: shop.example.com
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: shop
  namespace: web
spec:
  host: shop.web.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
```

```
$ fjord check ingress.yaml
ingress.yaml:2:7: info: [FJ1007] skipping `Ingress` `shop`
   1 | apiVersion: networking.k8s.io/v1
   2 | kind: Ingress
     |       ^~~~~~~
   3 | metadata:
1 info in 1 file (1 resource) in 1 ms
```

## How to fix

Nothing to fix when the kind is simply outside Fjord's model. Keep values files and fragments out of
the directories you check, or give the document its `kind`.

## Compared with istioctl

`istioctl analyze` skips kinds it has no schema for without a message, and `kubectl apply` fails on
a document without `kind` (`Object 'Kind' is missing`).

## Silencing it

Fjord does not decode the skipped document, so an annotation on it has no effect. For the whole run:
`fjord check --disable FJ1007 mesh/`.
"""####,
    "FJ1008": ####"""
# FJ1008: unreadable-input

**Severity:** error  
**Summary:** an input path cannot be read  
**Reported by:** the compiler driver (`Sources/FjordCompiler/Driver.swift`, file discovery in `Sources/FjordYAML/Inputs.swift`)

An input path cannot be read: it does not exist, permissions forbid reading it, or it is a special
file. Whatever it holds is missing from the analysis, so findings that depend on it (a
PeerAuthentication in that file, a Sidecar that narrows visibility) are missing too, and a clean
result would be misleading. The run exits with code 2 so that CI does not mistake an unreadable
input for a clean mesh.

## Example

```
$ fjord check missing.yaml
missing.yaml:1:1: error: [FJ1008] cannot read `missing.yaml`: no such file or directory
1 error in 0 files (0 resources) in 1 ms
```

## How to fix

Check the path and its permissions, or remove it from the command line.

## Compared with istioctl

`istioctl analyze` fails with the operating system's error (`open missing.yaml: no such file or
directory`).

## Silencing it

The finding belongs to a file, not to a resource, so the `fjord.dev/ignore` annotation cannot
silence it. For the whole run: `fjord check --disable FJ1008 mesh/`. The exit code stays 2: the
input could not be read (or held nothing), whatever is shown.
"""####,
    "FJ1009": ####"""
# FJ1009: missing-field

**Severity:** error  
**Summary:** a required field is missing  
**Reported by:** the front end (`Sources/FjordFrontend/Frontend.swift`, `Validator.swift`; required fields in `grammar/schema.yaml`)

A required field is missing: a DestinationRule without `host`, a route destination without `host`, a
direct response without `status`, a resource without `metadata.name`. The API server rejects the
resource, so nothing in it takes effect, and Istio cannot tell which service a rule without a host
applies to. Fjord reports the mapping that lacks the field; a resource without a name is not
analysed further, and a route whose destinations all lack `host` is not reported again as a rule
without action (FJ1019).

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
```

```
$ fjord check reviews.yaml
reviews.yaml:7:3: error: [FJ1009] `spec` requires field `host`
   6 | spec:
   7 |   trafficPolicy:
     |   ^
   8 |     tls:
1 error in 1 file (1 resource) in 1 ms
```

## How to fix

Add the field.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

The API server rejects the resource (`spec.host: Required value`), and Istio's validation webhook
with `host: empty domain name not allowed`; `istioctl analyze` reports the same without a position.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1009"
```

For the whole run: `fjord check --disable FJ1009 mesh/`.
"""####,
    "FJ1010": ####"""
# FJ1010: deprecated-field

**Severity:** warning  
**Summary:** a field that Istio has deprecated  
**Reported by:** the front end's schema validation (`Sources/FjordFrontend/Validator.swift`, `deprecated:` in `grammar/schema.yaml`)

A field Istio has deprecated in favour of another: `mirrorPercent` (use `mirrorPercentage`), the
integer fault `percent` (use `percentage`), `consecutiveErrors` in outlier detection (use
`consecutive5xxErrors`), `minimumRingSize` directly under `consistentHash` (use
`ringHash.minimumRingSize`), CORS `allowOrigin` (use `allowOrigins`). Deprecated fields still work
today but are removed in later API versions, and some behave differently from their replacement:
`consecutiveErrors` counted gateway errors and 5xx together.

## Example

`search.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: search
  namespace: shop
spec:
  hosts:
  - search.shop.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: search.shop.svc.cluster.local
    mirror:
      host: search-next.shop.svc.cluster.local
    mirrorPercent: 5
    timeout: 5s
```

```
$ fjord check search.yaml
search.yaml:16:5: warning: [FJ1010] `http[0].mirrorPercent` is deprecated: use `mirrorPercentage`
   15 |       host: search-next.shop.svc.cluster.local
   16 |     mirrorPercent: 5
      |     ^~~~~~~~~~~~~
   17 |     timeout: 5s
1 warning in 1 file (1 resource) in 2 ms
```

## How to fix

Use the replacement field.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: search
  namespace: shop
spec:
  hosts:
  - search.shop.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: search.shop.svc.cluster.local
    mirror:
      host: search-next.shop.svc.cluster.local
    mirrorPercentage:
      value: 5
    timeout: 5s
```

```
$ fjord check search.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

Istio's validation warns about some of these (`using deprecated setting "mirrorPercent", use
"mirrorPercentage" instead`; `outlier detection consecutive errors is deprecated`); `istioctl
analyze` shows those warnings without a position.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1010"
```

For the whole run: `fjord check --disable FJ1010 mesh/`.
"""####,
    "FJ1011": ####"""
# FJ1011: conflicting-fields

**Severity:** error  
**Summary:** fields that exclude each other are set together  
**Reported by:** the front end's schema validation (`Sources/FjordFrontend/Validator.swift`, `_oneOf` groups in `grammar/schema.yaml`)

Two fields that exclude each other are set together: `exact` and `prefix` in one string match,
`port` and `derivePort` in a redirect, `rewrite.uri` and `rewrite.uriRegexRewrite`, `simple` and
`consistentHash` in a load balancer, two hash keys in `consistentHash`. These are protobuf `oneof`
fields: Istio's decoder rejects the resource, or (through some tools) keeps only one of them, so
what Envoy does is not what either field says. Fjord reports the later field with a note at the
earlier.

## Example

`storefront.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: storefront
  namespace: shop
spec:
  host: storefront.shop.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
      consistentHash:
        useSourceIp: true
```

```
$ fjord check storefront.yaml
storefront.yaml:11:7: error: [FJ1011] `consistentHash` cannot be set together with `simple`
    9 |     loadBalancer:
   10 |       simple: ROUND_ROBIN
      |       ^~~~~~ `simple` is set here
   11 |       consistentHash:
      |       ^~~~~~~~~~~~~~
   12 |         useSourceIp: true
  note: only one of `simple`, `consistentHash` may be set
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Keep the one you mean.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: storefront
  namespace: shop
spec:
  host: storefront.shop.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      consistentHash:
        useSourceIp: true
```

```
$ fjord check storefront.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation reports some pairs itself (`rewrite may only contain one of URI or
UriRegexRewrite`); for the others the CRD schema or istiod's protobuf decoding rejects the object,
without saying which two fields collide.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1011"
```

For the whole run: `fjord check --disable FJ1011 mesh/`.
"""####,
    "FJ1012": ####"""
# FJ1012: unsupported-api-version

**Severity:** error  
**Summary:** a known kind with an apiVersion Fjord does not accept  
**Reported by:** the front end (`Sources/FjordFrontend/Frontend.swift`)

A kind Fjord models, with an apiVersion that does not exist for it (a version never released, such
as `networking.istio.io/v2`), with the group alone (`apiVersion: networking.istio.io`, which lacks
the `/version`; the fix gives the newest one) or without any apiVersion. The API server has no such resource type and
refuses the document, so none of its configuration reaches the mesh. Fjord accepts
`networking.istio.io/v1alpha3`, `v1beta1` and `v1`, `security.istio.io/v1beta1` and `v1`, core `v1`
and `apps/v1`, and says which versions it accepts.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v2
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 5s
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
```

```
$ fjord check reviews.yaml
reviews.yaml:1:13: error: [FJ1012] `VirtualService` does not exist in `networking.istio.io/v2`
   1 | apiVersion: networking.istio.io/v2
     |             ^~~~~~~~~~~~~~~~~~~~~~
   2 | kind: VirtualService
  note: fjord accepts VirtualService in `networking.istio.io/v1alpha3`, `networking.istio.io/v1beta1`, `networking.istio.io/v1`
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Use an apiVersion that exists (the newest is `networking.istio.io/v1`).

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 5s
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
```

```
$ fjord check reviews.yaml
no problems found in 1 file (2 resources) in 2 ms
```

## Compared with istioctl

`kubectl apply` fails with `no matches for kind "VirtualService" in version
"networking.istio.io/v2"`; `istioctl analyze` reports the unknown version as an unknown kind.

## Silencing it

Fjord does not decode the skipped document, so an annotation on it has no effect. For the whole run:
`fjord check --disable FJ1012 mesh/`.
"""####,
    "FJ1013": ####"""
# FJ1013: duplicate-resource

**Severity:** warning  
**Summary:** the same resource is defined twice and the later definition replaces the earlier  
**Reported by:** the front end (`Sources/FjordFrontend/Duplicates.swift`)

The same resource (kind, namespace and name) is defined more than once in the inputs, as happens
when two kustomize overlays or two Helm charts render it, or when a file is copied. Like `kubectl
apply` of the same files, the last definition wins and replaces the earlier one completely: subsets,
routes or ports that only the earlier definition had are silently lost. Fjord keeps the last
definition (so checks see each resource once), reports it, and points at the definition it replaces.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v3
    labels:
      version: v3
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
```

```
$ fjord check reviews.yaml
reviews.yaml:19:9: warning: [FJ1013] `DestinationRule bookinfo/reviews` is defined more than once; the last definition wins
    3 | metadata:
    4 |   name: reviews
      |         ^~~~~~~ the definition it replaces is here
    5 |   namespace: bookinfo
      :
   18 | metadata:
   19 |   name: reviews
      |         ^~~~~~~
   20 |   namespace: bookinfo
1 warning in 1 file (1 resource) in 2 ms
```

## How to fix

Keep one definition, holding everything the copies meant to say.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

No Istio analyzer reports it: `kubectl apply` applies both definitions in turn and the last one wins
without a message.

## Silencing it

On one resource, with an annotation on its last definition (the one that is kept):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1013"
```

For the whole run: `fjord check --disable FJ1013 mesh/`.
"""####,
    "FJ1014": ####"""
# FJ1014: empty-input

**Severity:** error (see below)  
**Summary:** an input holds no resources  
**Reported by:** the compiler driver (`Sources/FjordCompiler/Driver.swift`)

An input holds no resources. A file with no YAML document at all (empty, or only comments) is a
warning: usually a manifest whose resources were commented out or a template that rendered to
nothing. When the whole run finds no resource Fjord models, that is an error and the exit code is 2,
because a check of nothing must not pass in CI: the path is probably wrong, or the files are not
Kubernetes manifests.

A file without documents is a **warning**; a run without any resource is an **error** (exit code 2).

## Example

`reviews.yaml`:

```yaml
# Disabled while the canary is paused.
# apiVersion: networking.istio.io/v1
# kind: VirtualService
# metadata:
#   name: reviews
```

```
$ fjord check reviews.yaml
reviews.yaml:1:1: warning: [FJ1014] `reviews.yaml` holds no YAML documents
   1 | # Disabled while the canary is paused.
     | ^
   2 | # apiVersion: networking.istio.io/v1
reviews.yaml:1:1: error: [FJ1014] no resources found in the inputs
   1 | # Disabled while the canary is paused.
     | ^
   2 | # apiVersion: networking.istio.io/v1
  note: fjord reads Kubernetes and Istio resources from `.yaml` and `.yml` files, directories and `-` (stdin)
1 error, 1 warning in 1 file (0 resources) in 1 ms
```

## How to fix

Point Fjord at the manifests you deploy, or remove the empty file.

## Compared with istioctl

`istioctl analyze` accepts an empty file and reports nothing (`No validation issues found`), which
hides a wrong path in CI.

## Silencing it

The finding belongs to a file, not to a resource, so the `fjord.dev/ignore` annotation cannot
silence it. For the whole run: `fjord check --disable FJ1014 mesh/`. The exit code stays 2: the
input could not be read (or held nothing), whatever is shown.
"""####,
    "FJ1015": ####"""
# FJ1015: invalid-duration

**Severity:** error  
**Summary:** a duration shorter than 1 ms or finer than millisecond precision  
**Reported by:** the `invalid-duration` check (`Sources/FjordChecks/Checks/DurationCheck.swift`)

A duration shorter than 1 ms, or written with sub-millisecond precision. Envoy's route, retry,
connection and outlier-detection timers work in whole milliseconds, and Istio rejects anything else
(`duration must be greater than 1ms`, `only durations to ms precision are supported`), so the whole
VirtualService or DestinationRule is refused. A route `timeout: 0s` does not mean "no timeout" here:
leave the field out for that. The check covers route timeouts, `retries.perTryTimeout` and
`backoff`, fault delays, CORS `maxAge`, connection-pool timeouts, outlier-detection intervals and
load-balancer warm-up. When the precision is the only problem, Fjord suggests the value rounded down
to the millisecond.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 500us
    retries:
      attempts: 2
      perTryTimeout: 1.5ms
```

```
$ fjord check reviews.yaml
reviews.yaml:14:14: error: [FJ1015] `timeout` must be at least 1ms, found `500us`
   13 |         host: reviews.bookinfo.svc.cluster.local
   14 |     timeout: 500us
      |              ^~~~~
   15 |     retries:
reviews.yaml:17:22: error: [FJ1015] `retries.perTryTimeout` must have millisecond precision, found `1.5ms`
   16 |       attempts: 2
   17 |       perTryTimeout: 1.5ms
      |                      ^~~~~
  help: write `1ms`
2 errors in 1 file (1 resource) in 2 ms
```

## How to fix

Use whole milliseconds of at least 1 ms.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
    timeout: 500ms
    retries:
      attempts: 2
      perTryTimeout: 150ms
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

Istio's validation rejects the resource with `duration must be greater than 1ms` or `only durations
to ms precision are supported`, without saying which field. For CORS `maxAge` Istio also requires
whole seconds (`max_age duration is accurate only to seconds precision`); Fjord checks only the
millisecond rule there.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1015"
```

For the whole run: `fjord check --disable FJ1015 mesh/`.
"""####,
    "FJ1016": ####"""
# FJ1016: invalid-port

**Severity:** error  
**Summary:** a port number outside 1 to 65535  
**Reported by:** the `invalid-port` check (`Sources/FjordChecks/Checks/PortCheck.swift`)

A port number outside 1 to 65535 in a route match, a destination, a redirect, a Gateway server, a
Sidecar egress listener, a ServiceEntry (or its endpoints), a WorkloadEntry, a PeerAuthentication
`portLevelMtls` key or a Kubernetes Service. No TCP port has such a number: Istio rejects the
resource (`port number 70000 must be in the range 1..65535`), and a match on port 0 can never select
a listener. A `portLevelMtls` key that is not a number at all is reported here too.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        port:
          number: 90800
    timeout: 5s
```

```
$ fjord check reviews.yaml
reviews.yaml:15:19: error: [FJ1016] destination port 90800 is outside 1-65535
   14 |         port:
   15 |           number: 90800
      |                   ^~~~~
   16 |     timeout: 5s
1 error in 1 file (1 resource) in 1 ms
```

## How to fix

Use the service's real port.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        port:
          number: 9080
    timeout: 5s
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

Istio's validation rejects it with `port number 90800 must be in the range 1..65535`, without saying
which port field.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1016"
```

For the whole run: `fjord check --disable FJ1016 mesh/`.
"""####,
    "FJ1017": ####"""
# FJ1017: duplicate-subset

**Severity:** error  
**Summary:** a DestinationRule defines the same subset name twice  
**Reported by:** the `duplicate-subset` check (`Sources/FjordChecks/Checks/DuplicateSubsetCheck.swift`)

A DestinationRule defines the same subset name twice. Routes name subsets (`destination.subset:
v1`), and Envoy gets one cluster per subset (`outbound|9080|v1|reviews...`), so two definitions with
different labels leave it ambiguous which pods `v1` means. Istio rejects the DestinationRule
(`duplicate subset names: v1`), which also drops its traffic policy and every other subset.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v1
    labels:
      version: v3
```

```
$ fjord check reviews.yaml
reviews.yaml:12:11: error: [FJ1017] subset `v1` is defined more than once
    8 |   subsets:
    9 |   - name: v1
      |           ^~ first defined here
   10 |     labels:
   11 |       version: v1
   12 |   - name: v1
      |           ^~
   13 |     labels:
1 error in 1 file (1 resource) in 1 ms
```

## How to fix

Give each subset its own name.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v3
    labels:
      version: v3
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects it with `duplicate subset names: v1`, without a position.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1017"
```

For the whole run: `fjord check --disable FJ1017 mesh/`.
"""####,
    "FJ1018": ####"""
# FJ1018: conflicting-actions

**Severity:** error  
**Summary:** an HTTP rule combines actions that exclude each other  
**Reported by:** the `conflicting-actions` check (`Sources/FjordChecks/Checks/ConflictingActionsCheck.swift`)

An HTTP rule combines actions that exclude each other. A rule either routes to destinations,
redirects, answers directly (`directResponse`) or delegates; Envoy's route entry has exactly one
action, so Istio rejects a rule with two (`HTTP route cannot contain both route and redirect`). A
`rewrite` or a `fault` next to a `redirect` or a `directResponse` would never run, because the rule
answers by itself. `mirror` next to `mirrors`, and the deprecated `mirrorPercent` next to
`mirrorPercentage`, leave it unclear which mirror policy applies.

## Example

`shop.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: web
spec:
  hosts:
  - shop.web.svc.cluster.local
  http:
  - name: legacy-cart
    match:
    - uri:
        prefix: /cart/v1
    route:
    - destination:
        host: cart.web.svc.cluster.local
    redirect:
      uri: /cart/v2
    timeout: 5s
  - name: default
    route:
    - destination:
        host: shop.web.svc.cluster.local
    timeout: 5s
```

```
$ fjord check shop.yaml
shop.yaml:18:7: error: [FJ1018] rule `legacy-cart` has both `route` and `redirect`
   14 |     route:
   15 |     - destination:
      |       ^~~~~~~~~~~~ `route` is set here
   16 |         host: cart.web.svc.cluster.local
   17 |     redirect:
   18 |       uri: /cart/v2
      |       ^~~~~~~~~~~~~
   19 |     timeout: 5s
  note: a rule routes, redirects, answers directly or delegates; split it into two rules
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Keep one action per rule; split the rule in two if both are meant for different requests.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: web
spec:
  hosts:
  - shop.web.svc.cluster.local
  http:
  - name: legacy-cart
    match:
    - uri:
        prefix: /cart/v1
    redirect:
      uri: /cart/v2
    timeout: 5s
  - name: default
    route:
    - destination:
        host: shop.web.svc.cluster.local
    timeout: 5s
```

```
$ fjord check shop.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects the same pairs (`HTTP route cannot contain both route and redirect`, `...
fault and direct_response`, `HTTP route cannot contain both mirror and mirrors`) and a root rule
that delegates and also routes (`root HTTP route must not specify route`), one message per pair
without naming the rule. For `mirrorPercent` next to `mirrorPercentage` it only warns that
`mirrorPercent` is deprecated.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1018"
```

For the whole run: `fjord check --disable FJ1018 mesh/`.
"""####,
    "FJ1019": ####"""
# FJ1019: missing-action

**Severity:** error  
**Summary:** an HTTP rule has no route, redirect, direct response or delegate  
**Reported by:** the `missing-action` check (`Sources/FjordChecks/Checks/MissingActionCheck.swift`)

An HTTP rule has no `route`, `redirect`, `directResponse` or `delegate` (or a TCP or TLS rule has no
`route`): it says which requests it wants but not what to do with them. Istio rejects the whole
VirtualService (`HTTP route, redirect or direct_response is required`, `TCP route is required`), so
none of its rules reach Envoy. When a `route` is written but none of its destinations could be read
(each lacks `host`), FJ1009 reports that instead.

## Example

`payments.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: payments
  namespace: payments
spec:
  hosts:
  - payments.payments.svc.cluster.local
  http:
  - name: refunds
    match:
    - uri:
        prefix: /refunds
    timeout: 10s
  - name: default
    route:
    - destination:
        host: payments.payments.svc.cluster.local
    timeout: 10s
```

```
$ fjord check payments.yaml
payments.yaml:10:5: error: [FJ1019] rule `refunds` has no `route`, `redirect`, `directResponse` or `delegate`
    9 |   http:
   10 |   - name: refunds
      |     ^~~~~~~~~~~~~
   11 |     match:
  note: Istio rejects the VirtualService; add a `route` with a destination
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Say where the matched requests go.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: payments
  namespace: payments
spec:
  hosts:
  - payments.payments.svc.cluster.local
  http:
  - name: refunds
    match:
    - uri:
        prefix: /refunds
    route:
    - destination:
        host: refunds.payments.svc.cluster.local
    timeout: 10s
  - name: default
    route:
    - destination:
        host: payments.payments.svc.cluster.local
    timeout: 10s
```

```
$ fjord check payments.yaml
no problems found in 1 file (1 resource) in 7 ms
```

## Compared with istioctl

Istio's validation rejects it (`HTTP route, redirect or direct_response is required`, `TCP route is
required`, `TLS route is required`) without naming the rule.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1019"
```

For the whole run: `fjord check --disable FJ1019 mesh/`.
"""####,
    "FJ1020": ####"""
# FJ1020: unknown-retry-condition

**Severity:** error  
**Summary:** a `retryOn` condition Envoy does not know  
**Reported by:** the `unknown-retry-condition` check (`Sources/FjordChecks/Checks/RetryOnCheck.swift`)

A `retryOn` condition Envoy does not know. `retryOn` is a comma-separated list of Envoy's retry
conditions (`5xx`, `gateway-error`, `reset`, `connect-failure`, `retriable-4xx`, `refused-stream`,
`retriable-status-codes`, `retriable-headers`, `envoy-ratelimited`, `http3-post-connect-failure`,
and the gRPC `cancelled`, `deadline-exceeded`, `internal`, `resource-exhausted`, `unavailable`) and
HTTP status codes. Istio rejects an unknown condition (`"conect-failure" is not a valid retryOn
policy`); a typo that slipped through would make Envoy retry on nothing but the remaining
conditions. Fjord suggests the closest condition.

## Example

`inventory.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: inventory
  namespace: shop
spec:
  hosts:
  - inventory.shop.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: inventory.shop.svc.cluster.local
    timeout: 3s
    retries:
      attempts: 2
      perTryTimeout: 1s
      retryOn: 5xx,conect-failure
```

```
$ fjord check inventory.yaml
inventory.yaml:18:20: error: [FJ1020] unknown retry condition `conect-failure`
   17 |       perTryTimeout: 1s
   18 |       retryOn: 5xx,conect-failure
      |                    ^~~~~~~~~~~~~~
  help: did you mean `connect-failure`?
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Spell the condition as Envoy does.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: inventory
  namespace: shop
spec:
  hosts:
  - inventory.shop.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: inventory.shop.svc.cluster.local
    timeout: 3s
    retries:
      attempts: 2
      perTryTimeout: 1s
      retryOn: 5xx,connect-failure
```

```
$ fjord check inventory.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects the resource with `"conect-failure" is not a valid retryOn policy`. Two
differences: Istio splits on commas without trimming, so `5xx, reset` (with a space) is rejected by
Istio but accepted by Fjord; and Istio accepts only status codes Go knows a text for (`599` is
rejected), while Fjord accepts any code from 100 to 599.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1020"
```

For the whole run: `fjord check --disable FJ1020 mesh/`.
"""####,
    "FJ1021": ####"""
# FJ1021: port-mtls-without-selector

**Severity:** error  
**Summary:** port-level mTLS in a PeerAuthentication without a workload selector  
**Reported by:** the `port-mtls-without-selector` check (`Sources/FjordChecks/Checks/PortLevelMTLSCheck.swift`)

`portLevelMtls` in a PeerAuthentication without a workload selector, or an empty `portLevelMtls`.
Port-level modes exist to make one port of one workload PERMISSIVE or DISABLE (a metrics port
scraped from outside the mesh) while the rest is STRICT; a mesh-wide or namespace-wide policy cannot
know which workloads the port numbers refer to. Istio rejects it (`mesh/namespace peer
authentication cannot have port level mTLS`), so the namespace's whole mTLS policy, STRICT included,
is not applied.

## Example

`payments-mtls.yaml`:

```yaml
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: payments
spec:
  mtls:
    mode: STRICT
  portLevelMtls:
    9090:
      mode: PERMISSIVE
```

```
$ fjord check payments-mtls.yaml
payments-mtls.yaml:9:3: error: [FJ1021] `portLevelMtls` requires a workload selector
    8 |     mode: STRICT
    9 |   portLevelMtls:
      |   ^~~~~~~~~~~~~
   10 |     9090:
  note: Istio applies port-level mTLS only in workload-level policies; add `selector.matchLabels`
1 error in 1 file (1 resource) in 1 ms
```

## How to fix

Keep the namespace policy strict and put the port exception in a workload-level policy.

```yaml
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: payments
spec:
  mtls:
    mode: STRICT
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: ledger-metrics
  namespace: payments
spec:
  selector:
    matchLabels:
      app: ledger
  mtls:
    mode: STRICT
  portLevelMtls:
    9090:
      mode: PERMISSIVE
```

```
$ fjord check payments-mtls.yaml
no problems found in 1 file (2 resources) in 2 ms
```

## Compared with istioctl

Istio's validation rejects it with `mesh/namespace peer authentication cannot have port level mTLS`,
and an empty map with `port level mTLS, if defined, must have at least one element`.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1021"
```

For the whole run: `fjord check --disable FJ1021 mesh/`.
"""####,
    "FJ1022": ####"""
# FJ1022: invalid-host

**Severity:** error  
**Summary:** a host name Istio rejects  
**Reported by:** the `invalid-host` check (`Sources/FjordChecks/Checks/HostCheck.swift`)

A host name Istio rejects: a label that is empty or holds characters DNS does not allow, a wildcard
anywhere but as the whole first label, the bare `*` in a VirtualService bound to the mesh (sidecars)
or as a destination or ServiceEntry host, a host listed twice in a VirtualService, a Gateway server
without hosts, a Sidecar egress host without its `namespace/` part, or an invalid namespace in
`namespace/host`. Hosts are how Istio ties routes, policies and services together; an invalid one
makes Istio reject the resource, and a Sidecar egress host without a namespace would leave the
workload unable to reach the service.

## Example

`sidecar.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: payments
spec:
  egress:
  - hosts:
    - ./*
    - istio-system/*
    - ledger.finance.svc.cluster.local
```

```
$ fjord check sidecar.yaml
sidecar.yaml:11:7: error: [FJ1022] Sidecar egress host `ledger.finance.svc.cluster.local` must be written `namespace/host`
   10 |     - istio-system/*
   11 |     - ledger.finance.svc.cluster.local
      |       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
  help: write `*/ledger.finance.svc.cluster.local` for any namespace, or `./ledger.finance.svc.cluster.local` for this one
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Write the egress host as `namespace/host`.

```yaml
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: payments
spec:
  egress:
  - hosts:
    - ./*
    - istio-system/*
    - finance/ledger.finance.svc.cluster.local
```

```
$ fjord check sidecar.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects these (`host must be of form namespace/dnsName`, `wildcard host * is not
allowed for virtual services bound to the mesh gateway`, `domain name ... invalid`, `duplicate hosts
in virtual service`). Differences: Istio rejects `_` in host labels and all-numeric top-level
labels, and short names (without a dot) in Sidecar and Gateway hosts, which Fjord accepts; Istio
accepts partial wildcards such as `*foo.example.com` in VirtualService hosts, which Fjord rejects;
and Istio counts overlapping wildcards (`*.foo.com` with `a.foo.com`) as duplicate VirtualService
hosts, while Fjord compares names literally (case-insensitively).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1022"
```

For the whole run: `fjord check --disable FJ1022 mesh/`.
"""####,
    "FJ1023": ####"""
# FJ1023: invalid-header-name

**Severity:** error  
**Summary:** a header name that cannot be matched or edited  
**Reported by:** the `invalid-header-name` check (`Sources/FjordChecks/Checks/HeaderNameCheck.swift`)

A header name that cannot be matched or edited: an empty name, a name with characters HTTP does not
allow in a header name (a space, `:` inside the name), an edit of a pseudo-header (`:path`,
`:method`) or of `host`. Envoy lowercases and validates header names; a match on an impossible name
never matches, and edits of pseudo-headers are refused. Matches on JWT claims
(`@request.auth.claims.group`, on gateways with RequestAuthentication) are not header names and are
accepted.

## Example

`checkout.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: checkout
  namespace: shop
spec:
  hosts:
  - checkout.shop.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: checkout.shop.svc.cluster.local
    headers:
      request:
        set:
          :path: /checkout
    timeout: 5s
```

```
$ fjord check checkout.yaml
checkout.yaml:17:11: error: [FJ1023] pseudo-header `:path` cannot be edited
   16 |         set:
   17 |           :path: /checkout
      |           ^~~~~
   18 |     timeout: 5s
  note: use `rewrite.uri` or `rewrite.authority` to change the path or host
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Change the path with `rewrite.uri` (and the host with `rewrite.authority`).

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: checkout
  namespace: shop
spec:
  hosts:
  - checkout.shop.svc.cluster.local
  http:
  - name: default
    rewrite:
      uri: /checkout
    route:
    - destination:
        host: checkout.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check checkout.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects `:`-prefixed names in header operations (`header cannot have ":" prefix`)
and `host` in response operations and removals (`cannot set Host header`), and validates match
header names against `^[-_A-Za-z0-9]+$` (since Istio 1.23). Differences: recent Istio allows
`set`/`add` of `host` and `:authority` on the request (an authority rewrite written as a header),
which Fjord reports; Istio rejects `.` and a leading `:` in match header names, which Fjord accepts;
and Istio does not validate the characters of header-operation names, which Fjord does.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1023"
```

For the whole run: `fjord check --disable FJ1023 mesh/`.
"""####,
    "FJ1024": ####"""
# FJ1024: invalid-percentage

**Severity:** error  
**Summary:** a percentage outside 0 to 100  
**Reported by:** the `invalid-percentage` check (`Sources/FjordChecks/Checks/PercentageCheck.swift`)

A percentage outside 0 to 100: a mirror percentage, a fault delay or abort percentage, or an
outlier-detection `maxEjectionPercent`/`minHealthPercent`. A percentage over 100 is meaningless and
a negative one cannot be sampled; Istio rejects the resource, so the fault or mirror (and every
other rule of the VirtualService) is not applied.

## Example

`search.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: search
  namespace: shop
spec:
  hosts:
  - search.shop.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: search.shop.svc.cluster.local
    mirror:
      host: search-next.shop.svc.cluster.local
    mirrorPercentage:
      value: 150
    timeout: 5s
```

```
$ fjord check search.yaml
search.yaml:17:14: error: [FJ1024] `mirrorPercentage` must be between 0 and 100, found 150
   16 |     mirrorPercentage:
   17 |       value: 150
      |              ^~~
   18 |     timeout: 5s
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Write the share of requests, from 0 to 100.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: search
  namespace: shop
spec:
  hosts:
  - search.shop.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: search.shop.svc.cluster.local
    mirror:
      host: search-next.shop.svc.cluster.local
    mirrorPercentage:
      value: 15
    timeout: 5s
```

```
$ fjord check search.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects it (`mirror_percentage must have a max value of 100`, `percentage 150 is
neither 0.0, nor in range [0.0001, 100.0]`). Istio also rejects fault percentages between 0 and
0.0001, which Fjord does not check.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1024"
```

For the whole run: `fjord check --disable FJ1024 mesh/`.
"""####,
    "FJ1025": ####"""
# FJ1025: invalid-status-code

**Severity:** error  
**Summary:** an HTTP status code Istio does not accept in this place  
**Reported by:** the `invalid-status-code` check (`Sources/FjordChecks/Checks/StatusCodeCheck.swift`)

An HTTP status code Istio does not accept in this place: a redirect code other than 301, 302, 303,
307 or 308, or an abort or direct-response status outside 200 to 599. Envoy's redirect action knows
only those five codes; for another 3xx code istiod drops the route's action and logs `Redirect Code
... is not yet supported`, so the rule stops working. An abort with a 1xx status or a direct
response with a status above 599 is not a valid HTTP answer.

## Example

`storefront.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: storefront
  namespace: shop
spec:
  hosts:
  - shop.example.com
  gateways:
  - istio-system/public
  http:
  - name: moved
    match:
    - uri:
        prefix: /store
    redirect:
      uri: /shop
      redirectCode: 200
    timeout: 1s
  - name: default
    route:
    - destination:
        host: storefront.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check storefront.yaml
storefront.yaml:18:21: error: [FJ1025] redirect code 200 is not one of 301, 302, 303, 307, 308
   17 |       uri: /shop
   18 |       redirectCode: 200
      |                     ^~~
   19 |     timeout: 1s
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Use a redirect code.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: storefront
  namespace: shop
spec:
  hosts:
  - shop.example.com
  gateways:
  - istio-system/public
  http:
  - name: moved
    match:
    - uri:
        prefix: /store
    redirect:
      uri: /shop
      redirectCode: 308
    timeout: 1s
  - name: default
    route:
    - destination:
        host: storefront.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check storefront.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects a redirect code outside 300-399 (`200 is not a valid redirect code, must
be 3xx`) and statuses outside 200-599 (`HTTP status 100 is not in range 200-599`; its check lets 600
through). Difference: Istio's validation accepts 300, 304, 305 and 306 as redirect codes; istiod
then drops the route's action, which Fjord reports as this error.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1025"
```

For the whole run: `fjord check --disable FJ1025 mesh/`.
"""####,
    "FJ1026": ####"""
# FJ1026: invalid-fault

**Severity:** error  
**Summary:** a fault injection that injects nothing  
**Reported by:** the `invalid-fault` check (`Sources/FjordChecks/Checks/FaultCheck.swift`)

A fault injection that injects nothing: an empty `fault`, a delay without `fixedDelay`, an abort
without `httpStatus` or `grpcStatus`, or `exponentialDelay`, which Istio does not support. A chaos
experiment configured this way silently tests nothing: the requests pass untouched while the team
believes it is measuring the effect of a delay or an error.

## Example

`recommendations.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: recommendations
  namespace: shop
spec:
  hosts:
  - recommendations.shop.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: recommendations.shop.svc.cluster.local
    fault:
      delay:
        percentage:
          value: 50
    timeout: 5s
```

```
$ fjord check recommendations.yaml
recommendations.yaml:16:9: error: [FJ1026] `fault.delay` needs a `fixedDelay`
   15 |       delay:
   16 |         percentage:
      |         ^~~~~~~~~~~
   17 |           value: 50
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Say how long the delay is.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: recommendations
  namespace: shop
spec:
  hosts:
  - recommendations.shop.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: recommendations.shop.svc.cluster.local
    fault:
      delay:
        fixedDelay: 2s
        percentage:
          value: 50
    timeout: 5s
```

```
$ fjord check recommendations.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects an empty fault (`HTTP fault injection must have an abort and/or a delay`)
and `exponentialDelay` (`exponentialDelay not supported yet`). Differences: it only warns about an
abort without a status (`abort configured, but error type not set`) and accepts a delay without
`fixedDelay`; Fjord reports both as errors because the fault has no effect.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1026"
```

For the whole run: `fjord check --disable FJ1026 mesh/`.
"""####,
    "FJ1027": ####"""
# FJ1027: invalid-locality-lb

**Severity:** error  
**Summary:** locality load-balancing settings Istio rejects  
**Reported by:** the `invalid-locality-lb` check (`Sources/FjordChecks/Checks/LocalityLBCheck.swift`)

Locality load-balancing settings Istio rejects: `distribute` together with `failover`, `distribute`
weights that do not sum to 100, a locality with an empty segment or a wildcard that is not the whole
last segment, a failover that names a zone instead of a region, a failover from a region to itself,
or a wildcard in a failover. Locality settings decide which region's endpoints get traffic first,
and with `distribute` which share each locality gets; a rejected DestinationRule loses its whole
traffic policy, including TLS and outlier detection.

## Example

`ledger.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ledger
  namespace: payments
spec:
  host: ledger.payments.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
      localityLbSetting:
        enabled: true
        distribute:
        - from: europe-north1/*
          to:
            europe-north1/*: 80
            europe-west1/*: 10
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
      baseEjectionTime: 30s
```

```
$ fjord check ledger.yaml
ledger.yaml:14:11: error: [FJ1027] the weights of `distribute` from `europe-north1/*` sum to 90, not 100
   13 |         distribute:
   14 |         - from: europe-north1/*
      |           ^~~~~~~~~~~~~~~~~~~~~
   15 |           to:
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Make the shares add up to 100.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ledger
  namespace: payments
spec:
  host: ledger.payments.svc.cluster.local
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
      localityLbSetting:
        enabled: true
        distribute:
        - from: europe-north1/*
          to:
            europe-north1/*: 90
            europe-west1/*: 10
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
      baseEjectionTime: 30s
```

```
$ fjord check ledger.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects these (`total locality weight 90 != 100`, `can not simultaneously specify
'distribute' and 'failover'`, `locality lb failover only specify region`, `locality lb failover
settings must specify different regions`), stopping at the first. It also rejects a weight of 0 and
localities that overlap, and warns when failover has no outlier detection; Fjord does not check
those here.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1027"
```

For the whole run: `fjord check --disable FJ1027 mesh/`.
"""####,
    "FJ1028": ####"""
# FJ1028: invalid-tls-settings

**Severity:** error  
**Summary:** client TLS settings that do not fit their mode  
**Reported by:** the `invalid-tls-settings` check (`Sources/FjordChecks/Checks/ClientTLSCheck.swift`)

Client TLS settings in a DestinationRule that do not fit their mode: `MUTUAL` without a client
certificate and key (or a `credentialName`), `ISTIO_MUTUAL` with certificates of its own, or
`DISABLE` with a credential. `MUTUAL` originates TLS with your certificate, so without one the
handshake fails and every request to the host gets a 503. `ISTIO_MUTUAL` uses the mesh's own
workload certificates and ignores files you name, and `DISABLE` sends plaintext whatever credential
is configured: in both cases the configuration does not do what it appears to.

## Example

`bank-api.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: bank-api
  namespace: payments
spec:
  host: api.bank.example.com
  trafficPolicy:
    tls:
      mode: MUTUAL
      clientCertificate: /etc/certs/client.pem
      caCertificates: /etc/certs/bank-ca.pem
```

```
$ fjord check bank-api.yaml
bank-api.yaml:10:13: error: [FJ1028] `MUTUAL` TLS needs `clientCertificate` and `privateKey`, or a `credentialName`
    9 |     tls:
   10 |       mode: MUTUAL
      |             ^~~~~~
   11 |       clientCertificate: /etc/certs/client.pem
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Give the client key too, or use a Kubernetes secret through `credentialName`.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: bank-api
  namespace: payments
spec:
  host: api.bank.example.com
  trafficPolicy:
    tls:
      mode: MUTUAL
      credentialName: bank-client-cert
```

```
$ fjord check bank-api.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects `MUTUAL` without certificate files (`client certificate required for
mutual tls`, `private key required for mutual tls`). Differences: it accepts `ISTIO_MUTUAL` with
certificate fields (the API reference says they "should be empty") and `DISABLE` with a credential,
and ignores them; Fjord reports both as errors because the fields have no effect. `istioctl analyze`
adds IST0128/IST0129 when `SIMPLE`/`MUTUAL` have no `caCertificates`, which Fjord does not report.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1028"
```

For the whole run: `fjord check --disable FJ1028 mesh/`.
"""####,
    "FJ1029": ####"""
# FJ1029: invalid-virtual-service

**Severity:** error  
**Summary:** a VirtualService without routes, or a delegate with fields only a root may have  
**Reported by:** the `invalid-virtual-service` check (`Sources/FjordChecks/Checks/VirtualServiceShapeCheck.swift`)

A VirtualService without any `http`, `tcp` or `tls` route, or a delegate VirtualService (one without
`hosts`, meant to be included by a root's `delegate`) with fields only a root may have: `gateways`,
`tcp` or `tls` routes. A VirtualService without routes configures nothing and Istio rejects it; a
delegate's gateways are ignored (the root decides where it applies) and delegation exists only for
HTTP, so those parts would never take effect.

## Example

`catalog.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: catalog-routes
  namespace: shop
spec:
  gateways:
  - istio-system/public
  http:
  - name: catalog
    route:
    - destination:
        host: catalog.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check catalog.yaml
catalog.yaml:8:5: error: [FJ1029] a delegate VirtualService (one without `hosts`) cannot name `gateways`
   7 |   gateways:
   8 |   - istio-system/public
     |     ^~~~~~~~~~~~~~~~~~~
   9 |   http:
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Bind the root VirtualService to the gateway, and leave the delegate without `gateways`.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: catalog-routes
  namespace: shop
spec:
  http:
  - name: catalog
    route:
    - destination:
        host: catalog.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check catalog.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects these (`http, tcp or tls must be provided in virtual service`, `delegate
virtual service must have no gateways specified`, `... no tcp route specified`).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1029"
```

For the whole run: `fjord check --disable FJ1029 mesh/`.
"""####,
    "FJ1030": ####"""
# FJ1030: nested-delegate

**Severity:** error  
**Summary:** a delegate VirtualService that delegates again (Istio supports one level)  
**Reported by:** the `nested-delegate` check (`Sources/FjordChecks/Checks/NestedDelegateCheck.swift`)

A delegate VirtualService (one without `hosts`) whose rule delegates again. Istio supports one level
of delegation: a root VirtualService hands a prefix of its routes to a delegate, and the delegate
must route, redirect or answer. Istio rejects the nested delegation (`delegate HTTP route cannot
contain delegate`), so the requests it was meant to handle fall through to later rules or get a 404.

## Example

`catalog.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: front
  namespace: shop
spec:
  hosts:
  - shop.example.com
  gateways:
  - istio-system/public
  http:
  - name: catalog
    match:
    - uri:
        prefix: /catalog
    delegate:
      name: catalog-routes
    timeout: 5s
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: catalog-routes
  namespace: shop
spec:
  http:
  - name: search
    match:
    - uri:
        prefix: /catalog/search
    delegate:
      name: search-routes
    timeout: 5s
```

```
$ fjord check catalog.yaml
catalog.yaml:32:7: error: [FJ1030] rule `search` delegates from a delegate VirtualService
   31 |     delegate:
   32 |       name: search-routes
      |       ^~~~~~~~~~~~~~~~~~~
   33 |     timeout: 5s
  note: Istio supports one level of delegation; it ignores this rule
1 error in 1 file (2 resources) in 3 ms
```

## How to fix

Delegate from the root directly, and let the delegate route.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: front
  namespace: shop
spec:
  hosts:
  - shop.example.com
  gateways:
  - istio-system/public
  http:
  - name: search
    match:
    - uri:
        prefix: /catalog/search
    delegate:
      name: search-routes
    timeout: 5s
  - name: catalog
    match:
    - uri:
        prefix: /catalog
    delegate:
      name: catalog-routes
    timeout: 5s
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: catalog-routes
  namespace: shop
spec:
  http:
  - name: catalog
    route:
    - destination:
        host: catalog.shop.svc.cluster.local
    timeout: 5s
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: search-routes
  namespace: shop
spec:
  http:
  - name: search
    route:
    - destination:
        host: search.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check catalog.yaml
no problems found in 1 file (3 resources) in 3 ms
```

## Compared with istioctl

Istio's validation rejects it with `delegate HTTP route cannot contain delegate`.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1030"
```

For the whole run: `fjord check --disable FJ1030 mesh/`.
"""####,
    "FJ1031": ####"""
# FJ1031: invalid-name

**Severity:** error  
**Summary:** a subset or object name that Istio or the Kubernetes API server rejects (not a DNS-1123 label or subdomain as required)  
**Reported by:** the `invalid-name` check (`Sources/FjordChecks/Checks/NameCheck.swift`)

A subset name, in a DestinationRule or in a route's destination, that is not a DNS-1123 label:
lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63
characters. Istio builds Envoy cluster names from subset names (`outbound|9080|v1|reviews...`) and
rejects names it cannot use (`subset name is invalid: v2.1`); a dot in particular would make the
cluster name ambiguous.

The same code reports `metadata.name` values the Kubernetes API server refuses for the kind: a
Service name must be a DNS-1035 label (lowercase letters, digits and `-`, starting with a letter,
at most 63), a Namespace name a DNS-1123 label, every other name a DNS-1123 subdomain (lowercase
letters, digits, `-` and `.`, at most 253). `kubectl apply` fails on such an object, so nothing
else Fjord says about it would hold; the fix suggests a valid spelling. See
`fixtures/checks/FJ1031-object-names.yaml`:

```
$ fjord check --compact fixtures/checks/FJ1031-object-names.yaml
fixtures/checks/FJ1031-object-names.yaml:7:9: error: [FJ1031] name `Shop` is not a valid DNS-1123 label, as a Namespace name must be
fixtures/checks/FJ1031-object-names.yaml:13:9: error: [FJ1031] name `1ratings` is not a valid DNS-1035 label, as a Service name must be
fixtures/checks/FJ1031-object-names.yaml:26:9: error: [FJ1031] name `ratings_policy` is not a valid DNS-1123 subdomain, as a DestinationRule name must be
3 errors in 1 file (3 resources) in 3 ms
```

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - name: v2.1
    labels:
      version: v2.1
```

```
$ fjord check reviews.yaml
reviews.yaml:9:11: error: [FJ1031] subset name `v2.1` is not a valid DNS-1123 label
    8 |   subsets:
    9 |   - name: v2.1
      |           ^~~~
   10 |     labels:
  note: lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Use `-` instead of `.` (label values may keep their dots).

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - name: v2-1
    labels:
      version: v2.1
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects it (`subset name is invalid: v2.1`). Difference: Istio's DNS-1123 test
accepts uppercase letters (`V1`), which Fjord reports, as Kubernetes does for label-like names.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1031"
```

For the whole run: `fjord check --disable FJ1031 mesh/`.
"""####,
    "FJ1032": ####"""
# FJ1032: duplicate-route-name

**Severity:** warning  
**Summary:** two HTTP rules of one VirtualService share a name  
**Reported by:** the `duplicate-route-name` check (`Sources/FjordChecks/Checks/DuplicateRouteNameCheck.swift`)

Two HTTP rules of one VirtualService have the same name. Route names appear in Envoy's route
configuration, in access logs and stats, and delegation and Fjord's own findings refer to rules by
name; a duplicate makes it impossible to tell from a log line or a finding which rule handled a
request. It is a warning: Istio accepts it.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    match:
    - headers:
        end-user:
          exact: jason
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        subset: v2
    timeout: 5s
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        subset: v1
    timeout: 5s
```

```
$ fjord check reviews.yaml
reviews.yaml:20:11: warning: [FJ1032] route name `default` is used more than once
    9 |   http:
   10 |   - name: default
      |           ^~~~~~~ first used here
   11 |     match:
      :
   19 |     timeout: 5s
   20 |   - name: default
      |           ^~~~~~~
   21 |     route:
1 warning in 1 file (1 resource) in 2 ms
```

## How to fix

Name each rule for what it does.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: jason-canary
    match:
    - headers:
        end-user:
          exact: jason
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        subset: v2
    timeout: 5s
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        subset: v1
    timeout: 5s
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Neither Istio's validation nor `istioctl analyze` reports duplicate route names.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1032"
```

For the whole run: `fjord check --disable FJ1032 mesh/`.
"""####,
    "FJ1033": ####"""
# FJ1033: invalid-export-to

**Severity:** error  
**Summary:** an `exportTo` list Istio rejects  
**Reported by:** the `invalid-export-to` check (`Sources/FjordChecks/Checks/ExportToCheck.swift`)

An `exportTo` list Istio rejects: an entry that is not `.`, `*` or a namespace name, an entry listed
twice (`.` and the resource's own namespace count as the same), `*` combined with other entries, or
`~` (export to no one) outside a ServiceEntry or combined with other entries. `exportTo` decides
which namespaces' sidecars see a VirtualService, DestinationRule or ServiceEntry; a rejected
resource is visible nowhere, so its routes and policies vanish from every proxy.

## Example

`ledger.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ledger
  namespace: payments
spec:
  host: ledger.payments.svc.cluster.local
  exportTo:
  - "*"
  - "."
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
```

```
$ fjord check ledger.yaml
ledger.yaml:9:5: error: [FJ1033] `*` exports to every namespace and cannot be combined with other entries
    8 |   exportTo:
    9 |   - "*"
      |     ^~~
   10 |   - "."
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Export to every namespace with `*` alone, or list the namespaces.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ledger
  namespace: payments
spec:
  host: ledger.payments.svc.cluster.local
  exportTo:
  - "*"
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
```

```
$ fjord check ledger.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects these (`cannot have both public (*) and non-public exportTo values for a
resource`, `duplicate entries in exportTo`, `exportTo ~ (none) is not allowed for Istio
configuration objects`). Difference: Istio's namespace test accepts uppercase letters, which Fjord
reports (Kubernetes namespace names are lowercase).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1033"
```

For the whole run: `fjord check --disable FJ1033 mesh/`.
"""####,
    "FJ1034": ####"""
# FJ1034: negative-value

**Severity:** error  
**Summary:** a count or limit that cannot be negative  
**Reported by:** the `negative-value` check (`Sources/FjordChecks/Checks/NegativeValueCheck.swift`)

A count or limit that cannot be negative: `retries.attempts`, connection-pool limits
(`maxConnections`, `http1MaxPendingRequests`, `http2MaxRequests`, `maxRequestsPerConnection`,
`maxRetries`, `maxConcurrentStreams`), outlier-detection counts, consistent-hash sizes, or a warm-up
`aggression` below 1. Istio rejects the resource (`attempts cannot be negative`, `max connections
must be non-negative`), and a circuit-breaker limit that does not apply leaves the service
unprotected.

## Example

`orders.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: orders
  namespace: shop
spec:
  host: orders.shop.svc.cluster.local
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: -1
```

```
$ fjord check orders.yaml
orders.yaml:11:25: error: [FJ1034] `connectionPool.tcp.maxConnections` cannot be negative, found -1
   10 |       tcp:
   11 |         maxConnections: -1
      |                         ^~
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Write the limit you want; leave the field out for Envoy's default.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: orders
  namespace: shop
spec:
  host: orders.shop.svc.cluster.local
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 1000
```

```
$ fjord check orders.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects negative attempts and pool limits (`max connections must be
non-negative`); fields typed as unsigned in the API (outlier-detection counts) fail to decode
instead.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1034"
```

For the whole run: `fjord check --disable FJ1034 mesh/`.
"""####,
    "FJ1035": ####"""
# FJ1035: empty-redirect

**Severity:** error  
**Summary:** a redirect that changes nothing  
**Reported by:** the `empty-redirect` check (`Sources/FjordChecks/Checks/EmptyRedirectCheck.swift`)

A redirect that changes neither the URI, the authority, the scheme nor the port. The client would be
sent to the URL it asked for, and if the same rule matches again, it loops until the browser gives
up. Istio rejects it (`redirect must specify URI, authority, scheme, or port`).

## Example

`storefront.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: storefront
  namespace: shop
spec:
  hosts:
  - shop.example.com
  gateways:
  - istio-system/public
  http:
  - name: moved
    match:
    - uri:
        prefix: /store
    redirect:
      redirectCode: 301
    timeout: 1s
  - name: default
    route:
    - destination:
        host: storefront.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check storefront.yaml
storefront.yaml:17:7: error: [FJ1035] rule `moved` redirects without changing the uri, authority, scheme or port
   16 |     redirect:
   17 |       redirectCode: 301
      |       ^~~~~~~~~~~~~~~~~
   18 |     timeout: 1s
  note: a redirect to the same URL loops; set `uri`, `authority`, `scheme` or `port`
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Say where the client should go.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: storefront
  namespace: shop
spec:
  hosts:
  - shop.example.com
  gateways:
  - istio-system/public
  http:
  - name: moved
    match:
    - uri:
        prefix: /store
    redirect:
      uri: /shop
      redirectCode: 301
    timeout: 1s
  - name: default
    route:
    - destination:
        host: storefront.shop.svc.cluster.local
    timeout: 5s
```

```
$ fjord check storefront.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects it with `redirect must specify URI, authority, scheme, or port`.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1035"
```

For the whole run: `fjord check --disable FJ1035 mesh/`.
"""####,
    "FJ1036": ####"""
# FJ1036: empty-policy

**Severity:** error  
**Summary:** a policy block without any setting  
**Reported by:** the `empty-policy` check (`Sources/FjordChecks/Checks/EmptyPolicyCheck.swift`)

A policy block without any setting: an empty `trafficPolicy` (at the top of a DestinationRule or in
a subset), an empty `connectionPool`, or a port-level setting that names only its port. An empty
block usually means the settings were indented under the wrong key or deleted by a merge. Istio
rejects the DestinationRule (`traffic policy must have at least one field`), so its subsets and TLS
settings are lost too. A `tunnel` or `proxyProtocol` block alone is a setting.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
    trafficPolicy: {}
```

```
$ fjord check reviews.yaml
reviews.yaml:12:20: error: [FJ1036] `trafficPolicy` must set at least one field
   11 |       version: v1
   12 |     trafficPolicy: {}
      |                    ^~
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Remove the empty block, or put the settings you meant in it.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects these (`traffic policy must have at least one field`, `connection pool
must have at least one field`, `port traffic policy must have at least one field`).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1036"
```

For the whole run: `fjord check --disable FJ1036 mesh/`.
"""####,
    "FJ1037": ####"""
# FJ1037: invalid-tls-route

**Severity:** error  
**Summary:** a TLS route whose match cannot select traffic  
**Reported by:** the `invalid-tls-route` check (`Sources/FjordChecks/Checks/TLSRouteCheck.swift`)

A TLS route whose match cannot select traffic: a rule without `match`, a match without `sniHosts`,
or an SNI host that none of the VirtualService's hosts covers. TLS routes (TLS passthrough on
gateways, or TLS to external services) are chosen by the SNI name of the client's TLS handshake, so
Istio requires every rule to name SNI hosts within `hosts`. A wildcard SNI (`*.bank.example.com`) is
not covered by a narrower host (`api.bank.example.com`).

## Example

`bank.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: bank-passthrough
  namespace: egress
spec:
  hosts:
  - api.bank.example.com
  gateways:
  - istio-system/egress-gateway
  tls:
  - match:
    - sniHosts:
      - api.bank.example.org
      port: 443
    route:
    - destination:
        host: api.bank.example.com
        port:
          number: 443
```

```
$ fjord check bank.yaml
bank.yaml:14:9: error: [FJ1037] SNI host `api.bank.example.org` is not one of the VirtualService's hosts
   13 |     - sniHosts:
   14 |       - api.bank.example.org
      |         ^~~~~~~~~~~~~~~~~~~~
   15 |       port: 443
  note: Istio rejects SNI hosts that are not covered by `hosts`; add it there or fix the name
1 error in 1 file (1 resource) in 2 ms
```

## How to fix

Match the SNI name the clients send, and list it in `hosts`.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: bank-passthrough
  namespace: egress
spec:
  hosts:
  - api.bank.example.com
  gateways:
  - istio-system/egress-gateway
  tls:
  - match:
    - sniHosts:
      - api.bank.example.com
      port: 443
    route:
    - destination:
        host: api.bank.example.com
        port:
          number: 443
```

```
$ fjord check bank.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects these (`TLS route must have at least one match condition`, `TLS match
must have at least one SNI host`, `SNI host "api.bank.example.org" is not a compatible subset of any
of the virtual service hosts`).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1037"
```

For the whole run: `fjord check --disable FJ1037 mesh/`.
"""####,
    "FJ1038": ####"""
# FJ1038: invalid-service-entry

**Severity:** error  
**Summary:** a ServiceEntry whose addresses, endpoints or selectors do not fit its resolution  
**Reported by:** the `invalid-service-entry` check (`Sources/FjordChecks/Checks/ServiceEntryCheck.swift`)

A ServiceEntry whose endpoints, addresses or selector do not fit its resolution: `endpoints` with
resolution `NONE` (traffic goes to the original destination address, so the endpoints are never
used), more than one endpoint with `DNS_ROUND_ROBIN`, a CIDR address with `DNS` resolution, `STATIC`
resolution with neither endpoints nor a workload selector (a service with no endpoints: every call
fails), or a wildcard in the workload selector's labels.

## Example

`legacy-db.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: legacy-db
  namespace: data
spec:
  hosts:
  - db.legacy.internal
  addresses:
  - 10.20.0.0/16
  ports:
  - number: 5432
    name: tcp-postgres
    protocol: TCP
  location: MESH_EXTERNAL
  resolution: NONE
  endpoints:
  - address: 10.20.1.15
```

```
$ fjord check legacy-db.yaml
legacy-db.yaml:18:5: error: [FJ1038] resolution `NONE` cannot have `endpoints`
   15 |   location: MESH_EXTERNAL
   16 |   resolution: NONE
      |               ^~~~ use `STATIC` to list endpoint addresses
   17 |   endpoints:
   18 |   - address: 10.20.1.15
      |     ^~~~~~~~~~~~~~~~~~~
1 error in 1 file (1 resource) in 1 ms
```

## How to fix

List the endpoints with resolution `STATIC` (or drop them and keep `NONE`).

```yaml
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: legacy-db
  namespace: data
spec:
  hosts:
  - db.legacy.internal
  addresses:
  - 10.20.1.15
  ports:
  - number: 5432
    name: tcp-postgres
    protocol: TCP
  location: MESH_EXTERNAL
  resolution: STATIC
  endpoints:
  - address: 10.20.1.15
```

```
$ fjord check legacy-db.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

Istio's validation rejects endpoints with `NONE` (`no endpoints should be provided for resolution
type none`), several `DNS_ROUND_ROBIN` endpoints, CIDR addresses with DNS resolution and wildcard
selectors. Differences: Istio accepts `STATIC` without endpoints or selector (Fjord reports it,
because such a service has no endpoint), and rejects any address containing `/` with DNS resolution,
where Fjord lets `/32` and `/128` pass.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1038"
```

For the whole run: `fjord check --disable FJ1038 mesh/`.
"""####,
    "FJ1039": ####"""
# FJ1039: duplicate-port

**Severity:** error  
**Summary:** the same port number or port name is declared twice  
**Reported by:** the `duplicate-port` check (`Sources/FjordChecks/Checks/DuplicatePortCheck.swift`)

The same port number or port name is declared twice in a ServiceEntry, a Kubernetes Service, or a
DestinationRule's `portLevelSettings`. Istio names listeners and clusters by port, so a ServiceEntry
with two definitions of port 443 is rejected, and of two port-level settings for one port only one
takes effect. In a Service the same number may appear once per protocol (DNS on 53 over UDP and
TCP), and Fjord allows that.

## Example

`bank-api.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: bank-api
  namespace: payments
spec:
  hosts:
  - api.bank.example.com
  ports:
  - number: 443
    name: https
    protocol: HTTPS
  - number: 443
    name: tls
    protocol: TLS
  location: MESH_EXTERNAL
  resolution: DNS
```

```
$ fjord check bank-api.yaml
bank-api.yaml:13:13: error: [FJ1039] port 443 is declared more than once
    9 |   ports:
   10 |   - number: 443
      |             ^~~ first declared here
   11 |     name: https
   12 |     protocol: HTTPS
   13 |   - number: 443
      |             ^~~
   14 |     name: tls
1 error in 1 file (1 resource) in 1 ms
```

## How to fix

Declare each port once, with the protocol it speaks.

```yaml
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: bank-api
  namespace: payments
spec:
  hosts:
  - api.bank.example.com
  ports:
  - number: 443
    name: tls
    protocol: TLS
  location: MESH_EXTERNAL
  resolution: DNS
```

```
$ fjord check bank-api.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

Istio's validation rejects duplicate ServiceEntry ports (`service entry port 443 already defined`,
`service entry port name "https" already defined`) and the API server rejects duplicate Service
ports. Difference: Istio accepts duplicate ports in a DestinationRule's `portLevelSettings`, which
Fjord reports because only one of them can apply.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1039"
```

For the whole run: `fjord check --disable FJ1039 mesh/`.
"""####,
    "FJ1040": ####"""
# FJ1040: invalid-authorization-policy

**Severity:** error  
**Summary:** an AuthorizationPolicy source that mixes exclusive fields  
**Reported by:** the `invalid-authorization-policy` check (`Sources/FjordChecks/Checks/AuthorizationPolicyCheck.swift`)

An AuthorizationPolicy source that lists `serviceAccounts` (or `notServiceAccounts`) together with
`namespaces` or `principals`. `serviceAccounts` is a shorter way of writing principals
(`namespace/name` for `cluster.local/ns/namespace/sa/name`), and mixing the two in one source makes
it ambiguous which identities are allowed; Istio rejects the policy. A rejected ALLOW policy is not
enforced, and the workload may end up allowing (or, with other ALLOW policies present, denying)
traffic it should not.

## Example

`ledger-readers.yaml`:

```yaml
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ledger-readers
  namespace: payments
spec:
  selector:
    matchLabels:
      app: ledger
  action: ALLOW
  rules:
  - from:
    - source:
        serviceAccounts:
        - payments/checkout
        namespaces:
        - payments
```

```
$ fjord check ledger-readers.yaml
ledger-readers.yaml:15:11: error: [FJ1040] `serviceAccounts` cannot be set together with `namespaces` or `principals`
   14 |         serviceAccounts:
   15 |         - payments/checkout
      |           ^~~~~~~~~~~~~~~~~
   16 |         namespaces:
1 error in 1 file (1 resource) in 1 ms
```

## How to fix

Name the service accounts alone (each includes its namespace).

```yaml
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ledger-readers
  namespace: payments
spec:
  selector:
    matchLabels:
      app: ledger
  action: ALLOW
  rules:
  - from:
    - source:
        serviceAccounts:
        - payments/checkout
```

```
$ fjord check ledger-readers.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

Istio rejects it: the AuthorizationPolicy CRD's validation rule forbids `serviceAccounts` together
with `namespaces` or `principals`. `istioctl analyze` has no further check here.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ1040"
```

For the whole run: `fjord check --disable FJ1040 mesh/`.
"""####,
    "FJ1041": ####"""
# FJ1041: unrendered-input

**Severity:** warning  
**Summary:** a Helm chart, Helm template or kustomize directory that must be rendered before it is checked  
**Reported by:** the compiler driver (`Sources/FjordCompiler/UnrenderedInputs.swift`)

Fjord checks manifests as the cluster receives them. A Helm chart (a directory with
`Chart.yaml`), a file with Helm template actions (`{{ .Values.host }}`, `{{- if ... }}`) and a
kustomize directory (`kustomization.yaml`) are sources of manifests: read as they are they give
YAML syntax errors or partial resources. Fjord reports each once, leaves its files out, and names
the command that renders it, to pipe into `fjord check -`. When nothing else is left to check, the
run exits 2 (nothing was checked).

## Example

`shop.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  hosts:
  - shop
```

```
$ fjord check shop.yaml
shop.yaml:4:9: warning: [FJ1041] `shop.yaml` is a Helm template: check its output with `helm template CHART --show-only shop.yaml | fjord check -`
   3 | metadata:
   4 |   name: {{ include "shop.fullname" . }}
     |         ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
   5 | spec:
1 warning in 1 file (0 resources) in 1 ms
```

## How to fix

Render, then check the output:

```sh
helm template shop charts/shop --values prod-values.yaml | fjord check -
kustomize build overlays/prod | fjord check -      # or: kubectl kustomize overlays/prod
```

Keep charts and overlays out of the paths given to `fjord check` (or list them under `exclude` in
`.fjord.yaml`), and check their rendered output in CI: see [docs/ci.md](../ci.md).

## Compared with istioctl

`istioctl analyze` reads rendered manifests too and fails on template syntax with a YAML error.

## Silencing it

`fjord check --disable FJ1041`, or `exclude` the chart in `.fjord.yaml`.
"""####,
    "FJ2001": ####"""
# FJ2001: weights-not-100

**Severity:** warning  
**Summary:** the destination weights of a route with several destinations do not sum to 100  
**Reported by:** the `weights-not-100` check (`Sources/FjordChecks/Checks/WeightSumCheck.swift`)

The destination weights of an HTTP, TCP or TLS route with several destinations do not sum to
100. Weights split a rule's traffic, typically between a stable subset and a canary. Istio 1.14
and earlier reject such a VirtualService (`total destination weight 95 != 100`). Istio 1.15 and
later accept it: destinations with weight 0 (or no weight) are dropped and receive nothing, and
the others share the traffic in proportion, weight / sum. A canary "lowered to 5 %" next to a
stable 90 really gets 5.3 %, and the remaining 5 points someone meant for a third destination
go nowhere. The finding says what the running Istio does with the weights: the note gives the
split, one decimal per destination, and the fix the integer weights that keep it.

The severity follows the target release, `--istio-version` (default: the newest Fjord knows): a
warning from 1.15 on, an error for 1.14 and earlier, where the VirtualService is rejected. A
single destination takes all traffic whatever its weight, so it is never reported. Negative
weights and an all-zero split are rejected by every release and are
[FJ2005](FJ2005.md)'s; this code does not report them again.

## Example

`payments.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: payment-service
  namespace: payments
spec:
  hosts:
  - payment-service
  http:
  - name: canary
    route:
    - destination:
        host: payment-service
        subset: v1
      weight: 90
    - destination:
        host: payment-service
        subset: v2
      weight: 5
    timeout: 2s
```

```
$ fjord check payments.yaml
payments.yaml:15:15: warning: [FJ2001] destination weights of rule `canary` sum to 95, not 100
   14 |         subset: v1
   15 |       weight: 90
      |               ^~
   16 |     - destination:
  note: Istio 1.15+ splits traffic 94.7 % `v1` / 5.3 % `v2`
  help: make the weights sum to 100; to keep this split write `v1` 95, `v2` 5
1 warning in 1 file (1 resource) in 3 ms
```

With `--istio-version 1.14` the same route is an error, because that release rejects it:

```
$ fjord check --istio-version 1.14 payments.yaml
payments.yaml:15:15: error: [FJ2001] destination weights of rule `canary` sum to 95, not 100
   14 |         subset: v1
   15 |       weight: 90
      |               ^~
   16 |     - destination:
  note: Istio 1.14 rejects this VirtualService (`total destination weight 95 != 100`); Istio 1.15 and later accept it
  note: Istio 1.15+ splits traffic 94.7 % `v1` / 5.3 % `v2`
  help: make the weights sum to 100; to keep this split write `v1` 95, `v2` 5
1 error in 1 file (1 resource) in 3 ms
```

## How to fix

Make the weights sum to 100: the split you mean, written out.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: payment-service
  namespace: payments
spec:
  hosts:
  - payment-service
  http:
  - name: canary
    route:
    - destination:
        host: payment-service
        subset: v1
      weight: 95
    - destination:
        host: payment-service
        subset: v2
      weight: 5
    timeout: 2s
```

```
$ fjord check payments.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

`istioctl analyze` has no weight analysis since Istio 1.15. Istio's validation of 1.14 and
earlier rejects the VirtualService with `total destination weight 95 != 100`, without a
position; from 1.15 on it accepts it silently.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2001"
```

For the whole run: `fjord check --disable FJ2001 mesh/`.
"""####,
    "FJ2002": ####"""
# FJ2002: unreachable-rule

**Severity:** warning  
**Summary:** a routing rule that no request can reach, because earlier rules take every request it matches  
**Reported by:** the `unreachable-rule` check (`Sources/FjordChecks/Checks/UnreachableRuleCheck.swift`)

Envoy tries a VirtualService's rules in order and the first whose match holds takes the request.
A rule is unreachable when every request it matches is taken by earlier rules, one of them alone
or several together. Its route, canary split or debug destination never receives traffic: a
header route that silently does nothing, a canary that never starts.

Fjord proves it on the decision diagrams the compiler emits: each match condition becomes a
class of values per request attribute, config-time selectors (`port`, `sourceLabels`,
`sourceNamespace`, `gateways`) are attributes too, so a rule reachable from some proxies only is
reachable. The finding names the rules that take its requests and shows a witness: a concrete
request the rule was written for, and where it goes instead. `fjord explain` replays it.

TCP and TLS routes are analysed the same way (port, destination subnets and SNI hosts).

## Example

`checkout.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: checkout
  namespace: shop
spec:
  hosts:
  - checkout
  http:
  - name: beta-basket
    match:
    - headers:
        x-user:
          prefix: ali
    route:
    - destination:
        host: checkout
    timeout: 3s
  - name: alice-debug
    match:
    - headers:
        x-user:
          exact: alice
    route:
    - destination:
        host: checkout
    timeout: 30s
```

```
$ fjord check checkout.yaml
checkout.yaml:21:7: warning: [FJ2002] rule `alice-debug` can never match
   11 |     match:
   12 |     - headers:
      |       ^~~~~~~~ every request it matches is taken by rule `beta-basket` first
   13 |         x-user:
      :
   20 |     match:
   21 |     - headers:
      |       ^~~~~~~~
   22 |         x-user:
  witness: GET http://checkout.shop.svc.cluster.local/  x-user: alice  ->  rule `beta-basket` -> checkout
1 warning in 1 file (1 resource) in 1 ms
```

When one earlier rule alone takes every request it matches, the note names that rule, even if
other earlier rules take some of its requests too (in the demo mesh, `api-v2` takes alice's `/api/v2`
requests, but `beta-basket` alone takes them all). When no single earlier rule covers it, the
notes list each rule that takes part of its requests and add "no single earlier rule covers it;
together they do". When no request can satisfy the
rule's own conditions, the note says so instead.

## How to fix

Put the narrower rule first, or make the broader rule exclude what the narrower one is for.

```yaml
  http:
  - name: alice-debug
    match:
    - headers:
        x-user:
          exact: alice
    route:
    - destination:
        host: checkout
    timeout: 30s
  - name: beta-basket
    match:
    - headers:
        x-user:
          prefix: ali
    route:
    - destination:
        host: checkout
    timeout: 3s
```

## Compared with istioctl

istioctl's IST0130 (VirtualServiceUnreachableRule) comes from a syntactic check in Istio's
validation: literal duplicate matches, rules after a match-less rule, and a narrow prefix test
that needs identical header keys and equal ports. It misses this example (it compares header
values in the wrong direction), header-only matches, exact URIs after a prefix, a port-less match
before a port match, and any case where two earlier rules together cover a later one
(`fixtures/checks/FJ2002-*.yaml` has one of each). Fjord finds every IST0130 case of Istio's own
analyzer tests (`ShadowingTests.istioAnalyzerExpectationsAreFound`). Like istioctl, Fjord reports
it as a warning: traffic still flows, just not where the rule intended.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2002"
```

For the whole run: `fjord check --disable FJ2002 mesh/`.
"""####,
    "FJ2003": ####"""
# FJ2003: ineffective-match

**Severity:** warning  
**Summary:** a match block that can never be the one that matches  
**Reported by:** the `unreachable-rule` check (`Sources/FjordChecks/Checks/UnreachableRuleCheck.swift`)

A rule with several `match` blocks matches when any of them does. A block is ineffective when
every request it matches is taken first by earlier rules or by an earlier block of the same
rule: the rule still works through its other blocks, but this block adds nothing, which usually
means the author expected it to do something it does not. When every block of a rule is
ineffective the rule itself is unreachable and Fjord reports `FJ2002` instead.

## Example

`search.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: search
  namespace: default
spec:
  hosts:
  - search
  http:
  - name: suggest
    match:
    - uri:
        prefix: /suggest
    route:
    - destination:
        host: search
    timeout: 1s
  - name: query
    match:
    - uri:
        prefix: /query
    - uri:
        exact: /suggest/popular
    route:
    - destination:
        host: search
    timeout: 2s
```

```
$ fjord check search.yaml
search.yaml:22:7: warning: [FJ2003] match block 1 of rule `query` can never be the one that matches
   11 |     match:
   12 |     - uri:
      |       ^~~~ every request it matches is taken by rule `suggest` first
   13 |         prefix: /suggest
      :
   21 |         prefix: /query
   22 |     - uri:
      |       ^~~~
   23 |         exact: /suggest/popular
  witness: GET http://search.default.svc.cluster.local/suggest/popular  ->  rule `suggest` -> search
1 warning in 1 file (1 resource) in 1 ms
```

## How to fix

Move the block into a rule placed before `suggest`, or delete it if `suggest` is where those
requests belong.

## Compared with istioctl

istioctl's IST0131 (VirtualServiceIneffectiveMatch) reports literal duplicates and a narrow
prefix-versus-prefix case; Fjord proves coverage over every attribute and across rules.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2003"
```

For the whole run: `fjord check --disable FJ2003 mesh/`.
"""####,
    "FJ2004": ####"""
# FJ2004: conflicting-virtual-services

**Severity:** error  
**Summary:** several VirtualServices bind one host for sidecars and only the first takes effect  
**Reported by:** the `conflicting-virtual-services` check (`Sources/FjordChecks/Checks/ConflictingVirtualServicesCheck.swift`)

On sidecars, one VirtualService routes a host. When several bound to `mesh` name the same host
(short names resolved in their namespaces), Istio uses one of them and ignores the others: their
rules, canaries and timeouts silently do nothing. Fjord takes the oldest (creation timestamp,
then name, then namespace: Istio's sort order), reports the others, and `fjord explain` notes
which ones a proxy ignores. VirtualServices exported to disjoint sets of namespaces never meet
on one sidecar and are not reported; gateways concatenate VirtualServices instead of ignoring
them.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
  creationTimestamp: "2026-03-01T10:00:00Z"
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
    timeout: 2s
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews-canary
  namespace: default
  creationTimestamp: "2026-03-02T10:00:00Z"
spec:
  hosts:
  - reviews.default.svc.cluster.local
  http:
  - route:
    - destination:
        host: reviews
    timeout: 2s
```

```
$ fjord check reviews.yaml
reviews.yaml:24:5: error: [FJ2004] `default/reviews-canary` binds host `reviews.default.svc.cluster.local`, which VirtualService `default/reviews` already binds; sidecars use only `default/reviews`
    8 |   hosts:
    9 |   - reviews
      |     ^~~~~~~ `default/reviews` binds it here, and is older or sorts first
   10 |   http:
      :
   23 |   hosts:
   24 |   - reviews.default.svc.cluster.local
      |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
   25 |   http:
  note: merge the rules into one VirtualService, or use delegation
1 error in 1 file (2 resources) in 1 ms
```

## How to fix

Merge the rules into one VirtualService, or keep one root VirtualService that delegates to
per-team delegates (`delegate: {name, namespace}`).

## Compared with istioctl

istioctl reports IST0109 (ConflictingMeshGatewayVirtualServiceHosts) for the same situation.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2004"
```

For the whole run: `fjord check --disable FJ2004 mesh/`.
"""####,
    "FJ2005": ####"""
# FJ2005: invalid-weights

**Severity:** error  
**Summary:** negative destination weights, or several destinations that are all weight 0  
**Reported by:** the `invalid-weights` check (`Sources/FjordChecks/Checks/WeightCheck.swift`)

Destination weights Istio rejects in every version: a negative weight, or a route with several
destinations that are all weight 0 (a missing weight counts as 0). Weights split a rule's traffic
between destinations, typically a stable and a canary subset; with every weight at 0 there is
nothing to split, and Istio rejects the VirtualService (`total destination weight = 0`). A single
destination gets all traffic whatever its weight, and a zero-weight destination next to others is
simply left out, so neither is reported.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        subset: v1
      weight: 0
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        subset: v2
      weight: 0
    timeout: 5s
```

```
$ fjord check reviews.yaml
reviews.yaml:15:15: error: [FJ2005] every destination of rule `default` has weight 0, so it can send traffic nowhere
   14 |         subset: v1
   15 |       weight: 0
      |               ^
   16 |     - destination:
  note: Istio rejects a route whose weights sum to 0; give the destination that should receive traffic a weight
1 error in 1 file (1 resource) in 1 ms
```

## How to fix

Give the destinations that should receive traffic a weight.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews.bookinfo.svc.cluster.local
  http:
  - name: default
    route:
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        subset: v1
      weight: 90
    - destination:
        host: reviews.bookinfo.svc.cluster.local
        subset: v2
      weight: 10
    timeout: 5s
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Istio's validation rejects a negative weight (`weight -10 < 0`) and an all-zero split (`total
destination weight = 0`). Istio 1.13 and earlier also rejected any total other than 100; that case
belongs to a separate routing finding, not to this code.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2005"
```

For the whole run: `fjord check --disable FJ2005 mesh/`.
"""####,
    "FJ2006": ####"""
# FJ2006: delegate-conflict

**Severity:** warning  
**Summary:** a delegate rule whose match conflicts with its root rule and that Istio drops silently  
**Reported by:** the `delegate-conflict` check (`Sources/FjordChecks/Checks/DelegateConflictCheck.swift`)

A root rule with `delegate` hands its requests to the rules of a delegate VirtualService. Istio
merges each delegate rule's match blocks into the root rule's blocks; a delegate block must fit
inside a root block (a prefix under the root's prefix, the same exact value, no other regex,
compatible headers, ports and selectors). When one block of a delegate rule fits none, Istio
drops the whole delegate rule without a log line, and its requests fall through to later rules.

## Example

`shop.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: default
spec:
  hosts:
  - shop
  http:
  - name: products
    match:
    - uri:
        prefix: /products
    delegate:
      name: products-team
      namespace: default
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: products-team
  namespace: default
spec:
  http:
  - name: list
    match:
    - uri:
        prefix: /products/list
    route:
    - destination:
        host: catalog
    timeout: 2s
  - name: orders
    match:
    - uri:
        prefix: /orders
    route:
    - destination:
        host: orders
    timeout: 2s
```

```
$ fjord check shop.yaml
shop.yaml:35:7: warning: [FJ2006] rule `orders` of delegate `default/products-team` conflicts with the match of rule `products` of `default/shop` and is dropped
   11 |     match:
   12 |     - uri:
      |       ^~~~ the root rule matches here; each delegate match block must fit inside one of its blocks
   13 |         prefix: /products
      :
   34 |     match:
   35 |     - uri:
      |       ^~~~
   36 |         prefix: /orders
  note: Istio drops the delegate rule silently, so its traffic falls through to later rules
1 warning in 1 file (2 resources) in 1 ms
```

## How to fix

Route `/orders` from the root VirtualService (its own rule or another delegate), or widen the
root rule's match.

## Compared with istioctl

istioctl does not report it; Istio's control plane logs it only at debug level.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2006"
```

For the whole run: `fjord check --disable FJ2006 mesh/`.
"""####,
    "FJ2007": ####"""
# FJ2007: unanalysed-rule

**Severity:** info  
**Summary:** rules whose reachability was not analysed, because their automata or diagrams exceed the analysis budget  
**Reported by:** the `unreachable-rule` check (`Sources/FjordChecks/Checks/UnreachableRuleCheck.swift`)

The reachability analysis behind FJ2002 and FJ2003 builds one automaton per request attribute
over all the conditions a VirtualService puts on it. Some RE2 patterns determinise
exponentially: `.*x.{25}` needs about 2^26 states, and 40 patterns such as
`.*7(a|b)*a(a|b){12}` multiply each other's states. So that a single VirtualService cannot turn
`fjord check` into a multi-second stall (or a denial of service when it runs on untrusted pull
requests), the automata of one analysis share a work budget, counted in the steps of the subset
construction so that it ends at the same point on every machine (about a quarter of a second;
`ReachabilityAnalysis.defaultWorkBudget`).

When the regexes on an attribute exceed it, the rules with those regexes are left out and the
others analysed again; FJ2007 lists the rules left out. Leaving a rule out can only make later
rules look reachable, never unreachable, so every FJ2002 or FJ2003 still reported holds; a
witness of such a finding is checked against the rules left out, and names the one of them that
takes it first when there is one. When the decision diagrams exceed their node budget, or the
routes cannot be compiled at all, every rule of the list is reported.

## Example

`routes.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: wide
  namespace: default
spec:
  hosts:
  - wide
  http:
  - name: wide-regex
    match:
    - uri:
        regex: '.*x.{25}'
    route:
    - destination:
        host: wide
    timeout: 2s
  - name: a
    match:
    - uri:
        prefix: /a
    route:
    - destination:
        host: wide
    timeout: 2s
  - name: a-b
    match:
    - uri:
        prefix: /a/b
    route:
    - destination:
        host: wide
    timeout: 2s
```

```
$ fjord check routes.yaml
routes.yaml:12:7: info: [FJ2007] rule `wide-regex` of `default/wide` not analysed for reachability: the automata of their path regexes need more work than the analysis budget
   11 |     match:
   12 |     - uri:
      |       ^~~~
   13 |         regex: '.*x.{25}'
  note: the other rules are analysed as if these were absent: a finding about a later rule still holds, but one of these may take its requests first
routes.yaml:28:7: warning: [FJ2002] rule `a-b` can never match
   19 |     match:
   20 |     - uri:
      |       ^~~~ every request it matches is taken by rule `a` first
   21 |         prefix: /a
      :
   27 |     match:
   28 |     - uri:
      |       ^~~~
   29 |         prefix: /a/b
  witness: GET http://wide.default.svc.cluster.local/a/b  ->  rule `a` -> wide
1 warning, 1 info in 1 file (1 resource) in 310 ms
```

## How to fix

Nothing is wrong with the routes; Fjord could not check them. Regexes with bounded repetition of
`.` or of alternations after `.*` are the usual cause: anchor them, replace `.*x.{25}` by a
prefix or an exact match where the path allows it, or move such rules to a VirtualService of
their own. `fjord compile` still compiles them exactly (or reports FJ5001 or FJ5002).
"""####,
    "FJ2101": ####"""
# FJ2101: unknown-host

**Severity:** error  
**Summary:** a destination or mirror host that no Service, ServiceEntry or WorkloadEntry defines, or that is not visible where the route applies  
**Reported by:** the `unknown-host` check (`Sources/FjordChecks/Checks/DestinationHostCheck.swift`)

A route destination or mirror host names no Service, ServiceEntry (wildcard hosts included) or
WorkloadEntry address, or names one that is not exported to the namespaces where the
VirtualService applies. Short names resolve in the VirtualService's namespace (`inventory` in
`shop` is `inventory.shop.svc.cluster.local`), `name.namespace` and `name.namespace.svc` are
completed. Envoy gets no cluster for such a host: requests routed there fail with 503 (`NC`, no
cluster), and mirrored copies go nowhere. When a known host is close, the fix suggests it.

Visibility counts: a Service with `networking.istio.io/exportTo` or a ServiceEntry with
`exportTo` is seen only by sidecars in the namespaces it names; the route's sidecars are those
of the VirtualService's own namespace, or of the namespaces its `exportTo` names.

Fjord judges only what its inputs can tell. A cluster-local host (`*.ns.svc.cluster.local`) is
checked when the inputs hold Services of its namespace, any other host when they hold
ServiceEntries: a repository of routing resources alone says nothing about which services exist,
and every host would be reported.

## Example

`inventory.yaml`:

```yaml
apiVersion: v1
kind: Service
metadata:
  name: inventory
  namespace: shop
spec:
  selector:
    app: inventory
  ports:
  - name: http
    port: 8080
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: inventory
  namespace: shop
spec:
  hosts:
  - inventory
  http:
  - name: default
    route:
    - destination:
        host: invetory
    timeout: 1s
```

```
$ fjord check inventory.yaml
inventory.yaml:25:15: error: [FJ2101] destination host `invetory` matches no Service, ServiceEntry or WorkloadEntry
   24 |     - destination:
   25 |         host: invetory
      |               ^~~~~~~~
   26 |     timeout: 1s
  note: `invetory` resolves to `invetory.shop.svc.cluster.local` in namespace `shop`
  note: Envoy has no cluster for it: requests routed here fail with 503
  help: did you mean `inventory`?
1 error in 1 file (2 resources) in 2 ms
```

## How to fix

Route to the host that exists (here the suggestion).

```yaml
apiVersion: v1
kind: Service
metadata:
  name: inventory
  namespace: shop
spec:
  selector:
    app: inventory
  ports:
  - name: http
    port: 8080
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: inventory
  namespace: shop
spec:
  hosts:
  - inventory
  http:
  - name: default
    route:
    - destination:
        host: inventory
    timeout: 1s
```

```
$ fjord check inventory.yaml
no problems found in 1 file (2 resources) in 2 ms
```

## Compared with istioctl

`istioctl analyze` reports IST0101 ReferencedResourceNotFound (`host`) for the same cases
(its `DestinationHostAnalyzer`), without a suggestion. Istio's own validation accepts the
VirtualService. See [../conformance.md](../conformance.md).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2101"
```

For the whole run: `fjord check --disable FJ2101 mesh/`.
"""####,
    "FJ2102": ####"""
# FJ2102: unknown-subset

**Severity:** error  
**Summary:** a destination subset that no DestinationRule for its host defines  
**Reported by:** the `unknown-subset` check (`Sources/FjordChecks/Checks/SubsetCheck.swift`)

A route or mirror destination names a subset that the DestinationRule its clients use for the
host does not define. Envoy has one cluster per subset
(`outbound|8080|v3|payment-service.payments.svc.cluster.local`); for an undefined subset there is
none, and the requests routed there fail with 503. The notes name the DestinationRule the clients
use and the subsets it defines; a near name is suggested (`canray` -> `canary`, but never
`v3` -> `v1`).

Which DestinationRule? The one Istio gives a sidecar in the VirtualService's namespace
(docs/semantics.md, "Which DestinationRule a client uses"): a rule in the client's own namespace
first, else one in the host's namespace exported to the client, else one in the root namespace
exported to it; never a rule in any other namespace. So a subset defined only by a rule in an
unrelated namespace, or only by the host namespace's rule while the client's namespace has its
own rule for the host (even one without subsets), or only by a rule exported to `.` elsewhere,
is undefined for these clients; the message then says "that sidecars in `ns` use", and a note
says why the rule that defines the subset is not theirs
(`fixtures/checks/FJ2102-destination-rule-visibility.yaml`). A VirtualService bound only to
gateways is checked against every DestinationRule for the host.

When is it reported? As an error when some DestinationRule in the inputs configures the host
(exactly, or through the most specific wildcard) and the one the clients use does not define the
subset (or they use none). As a warning when no DestinationRule in the inputs configures the host
but the host itself is defined there (its Service or ServiceEntry): the DestinationRule may be
missing, or live in files Fjord was not given, so check them together. When the inputs know
neither the host nor a DestinationRule for it, nothing is reported. A subset name that is not a
DNS label is [FJ1031](FJ1031.md)'s.

## Example

`payments.yaml`:

```yaml
apiVersion: v1
kind: Service
metadata:
  name: payment-service
  namespace: payments
spec:
  selector:
    app: payment-service
  ports:
  - name: http
    port: 8080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: payment-service
  namespace: payments
spec:
  host: payment-service
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: payment-service
  namespace: payments
spec:
  hosts:
  - payment-service
  http:
  - name: preview-v3
    match:
    - headers:
        x-preview:
          exact: v3
    route:
    - destination:
        host: payment-service
        subset: v3
    timeout: 2s
  - name: default
    route:
    - destination:
        host: payment-service
        subset: v1
    timeout: 2s
```

```
$ fjord check payments.yaml
payments.yaml:45:17: error: [FJ2102] subset `v3` of host `payment-service` is not defined by any DestinationRule
   18 | spec:
   19 |   host: payment-service
      |         ^~~~~~~~~~~~~~~ sidecars in `payments` use DestinationRule `payments/payment-service` for `payment-service.payments.svc.cluster.local` (from the client's namespace), which defines subsets `v1` and `v2`
   20 |   subsets:
      :
   44 |         host: payment-service
   45 |         subset: v3
      |                 ^~
   46 |     timeout: 2s
  note: Envoy has no cluster for subset `v3`: requests routed here fail with 503
  help: add subset `v3` to DestinationRule `payments/payment-service`
1 error in 1 file (3 resources) in 8 ms
```

## How to fix

Define the subset (and deploy the workloads it selects), or route to a subset that exists.

```yaml
apiVersion: v1
kind: Service
metadata:
  name: payment-service
  namespace: payments
spec:
  selector:
    app: payment-service
  ports:
  - name: http
    port: 8080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: payment-service
  namespace: payments
spec:
  host: payment-service
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
  - name: v3
    labels:
      version: v3
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: payment-service
  namespace: payments
spec:
  hosts:
  - payment-service
  http:
  - name: preview-v3
    match:
    - headers:
        x-preview:
          exact: v3
    route:
    - destination:
        host: payment-service
        subset: v3
    timeout: 2s
  - name: default
    route:
    - destination:
        host: payment-service
        subset: v1
    timeout: 2s
```

```
$ fjord check payments.yaml
no problems found in 1 file (3 resources) in 7 ms
```

## Compared with istioctl

`istioctl analyze` reports IST0101 ReferencedResourceNotFound (`subset`) from its
`DestinationRuleAnalyzer`, also when no DestinationRule exists for the host at all. Istio's
validation accepts the VirtualService; the proxy logs the missing cluster at run time.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2102"
```

For the whole run: `fjord check --disable FJ2102 mesh/`.
"""####,
    "FJ2103": ####"""
# FJ2103: empty-subset

**Severity:** warning  
**Summary:** a DestinationRule subset whose labels select none of the service's workloads  
**Reported by:** the `empty-subset` check (`Sources/FjordChecks/Checks/EmptySubsetCheck.swift`)

A DestinationRule subset whose labels select none of the workloads of its host. Its Envoy
cluster has no endpoints: requests routed to it fail with 503 "no healthy upstream". Subsets
may select on the locality labels Istio adds to every endpoint
(`topology.kubernetes.io/region`, `/zone`, `topology.istio.io/subzone`, from the pod's label or
its node), and Fjord takes those into account; a label with an empty value selects nothing.

The severity is a warning for a subset no route uses (a subset defined ahead of its rollout is
common), and an error when some route sends traffic to it (the note names the route). The check
runs only when the inputs hold some workload of the service: a repository without Deployments
would otherwise get every subset reported.

## Example

`reviews.yaml`:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: bookinfo
spec:
  selector:
    matchLabels:
      app: reviews
      version: v1
  template:
    metadata:
      labels:
        app: reviews
        version: v1
    spec:
      containers:
      - name: reviews
        image: example/reviews:1
        ports:
        - containerPort: 9080
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: bookinfo
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
```

```
$ fjord check reviews.yaml
reviews.yaml:46:11: warning: [FJ2103] subset `v2` of host `reviews` selects none of its workloads
    3 | metadata:
    4 |   name: reviews-v1
      |         ^~~~~~~~~~ `bookinfo/reviews-v1` has labels `app=reviews, version=v1`
    5 |   namespace: bookinfo
      :
   45 |       version: v1
   46 |   - name: v2
      |           ^~
   47 |     labels:
  note: its labels `version=v2` match none of the workloads of `reviews.bookinfo.svc.cluster.local`
1 warning in 1 file (3 resources) in 3 ms
```

## How to fix

Deploy the workloads the subset is for, fix its labels, or remove it.

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: bookinfo
spec:
  selector:
    matchLabels:
      app: reviews
      version: v1
  template:
    metadata:
      labels:
        app: reviews
        version: v1
    spec:
      containers:
      - name: reviews
        image: example/reviews:1
        ports:
        - containerPort: 9080
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: bookinfo
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews
  subsets:
  - name: v1
    labels:
      version: v1
```

```
$ fjord check reviews.yaml
no problems found in 1 file (3 resources) in 3 ms
```

## Compared with istioctl

`istioctl analyze` reports IST0173 DestinationRuleSubsetNotSelectPods (its
`SubsetSelectPodAnalyzer`), also when no pod of the service is known at all; it does not tell
whether a route uses the subset.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2103"
```

For the whole run: `fjord check --disable FJ2103 mesh/`.
"""####,
    "FJ2104": ####"""
# FJ2104: missing-timeout

**Severity:** warning  
**Summary:** an HTTP route without a timeout, so a slow upstream holds the request forever  
**Reported by:** the `missing-timeout` check (`Sources/FjordChecks/Checks/MissingTimeoutCheck.swift`)

An HTTP rule that routes to destinations has no `timeout`. Istio sets none by default: a slow or
hung upstream holds every request routed there, and the caller's connection and the sidecar's
resources with it, until the caller gives up (if it ever does). Every route in a production mesh
should say how long it is worth waiting.

Rules that answer at once are not reported: `redirect` and `directResponse`. A rule with
`delegate` takes its routes (and timeouts) from the delegate, whose rules are checked
themselves; a delegate's rule without a timeout is not reported when every root rule that
delegates to it sets one, since Istio then copies the root's timeout into it.

## Example

`auth.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: auth
  namespace: identity
spec:
  hosts:
  - auth
  http:
  - name: default
    route:
    - destination:
        host: auth
```

```
$ fjord check auth.yaml
auth.yaml:10:11: warning: [FJ2104] rule `default` has no timeout
    9 |   http:
   10 |   - name: default
      |           ^~~~~~~
   11 |     route:
  note: Istio sets no timeout by default: a slow or hung upstream holds every request routed here until the caller gives up
  help: add a timeout to the rule, for example: `timeout: 2s`
1 warning in 1 file (1 resource) in 4 ms
```

## How to fix

Add a timeout that fits the service (a little above its slowest healthy answer).

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: auth
  namespace: identity
spec:
  hosts:
  - auth
  http:
  - name: default
    route:
    - destination:
        host: auth
    timeout: 2s
```

```
$ fjord check auth.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

Neither Istio's validation nor `istioctl analyze` says anything about a missing timeout.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2104"
```

For the whole run: `fjord check --disable FJ2104 mesh/`.
"""####,
    "FJ2105": ####"""
# FJ2105: unknown-destination-port

**Severity:** error  
**Summary:** a destination port that the destination service does not expose  
**Reported by:** the `unknown-destination-port` check (`Sources/FjordChecks/Checks/DestinationPortCheck.swift`)

A destination port that the destination's Service or ServiceEntry does not expose. Envoy's
cluster is per host and port (`outbound|9000||reviews.bookinfo.svc.cluster.local`); there is no
such cluster, and requests routed there fail with 503.

It also reports, on gateways only, a destination without a port toward a service that exposes
several: Istio then uses the gateway's listener port (80, 443), which the service usually does
not have. On sidecars a missing port is fine: the request keeps the port it arrived on.

## Example

`reviews.yaml`:

```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: bookinfo
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews
  http:
  - name: default
    route:
    - destination:
        host: reviews
        port:
          number: 9000
    timeout: 2s
```

```
$ fjord check reviews.yaml
reviews.yaml:27:19: error: [FJ2105] port 9000 is not a port of `reviews`
   26 |         port:
   27 |           number: 9000
      |                   ^~~~
   28 |     timeout: 2s
  note: Service `bookinfo/reviews` exposes port 9080
  note: Envoy has no cluster for this port: requests routed here fail with 503
  help: use port 9080
1 error in 1 file (2 resources) in 2 ms
```

## How to fix

Use a port the service exposes (or add the port to the Service).

```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: bookinfo
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews
  http:
  - name: default
    route:
    - destination:
        host: reviews
        port:
          number: 9080
    timeout: 2s
```

```
$ fjord check reviews.yaml
no problems found in 1 file (2 resources) in 3 ms
```

## Compared with istioctl

`istioctl analyze` reports IST0101 ReferencedResourceNotFound (`host:port`) for an unknown
port, and IST0112 VirtualServiceDestinationPortSelectorRequired for a missing port toward a
several-port service, on sidecars too (where Fjord does not report it, see
[../conformance.md](../conformance.md)).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2105"
```

For the whole run: `fjord check --disable FJ2105 mesh/`.
"""####,
    "FJ2106": ####"""
# FJ2106: unknown-gateway

**Severity:** error  
**Summary:** a VirtualService bound to a Gateway that does not exist  
**Reported by:** the `unknown-gateway` check (`Sources/FjordChecks/Checks/GatewayReferenceCheck.swift`)

A VirtualService's `gateways` (or a match block's) names a Gateway that does not exist. `mesh`
means the sidecars; `name` is looked up in the VirtualService's namespace, `namespace/name`
where it says (the old form `name.namespace.svc.cluster.local` is understood too). No proxy gets
the rules bound to a missing gateway, so the traffic they should route falls through to
whatever else matches, often nothing (404).

Not reported when the inputs hold no Gateway at all, or nothing in the named namespace: the
Gateway then lives in inputs Fjord was not given (the platform team's repository, typically).

## Example

`shop.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gateway
  namespace: ingress
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - shop.example.no
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: ingress
spec:
  hosts:
  - shop.example.no
  gateways:
  - shop-gatway
  http:
  - name: default
    route:
    - destination:
        host: frontend.shop.svc.cluster.local
    timeout: 10s
```

```
$ fjord check shop.yaml
shop.yaml:26:5: error: [FJ2106] gateway `shop-gatway` does not exist
   25 |   gateways:
   26 |   - shop-gatway
      |     ^~~~~~~~~~~
   27 |   http:
  note: a gateway name without a namespace is looked up in the VirtualService's namespace `ingress`
  note: the rules bound to it are configured on no proxy
  help: did you mean `shop-gateway`?
1 error in 1 file (2 resources) in 3 ms
```

## How to fix

Name the Gateway that exists.

```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-gateway
  namespace: ingress
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - shop.example.no
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: ingress
spec:
  hosts:
  - shop.example.no
  gateways:
  - shop-gateway
  http:
  - name: default
    route:
    - destination:
        host: frontend.shop.svc.cluster.local
    timeout: 10s
```

```
$ fjord check shop.yaml
no problems found in 1 file (2 resources) in 3 ms
```

## Compared with istioctl

`istioctl analyze` reports IST0101 ReferencedResourceNotFound (`gateway`), for top-level
`gateways` only.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2106"
```

For the whole run: `fjord check --disable FJ2106 mesh/`.
"""####,
    "FJ2107": ####"""
# FJ2107: duplicate-destination-rule

**Severity:** warning  
**Summary:** several DestinationRules of one namespace configure the same host and Istio merges them, ignoring parts of the newer  
**Reported by:** the `duplicate-destination-rule` check (`Sources/FjordChecks/Checks/DuplicateDestinationRuleCheck.swift`)

Two DestinationRules in one namespace configure the same host (with no workload selector, or the
same one). Istio does not pick one: it merges them in age order (oldest first by creation
timestamp, then by name). The newer rule's subsets are added unless an older one already
defines the name, its top-level `trafficPolicy` is used only when the older has none, and its
`exportTo` is ignored. So half of the newer rule silently does nothing; the notes say which half.

DestinationRules for one host in different namespaces are not merged, and not reported: a
client uses the rule of its own namespace first, which is how a team overrides a policy for its
own calls.

## Example

`reviews.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
  creationTimestamp: "2026-01-10T08:00:00Z"
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 100
  subsets:
  - name: v1
    labels:
      version: v1
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews-canary
  namespace: bookinfo
  creationTimestamp: "2026-02-01T08:00:00Z"
spec:
  host: reviews.bookinfo.svc.cluster.local
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
  subsets:
  - name: v2
    labels:
      version: v2
```

```
$ fjord check reviews.yaml
reviews.yaml:25:9: warning: [FJ2107] `bookinfo/reviews-canary` configures host `reviews.bookinfo.svc.cluster.local`, which the older DestinationRule `bookinfo/reviews` already configures
    7 | spec:
    8 |   host: reviews
      |         ^~~~~~~ Istio merges it into the older DestinationRule `bookinfo/reviews`
    9 |   trafficPolicy:
      :
   24 | spec:
   25 |   host: reviews.bookinfo.svc.cluster.local
      |         ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
   26 |   trafficPolicy:
   27 |     tls:
      |     ^~~~ its top-level `trafficPolicy` is ignored: the merged rule keeps the older one's
   28 |       mode: ISTIO_MUTUAL
  note: its subset `v2` is added
  help: merge the two into one DestinationRule
1 warning in 1 file (2 resources) in 3 ms
```

## How to fix

Keep one DestinationRule per host and namespace, holding everything.

```yaml
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 100
    tls:
      mode: ISTIO_MUTUAL
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
```

```
$ fjord check reviews.yaml
no problems found in 1 file (1 resource) in 2 ms
```

## Compared with istioctl

`istioctl analyze` says nothing; Istio's control plane merges the rules and records duplicate
subsets only in a metric.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2107"
```

For the whole run: `fjord check --disable FJ2107 mesh/`.
"""####,
    "FJ2108": ####"""
# FJ2108: export-to-unknown-namespace

**Severity:** warning  
**Summary:** an `exportTo` entry names a namespace that the inputs do not declare  
**Reported by:** the `export-to-unknown-namespace` check (`Sources/FjordChecks/Checks/ExportToNamespaceCheck.swift`)

An `exportTo` entry (of a VirtualService, DestinationRule or ServiceEntry, or a Service's
`networking.istio.io/exportTo` annotation) names a namespace that does not exist. The resource is
exported to nobody there, and the namespace that was meant does not see it: its sidecars route
without the VirtualService, connect without the DestinationRule's policy, or cannot reach the
ServiceEntry's host.

Checked only when the inputs declare Namespaces. A namespace that holds any resource in the
inputs counts as existing even without a Namespace object. The syntax of `exportTo` itself is
[FJ1033](FJ1033.md)'s.

## Example

`ledger.yaml`:

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ledger
  namespace: payments
spec:
  host: ledger
  exportTo:
  - "."
  - sohp
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 50
```

```
$ fjord check ledger.yaml
ledger.yaml:20:5: warning: [FJ2108] `exportTo` names namespace `sohp`, which does not exist
   19 |   - "."
   20 |   - sohp
      |     ^~~~
   21 |   trafficPolicy:
  note: no Namespace `sohp` is declared in the inputs, and no resource lives there: the entry exports to nobody
  help: did you mean `shop`?
1 warning in 1 file (3 resources) in 2 ms
```

## How to fix

Name the namespace that exists (here the suggestion).

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ledger
  namespace: payments
spec:
  host: ledger
  exportTo:
  - "."
  - shop
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 50
```

```
$ fjord check ledger.yaml
no problems found in 1 file (3 resources) in 2 ms
```

## Compared with istioctl

`istioctl analyze` reports IST0101 ReferencedResourceNotFound only indirectly, when a host is not
visible in the exported namespace; Kiali (KIA) checks `exportTo` namespaces.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2108"
```

For the whole run: `fjord check --disable FJ2108 mesh/`.
"""####,
    "FJ2109": ####"""
# FJ2109: unknown-delegate

**Severity:** error  
**Summary:** a rule delegates to a VirtualService that does not exist or cannot be a delegate  
**Reported by:** the `unknown-delegate` check (`Sources/FjordChecks/Checks/DelegateReferenceCheck.swift`)

A rule delegates to a VirtualService that does not exist, that has `hosts` (a delegate has
none, and one with hosts is never used as a delegate), or that is not exported to the root's
namespace. Istio drops the rule: the requests it would take fall through to the next rules, and
without one they get 404.

Not reported when the inputs hold nothing in the delegate's namespace (another team's
repository). A delegate that delegates again is [FJ1030](FJ1030.md)'s.

## Example

`shop.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: ingress
spec:
  hosts:
  - shop.example.no
  gateways:
  - shop-gateway
  http:
  - name: cart
    match:
    - uri:
        prefix: /cart
    delegate:
      name: cart-rotues
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: cart-routes
  namespace: ingress
spec:
  http:
  - name: default
    route:
    - destination:
        host: cart.shop.svc.cluster.local
    timeout: 2s
```

```
$ fjord check shop.yaml
shop.yaml:17:13: error: [FJ2109] delegate `ingress/cart-rotues` does not exist
   16 |     delegate:
   17 |       name: cart-rotues
      |             ^~~~~~~~~~~
   18 | ---
  note: Istio drops rule `cart`: the requests it matches fall through to the next rules
  help: did you mean `cart-routes`?
1 error in 1 file (2 resources) in 3 ms
```

## How to fix

Name the delegate that exists.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: shop
  namespace: ingress
spec:
  hosts:
  - shop.example.no
  gateways:
  - shop-gateway
  http:
  - name: cart
    match:
    - uri:
        prefix: /cart
    delegate:
      name: cart-routes
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: cart-routes
  namespace: ingress
spec:
  http:
  - name: default
    route:
    - destination:
        host: cart.shop.svc.cluster.local
    timeout: 2s
```

```
$ fjord check shop.yaml
no problems found in 1 file (2 resources) in 3 ms
```

## Compared with istioctl

Neither Istio's validation nor `istioctl analyze` checks delegate references; istiod logs the
missing delegate at debug level.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2109"
```

For the whole run: `fjord check --disable FJ2109 mesh/`.
"""####,
    "FJ2110": ####"""
# FJ2110: retries-exceed-timeout

**Severity:** warning  
**Summary:** the tries a retry policy allows do not fit in the route timeout, so the last ones never run  
**Reported by:** the `retries-exceed-timeout` check (`Sources/FjordChecks/Checks/RetryBudgetCheck.swift`)

The tries a retry policy allows do not fit in the route timeout. `attempts` counts retries
(Envoy's `num_retries`), so `attempts: 2` is up to 3 tries, each bounded by `perTryTimeout`.
Envoy's route `timeout` bounds all of them together, backoff included. When
`(attempts + 1) × perTryTimeout` exceeds the timeout, a try that runs into its per-try timeout
leaves too little time for the ones after it: the last tries are cut short or never start, and
the caller gets a 504 where the retry policy promised another try. The finding gives the
numbers, how many whole tries fit, and the per-try timeout that would make them all fit.

Retries triggered by fast failures (`connect-failure`, a quick 503) take far less than
`perTryTimeout`, so the policy still works for those; the finding is about the slow case that
per-try timeouts exist for. Retries without a `perTryTimeout` (each try bounded only by the route
timeout), `attempts: 0`, and routes without a timeout ([FJ2104](FJ2104.md)) are not reported.

## Example

`inventory.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: inventory
  namespace: shop
spec:
  hosts:
  - inventory
  http:
  - name: default
    route:
    - destination:
        host: inventory
    timeout: 1s
    retries:
      attempts: 2
      perTryTimeout: 500ms
      retryOn: connect-failure,refused-stream,503
```

```
$ fjord check inventory.yaml
inventory.yaml:17:22: warning: [FJ2110] 3 tries of 500ms take up to 1.5s, longer than the route timeout 1s
   13 |         host: inventory
   14 |     timeout: 1s
      |              ^~ only 2 whole tries fit in the route timeout 1s: a try that times out after that is cut short and the retries after it never run, so the caller gets a 504
   15 |     retries:
   16 |       attempts: 2
      |                 ^ `attempts: 2` allows 3 tries (the first and 2 retries), and Envoy's route timeout bounds them all together
   17 |       perTryTimeout: 500ms
      |                      ^~~~~
   18 |       retryOn: connect-failure,refused-stream,503
  note: the backoff between tries (25 ms base unless `retries.backoff` says otherwise) takes from the same budget
  help: raise `timeout` to at least 1.5s, lower `perTryTimeout` to 333ms, or allow fewer attempts
1 warning in 1 file (1 resource) in 3 ms
```

## How to fix

Give the tries room: a larger timeout, a shorter per-try timeout, or fewer attempts.

```yaml
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: inventory
  namespace: shop
spec:
  hosts:
  - inventory
  http:
  - name: default
    route:
    - destination:
        host: inventory
    timeout: 1500ms
    retries:
      attempts: 2
      perTryTimeout: 500ms
      retryOn: connect-failure,refused-stream,503
```

```
$ fjord check inventory.yaml
no problems found in 1 file (1 resource) in 3 ms
```

## Compared with istioctl

Neither Istio's validation nor `istioctl analyze` compares retries with the route timeout.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2110"
```

For the whole run: `fjord check --disable FJ2110 mesh/`.
"""####,
    "FJ2111": ####"""
# FJ2111: host-not-on-gateway

**Severity:** warning  
**Summary:** a VirtualService bound to a Gateway none of whose servers accepts any of its hosts, so the gateway never uses it  
**Reported by:** the `host-not-on-gateway` check (`Sources/FjordChecks/Checks/GatewayHostCheck.swift`)

A VirtualService is bound to a Gateway, but none of the Gateway's servers accepts any of the
VirtualService's hosts. A gateway builds its routes from the VirtualServices whose hosts match
its servers' hosts, so it never uses this one: requests for the host get the gateway's 404.
Server hosts are `host` (any namespace), `namespace/host`, `./host` (the Gateway's namespace) or
`*/host`; only those for the VirtualService's namespace count, and wildcards match either way
(`*.example.no` covers `shop.example.no`, and a VirtualService host `*.example.no` overlaps a
server host `shop.example.no`).

A Gateway that does not exist is [FJ2106](FJ2106.md)'s.

## Example

`partners.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: ingress
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - shop.example.no
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: partners
  namespace: ingress
spec:
  hosts:
  - partners.example.no
  gateways:
  - public
  http:
  - name: default
    route:
    - destination:
        host: partners.shop.svc.cluster.local
    timeout: 2s
```

```
$ fjord check partners.yaml
partners.yaml:26:5: warning: [FJ2111] gateway `public` serves none of the hosts of this VirtualService (`partners.example.no`)
   14 |     hosts:
   15 |     - shop.example.no
      |       ^~~~~~~~~~~~~~~ its servers accept `shop.example.no`
   16 | ---
      :
   25 |   gateways:
   26 |   - public
      |     ^~~~~~
   27 |   http:
  note: the gateway never uses this VirtualService: its rules are configured on no proxy there
  help: add the host to a server of Gateway `ingress/public`, or bind the VirtualService to the gateway that serves it
1 warning in 1 file (2 resources) in 2 ms
```

## How to fix

Add the host to one of the Gateway's servers (or bind the VirtualService to the gateway that serves it).

```yaml
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: ingress
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - shop.example.no
    - partners.example.no
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: partners
  namespace: ingress
spec:
  hosts:
  - partners.example.no
  gateways:
  - public
  http:
  - name: default
    route:
    - destination:
        host: partners.shop.svc.cluster.local
    timeout: 2s
```

```
$ fjord check partners.yaml
no problems found in 1 file (2 resources) in 2 ms
```

## Compared with istioctl

`istioctl analyze` reports IST0132 VirtualServiceHostNotFoundInGateway (its `GatewayAnalyzer`),
also when the Gateway does not exist at all.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2111"
```

For the whole run: `fjord check --disable FJ2111 mesh/`.
"""####,
    "FJ2112": ####"""
# FJ2112: selector-matches-no-workload

**Severity:** warning  
**Summary:** a workload selector (Sidecar, PeerAuthentication, RequestAuthentication, AuthorizationPolicy, Gateway) matches no workload in the inputs, so the resource applies to nothing  
**Reported by:** the `selector-matches-no-workload` check (`Sources/FjordChecks/Checks/SelectorCheck.swift`)

A `workloadSelector` (Sidecar) or `selector` (PeerAuthentication, RequestAuthentication,
AuthorizationPolicy, Gateway) whose labels match no workload among the inputs. The resource then
applies to nothing: the mTLS mode is not enforced, the JWT is not required, the policy allows or
denies nothing, the Gateway's servers run on no proxy. Usually a typo in a label or a workload
that was renamed.

Where a selector looks: a Sidecar or PeerAuthentication selects workloads of its own namespace;
an AuthorizationPolicy or RequestAuthentication in the root namespace (`istio-system` unless the
`istio` ConfigMap says otherwise) selects across the mesh, elsewhere in its namespace; a Gateway
selects gateway workloads in every namespace. The notes list the workloads whose labels come
closest.

A selector is judged only when the inputs hold some workload where it looks (for a Gateway, in
its own namespace or the root namespace, since gateway workloads are often installed by Istio's
charts apart from the configuration): a repository of policies without Deployments says nothing
about which workloads run. An empty selector (`{}`)
selects every workload and is not reported.

## Example

`mesh.yaml`:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: shop
spec:
  selector:
    matchLabels:
      app: reviews
  template:
    metadata:
      labels:
        app: reviews
        version: v1
    spec:
      containers:
      - name: reviews
        image: example/reviews:1
---
apiVersion: v1
kind: Pod
metadata:
  name: ingressgateway
  namespace: istio-system
  labels:
    istio: ingressgateway
spec:
  containers:
  - name: istio-proxy
    image: auto
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: reviews
  namespace: shop
spec:
  workloadSelector:
    labels:
      app: reveiws
  egress:
  - hosts:
    - "./*"
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: reviews-strict
  namespace: shop
spec:
  selector:
    matchLabels:
      app: reviews
      version: v2
  mtls:
    mode: STRICT
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: ratings-jwt
  namespace: shop
spec:
  selector:
    matchLabels:
      app: ratings
  jwtRules:
  - issuer: https://issuer.example.com
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ratings-allow
  namespace: istio-system
spec:
  selector:
    matchLabels:
      app: ratings
  action: ALLOW
  rules:
  - from:
    - source:
        namespaces: ["shop"]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: shop
spec:
  selector:
    istio: ingress
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "shop.example.com"
```

```
$ fjord check mesh.yaml
mesh.yaml:39:5: warning: [FJ2112] selector `app=reveiws` of this Sidecar matches no workload in namespace `shop`
    3 | metadata:
    4 |   name: reviews-v1
      |         ^~~~~~~~~~ `shop/reviews-v1` has labels `app=reviews, version=v1`
    5 |   namespace: shop
      :
   38 |   workloadSelector:
   39 |     labels:
      |     ^~~~~~~
   40 |       app: reveiws
  note: this Sidecar applies to no workload
  help: fix the labels of the selector, or deploy the workload it is meant for
mesh.yaml:52:5: warning: [FJ2112] selector `app=reviews, version=v2` of this PeerAuthentication matches no workload in namespace `shop`
    3 | metadata:
    4 |   name: reviews-v1
      |         ^~~~~~~~~~ `shop/reviews-v1` has labels `app=reviews, version=v1`
    5 |   namespace: shop
      :
   51 |   selector:
   52 |     matchLabels:
      |     ^~~~~~~~~~~~
   53 |       app: reviews
  note: this PeerAuthentication applies to no workload
  help: fix the labels of the selector, or deploy the workload it is meant for
mesh.yaml:65:5: warning: [FJ2112] selector `app=ratings` of this RequestAuthentication matches no workload in namespace `shop`
    3 | metadata:
    4 |   name: reviews-v1
      |         ^~~~~~~~~~ `shop/reviews-v1` has labels `app=reviews, version=v1`
    5 |   namespace: shop
      :
   64 |   selector:
   65 |     matchLabels:
      |     ^~~~~~~~~~~~
   66 |       app: ratings
  note: this RequestAuthentication applies to no workload
  help: fix the labels of the selector, or deploy the workload it is meant for
mesh.yaml:77:5: warning: [FJ2112] selector `app=ratings` of this AuthorizationPolicy matches no workload in the mesh
    3 | metadata:
    4 |   name: reviews-v1
      |         ^~~~~~~~~~ `shop/reviews-v1` has labels `app=reviews, version=v1`
    5 |   namespace: shop
      :
   22 | metadata:
   23 |   name: ingressgateway
      |         ^~~~~~~~~~~~~~ `istio-system/ingressgateway` has labels `istio=ingressgateway`
   24 |   namespace: istio-system
      :
   76 |   selector:
   77 |     matchLabels:
      |     ^~~~~~~~~~~~
   78 |       app: ratings
  note: this AuthorizationPolicy applies to no workload
  help: fix the labels of the selector, or deploy the workload it is meant for
mesh.yaml:91:3: warning: [FJ2112] selector `istio=ingress` of this Gateway matches no workload in the mesh
    3 | metadata:
    4 |   name: reviews-v1
      |         ^~~~~~~~~~ `shop/reviews-v1` has labels `app=reviews, version=v1`
    5 |   namespace: shop
      :
   22 | metadata:
   23 |   name: ingressgateway
      |         ^~~~~~~~~~~~~~ `istio-system/ingressgateway` has labels `istio=ingressgateway`
   24 |   namespace: istio-system
      :
   90 | spec:
   91 |   selector:
      |   ^~~~~~~~
   92 |     istio: ingress
  note: this Gateway applies to no workload
  help: fix the labels of the selector, or deploy the workload it is meant for
5 warnings in 1 file (7 resources) in 3 ms
```

## How to fix

Fix the labels of the selector, or deploy the workload it is meant for.

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: shop
spec:
  selector:
    matchLabels:
      app: reviews
  template:
    metadata:
      labels:
        app: reviews
        version: v1
    spec:
      containers:
      - name: reviews
        image: example/reviews:1
---
apiVersion: v1
kind: Pod
metadata:
  name: ingressgateway
  namespace: istio-system
  labels:
    istio: ingressgateway
spec:
  containers:
  - name: istio-proxy
    image: auto
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: reviews
  namespace: shop
spec:
  workloadSelector:
    labels:
      app: reviews
  egress:
  - hosts:
    - "./*"
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: reviews-strict
  namespace: shop
spec:
  selector:
    matchLabels:
      app: reviews
      version: v1
  mtls:
    mode: STRICT
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: reviews-allow
  namespace: istio-system
spec:
  selector:
    matchLabels:
      app: reviews
  action: ALLOW
  rules:
  - from:
    - source:
        namespaces: ["shop"]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: billing-allow
  namespace: billing
spec:
  selector:
    matchLabels:
      app: invoices
  action: ALLOW
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: shop-jwt
  namespace: shop
spec:
  jwtRules:
  - issuer: https://issuer.example.com
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: public
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "shop.example.com"
```

```
$ fjord check mesh.yaml
no problems found in 1 file (8 resources) in 3 ms
```

## Compared with Kiali and istioctl

Kiali reports KIA0004 ("No matching workload found for the selector in this namespace") and
KIA0302 for Gateways. `istioctl analyze` reports IST0101 ReferencedResourceNotFound for Sidecar
(`sidecar.SelectorAnalyzer`) and Gateway selectors and IST0127 NoMatchingWorkloadsFound for
AuthorizationPolicies; neither reports PeerAuthentication or RequestAuthentication selectors. Fjord
covers all five kinds, names the closest workloads, and stays silent when the inputs hold no
workload to judge against (istioctl reports IST0127 even for a namespace with no pods at all).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2112"
```

For the whole run: `fjord check --disable FJ2112 mesh/`.
"""####,
    "FJ2113": ####"""
# FJ2113: several-namespace-sidecars

**Severity:** error  
**Summary:** several Sidecars without a workload selector in one namespace, and Istio applies an arbitrary one  
**Reported by:** the `conflicting-sidecars` check (`Sources/FjordChecks/Checks/SidecarConflictCheck.swift`)

Several Sidecars without a `workloadSelector` (or with an empty one) in one namespace. Istio
uses one Sidecar per proxy; with several namespace-wide ones, which one a proxy of the namespace
gets is undefined, and it may change when Istio restarts. Each Sidecar involved is reported.

## Example

`mesh.yaml`:

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: ratings
  namespace: shop
  labels:
    app: ratings
    tier: backend
spec:
  containers:
  - name: ratings
    image: example/ratings:1
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: shop
spec:
  egress:
  - hosts:
    - "./*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default-2
  namespace: shop
spec:
  egress:
  - hosts:
    - "istio-system/*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: ratings
  namespace: shop
spec:
  workloadSelector:
    labels:
      app: ratings
  egress:
  - hosts:
    - "./*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: backend
  namespace: shop
spec:
  workloadSelector:
    labels:
      tier: backend
  egress:
  - hosts:
    - "./*"
```

```
$ fjord check mesh.yaml
mesh.yaml:17:9: error: [FJ2113] namespace `shop` has 2 Sidecars without a workload selector; Istio uses only one
   16 | metadata:
   17 |   name: default
      |         ^~~~~~~
   18 |   namespace: shop
      :
   26 | metadata:
   27 |   name: default-2
      |         ^~~~~~~~~ Sidecar `shop/default-2` is one of them
   28 |   namespace: shop
  note: which one a proxy gets is undefined
  help: merge them into one Sidecar, or give all but one a `workloadSelector`
mesh.yaml:27:9: error: [FJ2113] namespace `shop` has 2 Sidecars without a workload selector; Istio uses only one
   16 | metadata:
   17 |   name: default
      |         ^~~~~~~ Sidecar `shop/default` is one of them
   18 |   namespace: shop
      :
   26 | metadata:
   27 |   name: default-2
      |         ^~~~~~~~~
   28 |   namespace: shop
  note: which one a proxy gets is undefined
  help: merge them into one Sidecar, or give all but one a `workloadSelector`
mesh.yaml:41:5: error: [FJ2114] workload `shop/ratings` is selected by 2 Sidecars; Istio uses only one
    3 | metadata:
    4 |   name: ratings
      |         ^~~~~~~ `shop/ratings` is the workload
    5 |   namespace: shop
      :
   40 |   workloadSelector:
   41 |     labels:
      |     ^~~~~~~
   42 |       app: ratings
      :
   53 |   workloadSelector:
   54 |     labels:
      |     ^~~~~~~ Sidecar `shop/backend` selects it too
   55 |       tier: backend
  note: which Sidecar its proxy gets is undefined
  help: make the selectors disjoint, or merge the Sidecars
mesh.yaml:54:5: error: [FJ2114] workload `shop/ratings` is selected by 2 Sidecars; Istio uses only one
    3 | metadata:
    4 |   name: ratings
      |         ^~~~~~~ `shop/ratings` is the workload
    5 |   namespace: shop
      :
   40 |   workloadSelector:
   41 |     labels:
      |     ^~~~~~~ Sidecar `shop/ratings` selects it too
   42 |       app: ratings
      :
   53 |   workloadSelector:
   54 |     labels:
      |     ^~~~~~~
   55 |       tier: backend
  note: which Sidecar its proxy gets is undefined
  help: make the selectors disjoint, or merge the Sidecars
4 errors in 1 file (5 resources) in 3 ms
```

## How to fix

Merge them into one Sidecar, or give all but one a `workloadSelector`.

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: ratings
  namespace: shop
  labels:
    app: ratings
spec:
  containers:
  - name: ratings
    image: example/ratings:1
---
apiVersion: v1
kind: Pod
metadata:
  name: reviews
  namespace: shop
  labels:
    app: reviews
spec:
  containers:
  - name: reviews
    image: example/reviews:1
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: shop
spec:
  egress:
  - hosts:
    - "./*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: billing
spec:
  egress:
  - hosts:
    - "./*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: ratings
  namespace: shop
spec:
  workloadSelector:
    labels:
      app: ratings
  egress:
  - hosts:
    - "./*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: reviews
  namespace: shop
spec:
  workloadSelector:
    labels:
      app: reviews
  egress:
  - hosts:
    - "./*"
```

```
$ fjord check mesh.yaml
no problems found in 1 file (6 resources) in 3 ms
```

## Compared with Kiali and istioctl

`istioctl analyze` reports IST0111 MultipleSidecarsWithoutWorkloadSelectors on each
(`sidecar.SelectorAnalyzer`); Kiali reports KIA0002 ("More than one selector-less object in the
same namespace"). For PeerAuthentications, the same situation is [FJ3004](FJ3004.md), which names
the policy Istio keeps. AuthorizationPolicies and RequestAuthentications are not reported: Istio
applies all of them, so several are well defined.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2113"
```

For the whole run: `fjord check --disable FJ2113 mesh/`.
"""####,
    "FJ2114": ####"""
# FJ2114: several-sidecars-for-workload

**Severity:** error  
**Summary:** several Sidecars select one workload, and Istio applies an arbitrary one  
**Reported by:** the `conflicting-sidecars` check (`Sources/FjordChecks/Checks/SidecarConflictCheck.swift`)

Several Sidecars whose selectors match the same workload (the selectors may differ: `app:
ratings` and `tier: backend` both match a pod with both labels). Istio uses one Sidecar per
proxy, and which one is undefined. Each Sidecar involved is reported once, at its selector, with
the workload and the other Sidecars in the notes.

## Example

`mesh.yaml`:

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: ratings
  namespace: shop
  labels:
    app: ratings
    tier: backend
spec:
  containers:
  - name: ratings
    image: example/ratings:1
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: shop
spec:
  egress:
  - hosts:
    - "./*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default-2
  namespace: shop
spec:
  egress:
  - hosts:
    - "istio-system/*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: ratings
  namespace: shop
spec:
  workloadSelector:
    labels:
      app: ratings
  egress:
  - hosts:
    - "./*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: backend
  namespace: shop
spec:
  workloadSelector:
    labels:
      tier: backend
  egress:
  - hosts:
    - "./*"
```

```
$ fjord check mesh.yaml
mesh.yaml:17:9: error: [FJ2113] namespace `shop` has 2 Sidecars without a workload selector; Istio uses only one
   16 | metadata:
   17 |   name: default
      |         ^~~~~~~
   18 |   namespace: shop
      :
   26 | metadata:
   27 |   name: default-2
      |         ^~~~~~~~~ Sidecar `shop/default-2` is one of them
   28 |   namespace: shop
  note: which one a proxy gets is undefined
  help: merge them into one Sidecar, or give all but one a `workloadSelector`
mesh.yaml:27:9: error: [FJ2113] namespace `shop` has 2 Sidecars without a workload selector; Istio uses only one
   16 | metadata:
   17 |   name: default
      |         ^~~~~~~ Sidecar `shop/default` is one of them
   18 |   namespace: shop
      :
   26 | metadata:
   27 |   name: default-2
      |         ^~~~~~~~~
   28 |   namespace: shop
  note: which one a proxy gets is undefined
  help: merge them into one Sidecar, or give all but one a `workloadSelector`
mesh.yaml:41:5: error: [FJ2114] workload `shop/ratings` is selected by 2 Sidecars; Istio uses only one
    3 | metadata:
    4 |   name: ratings
      |         ^~~~~~~ `shop/ratings` is the workload
    5 |   namespace: shop
      :
   40 |   workloadSelector:
   41 |     labels:
      |     ^~~~~~~
   42 |       app: ratings
      :
   53 |   workloadSelector:
   54 |     labels:
      |     ^~~~~~~ Sidecar `shop/backend` selects it too
   55 |       tier: backend
  note: which Sidecar its proxy gets is undefined
  help: make the selectors disjoint, or merge the Sidecars
mesh.yaml:54:5: error: [FJ2114] workload `shop/ratings` is selected by 2 Sidecars; Istio uses only one
    3 | metadata:
    4 |   name: ratings
      |         ^~~~~~~ `shop/ratings` is the workload
    5 |   namespace: shop
      :
   40 |   workloadSelector:
   41 |     labels:
      |     ^~~~~~~ Sidecar `shop/ratings` selects it too
   42 |       app: ratings
      :
   53 |   workloadSelector:
   54 |     labels:
      |     ^~~~~~~
   55 |       tier: backend
  note: which Sidecar its proxy gets is undefined
  help: make the selectors disjoint, or merge the Sidecars
4 errors in 1 file (5 resources) in 3 ms
```

## How to fix

Make the selectors disjoint, or merge the Sidecars.

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: ratings
  namespace: shop
  labels:
    app: ratings
spec:
  containers:
  - name: ratings
    image: example/ratings:1
---
apiVersion: v1
kind: Pod
metadata:
  name: reviews
  namespace: shop
  labels:
    app: reviews
spec:
  containers:
  - name: reviews
    image: example/reviews:1
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: shop
spec:
  egress:
  - hosts:
    - "./*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: ratings
  namespace: shop
spec:
  workloadSelector:
    labels:
      app: ratings
  egress:
  - hosts:
    - "./*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: reviews
  namespace: shop
spec:
  workloadSelector:
    labels:
      app: reviews
  egress:
  - hosts:
    - "./*"
```

```
$ fjord check mesh.yaml
no problems found in 1 file (5 resources) in 3 ms
```

## Compared with Kiali and istioctl

`istioctl analyze` reports IST0110 ConflictingSidecarWorkloadSelectors on each
(`sidecar.SelectorAnalyzer`); Kiali reports KIA0003 ("More than one object applied to the same
workload"). For PeerAuthentications the same situation is [FJ3004](FJ3004.md).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2114"
```

For the whole run: `fjord check --disable FJ2114 mesh/`.
"""####,
    "FJ2115": ####"""
# FJ2115: unknown-destination-rule-host

**Severity:** warning  
**Summary:** a DestinationRule whose host matches no Service, ServiceEntry or WorkloadEntry, so it configures nothing  
**Reported by:** the `unknown-destination-rule-host` check (`Sources/FjordChecks/Checks/DestinationRuleHostCheck.swift`)

A DestinationRule whose `host` no Service, ServiceEntry (a wildcard ServiceEntry host
included) or WorkloadEntry defines. Istio builds no cluster for the host, so the rule's traffic
policy and subsets apply to nothing; usually a typo, or a rule left behind by a removed service.
A short name resolves in the DestinationRule's namespace (`reveiws` in `shop` is
`reveiws.shop.svc.cluster.local`), and a close known name is suggested.

As for [FJ2101](FJ2101.md), a cluster-local host is judged only when the inputs hold Services of
its namespace, another host only when they hold ServiceEntries; wildcard hosts are not judged.

## Example

`mesh.yaml`:

```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reveiws
  trafficPolicy:
    loadBalancer:
      simple: LEAST_REQUEST
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews-subsets
  namespace: shop
spec:
  host: reviews.shop.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
  - name: all
```

```
$ fjord check mesh.yaml
mesh.yaml:19:9: warning: [FJ2115] host `reveiws` of this DestinationRule matches no Service, ServiceEntry or WorkloadEntry
   18 | spec:
   19 |   host: reveiws
      |         ^~~~~~~
   20 |   trafficPolicy:
  note: `reveiws` resolves to `reveiws.shop.svc.cluster.local` in namespace `shop`
  note: Istio has no cluster for this host: the DestinationRule configures nothing
  help: did you mean `reviews`?
mesh.yaml:35:11: info: [FJ2116] subset `all` has no labels and selects every endpoint of `reviews.shop.svc.cluster.local`
   34 |       version: v1
   35 |   - name: all
      |           ^~~
  note: traffic routed to this subset goes to all versions of the service
  help: add the `labels` of the version this subset is for
1 warning, 1 info in 1 file (3 resources) in 3 ms
```

## How to fix

Name a host the mesh defines, or remove the DestinationRule.

```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: external
  namespace: shop
spec:
  hosts:
  - api.example.com
  - "*.cdn.example.com"
  ports:
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS
---
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
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: api
  namespace: shop
spec:
  host: api.example.com
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: cdn
  namespace: shop
spec:
  host: images.cdn.example.com
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ledger
  namespace: shop
spec:
  host: ledger.payments.svc.cluster.local
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: everything
  namespace: shop
spec:
  host: "*.shop.svc.cluster.local"
```

```
$ fjord check mesh.yaml
no problems found in 1 file (7 resources) in 3 ms
```

## Compared with Kiali and istioctl

`istioctl analyze` reports IST0174 UnknownDestinationRuleHost; Kiali reports KIA0202. Both
report also when the inputs hold no Service of the namespace at all (istioctl's own test case
`DestinationRuleWithFakeHost` is such an input); Fjord does not, so that a repository of routing
resources alone does not get every rule reported.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2115"
```

For the whole run: `fjord check --disable FJ2115 mesh/`.
"""####,
    "FJ2116": ####"""
# FJ2116: subset-without-labels

**Severity:** info  
**Summary:** a DestinationRule subset without labels, which selects every endpoint of the host  
**Reported by:** the `subset-without-labels` check (`Sources/FjordChecks/Checks/SubsetLabelsCheck.swift`)

A DestinationRule subset without `labels`. Istio accepts it, and its cluster holds every
endpoint of the host: a route that sends 10 % of the traffic to it as a canary in fact sends it
to all versions. An info, since a subset that only carries a traffic policy for all endpoints is
legitimate.

## Example

`mesh.yaml`:

```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reveiws
  trafficPolicy:
    loadBalancer:
      simple: LEAST_REQUEST
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews-subsets
  namespace: shop
spec:
  host: reviews.shop.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
  - name: all
```

```
$ fjord check mesh.yaml
mesh.yaml:19:9: warning: [FJ2115] host `reveiws` of this DestinationRule matches no Service, ServiceEntry or WorkloadEntry
   18 | spec:
   19 |   host: reveiws
      |         ^~~~~~~
   20 |   trafficPolicy:
  note: `reveiws` resolves to `reveiws.shop.svc.cluster.local` in namespace `shop`
  note: Istio has no cluster for this host: the DestinationRule configures nothing
  help: did you mean `reviews`?
mesh.yaml:35:11: info: [FJ2116] subset `all` has no labels and selects every endpoint of `reviews.shop.svc.cluster.local`
   34 |       version: v1
   35 |   - name: all
      |           ^~~
  note: traffic routed to this subset goes to all versions of the service
  help: add the `labels` of the version this subset is for
1 warning, 1 info in 1 file (3 resources) in 3 ms
```

## How to fix

Add the `labels` of the version the subset is for.

```yaml
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
```

```
$ fjord check mesh.yaml
no problems found in 1 file (1 resource) in 3 ms
```

## Compared with Kiali and istioctl

Kiali reports KIA0209 ("This subset has not labels", a warning). `istioctl analyze` has no
counterpart.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2116"
```

For the whole run: `fjord check --disable FJ2116 mesh/`.
"""####,
    "FJ2117": ####"""
# FJ2117: conflicting-gateways

**Severity:** error  
**Summary:** two Gateways on one workload claim the same host on the same port, and Istio keeps only one server  
**Reported by:** the `conflicting-gateways` check (`Sources/FjordChecks/Checks/ConflictingGatewaysCheck.swift`)

Two Gateways whose servers claim the same host on the same port of the same gateway
workloads. Envoy builds one filter chain per host and port: Istio keeps one server and drops the
other, so one Gateway's certificate, TLS mode or routes silently lose. The workloads are the same
when the selectors are equal, or when some workload of the inputs matches both selectors. Hosts
conflict when they are equal or a wildcard covers the other (`*.example.com` covers
`api.example.com`), with the same `bind`. Each Gateway is reported once per port.

## Example

`mesh.yaml`:

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: ingressgateway
  namespace: istio-system
  labels:
    istio: ingressgateway
    app: istio-ingressgateway
spec:
  containers:
  - name: istio-proxy
    image: auto
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts:
    - "shop.example.com"
    tls:
      mode: SIMPLE
      credentialName: shop-cert
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-old
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts:
    - "shop.example.com"
    tls:
      mode: SIMPLE
      credentialName: shop-cert-old
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: api
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 8443
      name: https
      protocol: HTTPS
    hosts:
    - "api.example.com"
    tls:
      mode: SIMPLE
      credentialName: api-cert
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: wildcard
  namespace: shop
spec:
  selector:
    app: istio-ingressgateway
  servers:
  - port:
      number: 8443
      name: https
      protocol: HTTPS
    hosts:
    - "*.example.com"
    tls:
      mode: SIMPLE
      credentialName: wildcard-cert
```

```
$ fjord check mesh.yaml
mesh.yaml:28:7: error: [FJ2117] gateways `shop/shop` and `shop/shop-old` both claim host `shop.example.com` on port 443 of the same workloads
   27 |     hosts:
   28 |     - "shop.example.com"
      |       ^~~~~~~~~~~~~~~~~~
   29 |     tls:
      :
   46 |     hosts:
   47 |     - "shop.example.com"
      |       ^~~~~~~~~~~~~~~~~~ `shop/shop-old` claims `shop.example.com`
   48 |     tls:
  note: Envoy keeps one server for a host and port: the other Gateway's settings are dropped
  help: serve the host from one Gateway, or put the Gateways on different ports or workloads
mesh.yaml:47:7: error: [FJ2117] gateways `shop/shop-old` and `shop/shop` both claim host `shop.example.com` on port 443 of the same workloads
   27 |     hosts:
   28 |     - "shop.example.com"
      |       ^~~~~~~~~~~~~~~~~~ `shop/shop` claims `shop.example.com`
   29 |     tls:
      :
   46 |     hosts:
   47 |     - "shop.example.com"
      |       ^~~~~~~~~~~~~~~~~~
   48 |     tls:
  note: Envoy keeps one server for a host and port: the other Gateway's settings are dropped
  help: serve the host from one Gateway, or put the Gateways on different ports or workloads
mesh.yaml:66:7: error: [FJ2117] gateways `shop/api` and `shop/wildcard` both claim host `api.example.com` on port 8443 of the same workloads
   65 |     hosts:
   66 |     - "api.example.com"
      |       ^~~~~~~~~~~~~~~~~
   67 |     tls:
      :
   84 |     hosts:
   85 |     - "*.example.com"
      |       ^~~~~~~~~~~~~~~ `shop/wildcard` claims `*.example.com`
   86 |     tls:
  note: Envoy keeps one server for a host and port: the other Gateway's settings are dropped
  help: serve the host from one Gateway, or put the Gateways on different ports or workloads
mesh.yaml:85:7: error: [FJ2117] gateways `shop/wildcard` and `shop/api` both claim host `*.example.com` on port 8443 of the same workloads
   65 |     hosts:
   66 |     - "api.example.com"
      |       ^~~~~~~~~~~~~~~~~ `shop/api` claims `api.example.com`
   67 |     tls:
      :
   84 |     hosts:
   85 |     - "*.example.com"
      |       ^~~~~~~~~~~~~~~
   86 |     tls:
  note: Envoy keeps one server for a host and port: the other Gateway's settings are dropped
  help: serve the host from one Gateway, or put the Gateways on different ports or workloads
4 errors in 1 file (5 resources) in 3 ms
```

## How to fix

Serve the host from one Gateway, or move the Gateways to different ports or workloads.

```yaml
apiVersion: v1
kind: Pod
metadata:
  name: ingressgateway
  namespace: istio-system
  labels:
    istio: ingressgateway
spec:
  containers:
  - name: istio-proxy
    image: auto
---
apiVersion: v1
kind: Pod
metadata:
  name: internal-gateway
  namespace: istio-system
  labels:
    istio: internal-gateway
spec:
  containers:
  - name: istio-proxy
    image: auto
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts:
    - "shop.example.com"
    tls:
      mode: SIMPLE
      credentialName: shop-cert
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: api
  namespace: shop
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts:
    - "api.example.com"
    tls:
      mode: SIMPLE
      credentialName: api-cert
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "shop.example.com"
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: shop-internal
  namespace: shop
spec:
  selector:
    istio: internal-gateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    hosts:
    - "shop.example.com"
    tls:
      mode: SIMPLE
      credentialName: shop-internal-cert
```

```
$ fjord check mesh.yaml
no problems found in 1 file (5 resources) in 3 ms
```

## Compared with Kiali and istioctl

`istioctl analyze` reports IST0145 ConflictingGateways (`gateway.ConflictingGatewayAnalyzer`);
Kiali reports KIA0301 ("More than one Gateway for the same host port combination").

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2117"
```

For the whole run: `fjord check --disable FJ2117 mesh/`.
"""####,
    "FJ2118": ####"""
# FJ2118: duplicate-service-entry

**Severity:** warning  
**Summary:** two ServiceEntries visible together define the same host and port (an error when their protocols differ)  
**Reported by:** the `duplicate-service-entry` check (`Sources/FjordChecks/Checks/DuplicateServiceEntryCheck.swift`)

Two ServiceEntries that define the same host and port and are visible together (their
`exportTo` lists share a namespace; no `exportTo` is every namespace). Istio merges them, and
which settings win is hard to tell: a warning. When the two declare different protocols for the
port, the proxy can build only one listener and cluster for it, so one protocol silently applies
to both: an error.

## Example

`mesh.yaml`:

```yaml
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: payments-https
  namespace: shop
spec:
  hosts:
  - api.payments.example
  ports:
  - number: 8443
    name: https
    protocol: HTTPS
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: payments-http
  namespace: shop
spec:
  hosts:
  - api.payments.example
  ports:
  - number: 8443
    name: http
    protocol: HTTP
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: maps
  namespace: shop
spec:
  hosts:
  - maps.example.com
  ports:
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: maps-copy
  namespace: billing
spec:
  hosts:
  - maps.example.com
  ports:
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS
```

```
$ fjord check mesh.yaml
mesh.yaml:10:13: error: [FJ2118] host `api.payments.example` port 8443 is also defined by ServiceEntry `shop/payments-http` with a different protocol
    9 |   ports:
   10 |   - number: 8443
      |             ^~~~
   11 |     name: https
      :
   23 |   ports:
   24 |   - number: 8443
      |     ^~~~~~~~~~~~ ServiceEntry `shop/payments-http` defines it too with protocol `HTTP`
   25 |     name: http
  note: protocols `HTTPS` and `HTTP` conflict: the proxy builds one listener and cluster for the port, and only one protocol applies
  help: define each host and port in one ServiceEntry, or export them to different namespaces
mesh.yaml:24:13: error: [FJ2118] host `api.payments.example` port 8443 is also defined by ServiceEntry `shop/payments-https` with a different protocol
    9 |   ports:
   10 |   - number: 8443
      |     ^~~~~~~~~~~~ ServiceEntry `shop/payments-https` defines it too with protocol `HTTPS`
   11 |     name: https
      :
   23 |   ports:
   24 |   - number: 8443
      |             ^~~~
   25 |     name: http
  note: protocols `HTTP` and `HTTPS` conflict: the proxy builds one listener and cluster for the port, and only one protocol applies
  help: define each host and port in one ServiceEntry, or export them to different namespaces
mesh.yaml:38:13: warning: [FJ2118] host `maps.example.com` port 443 is also defined by ServiceEntry `billing/maps-copy`
   37 |   ports:
   38 |   - number: 443
      |             ^~~
   39 |     name: https
      :
   51 |   ports:
   52 |   - number: 443
      |     ^~~~~~~~~~~ ServiceEntry `billing/maps-copy` defines it too with protocol `HTTPS`
   53 |     name: https
  note: Istio merges them, and which settings win is hard to tell
  help: define each host and port in one ServiceEntry, or export them to different namespaces
mesh.yaml:52:13: warning: [FJ2118] host `maps.example.com` port 443 is also defined by ServiceEntry `shop/maps`
   37 |   ports:
   38 |   - number: 443
      |     ^~~~~~~~~~~ ServiceEntry `shop/maps` defines it too with protocol `HTTPS`
   39 |     name: https
      :
   51 |   ports:
   52 |   - number: 443
      |             ^~~
   53 |     name: https
  note: Istio merges them, and which settings win is hard to tell
  help: define each host and port in one ServiceEntry, or export them to different namespaces
2 errors, 2 warnings in 1 file (4 resources) in 3 ms
```

## How to fix

Define each host and port in one ServiceEntry, or export them to different namespaces.

```yaml
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: payments-https
  namespace: shop
spec:
  hosts:
  - api.payments.example
  ports:
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: payments-http
  namespace: shop
spec:
  hosts:
  - api.payments.example
  ports:
  - number: 80
    name: http
    protocol: HTTP
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: maps
  namespace: shop
spec:
  hosts:
  - maps.example.com
  exportTo:
  - "."
  ports:
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: maps
  namespace: billing
spec:
  hosts:
  - maps.example.com
  exportTo:
  - "."
  ports:
  - number: 443
    name: http
    protocol: HTTP
  resolution: DNS
```

```
$ fjord check mesh.yaml
no problems found in 1 file (4 resources) in 3 ms
```

## Compared with Kiali and istioctl

Kiali reports KIA1211 for the duplicate and KIA1212 for conflicting protocols; `istioctl
analyze` reports IST0177 ConflictingServiceEntryProtocol
(`serviceentry.ConflictingServiceEntryProtocolAnalyzer`) for the protocol conflict only, which is
Fjord's error.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2118"
```

For the whole run: `fjord check --disable FJ2118 mesh/`.
"""####,
    "FJ2119": ####"""
# FJ2119: unknown-egress-host

**Severity:** warning  
**Summary:** a Sidecar egress host that matches no Service or ServiceEntry of its namespace, so it imports nothing  
**Reported by:** the `unknown-egress-host` check (`Sources/FjordChecks/Checks/SidecarEgressCheck.swift`)

A Sidecar `egress` host (`namespace/host`) that matches no Service or ServiceEntry of the
namespaces it names (`.` is the Sidecar's namespace, `*` every namespace). The proxies the Sidecar
applies to import nothing for the entry: a typo here cuts them off from a dependency. `*` hosts
and `~/` entries are not judged. As for [FJ2101](FJ2101.md), a cluster-local host is judged only
when the inputs hold Services of its namespace, another only when they hold ServiceEntries.

## Example

`mesh.yaml`:

```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: v1
kind: Service
metadata:
  name: ledger
  namespace: payments
spec:
  selector:
    app: ledger
  ports:
  - name: http
    port: 8080
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: shop
spec:
  egress:
  - hosts:
    - "./reveiws.shop.svc.cluster.local"
    - "payments/ledgr.payments.svc.cluster.local"
    - "payments/*.shop.svc.cluster.local"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: istio-system
spec:
  workloadSelector:
    labels:
      app: reviews
  egress:
  - hosts:
    - "./*"
```

```
$ fjord check mesh.yaml
mesh.yaml:33:7: warning: [FJ2119] egress host `./reveiws.shop.svc.cluster.local` matches no Service or ServiceEntry in namespace `shop`
   32 |   - hosts:
   33 |     - "./reveiws.shop.svc.cluster.local"
      |       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
   34 |     - "payments/ledgr.payments.svc.cluster.local"
  note: the proxies this Sidecar applies to import nothing for this entry
  help: name a host that a Service or ServiceEntry of namespace `shop` defines
mesh.yaml:34:7: warning: [FJ2119] egress host `payments/ledgr.payments.svc.cluster.local` matches no Service or ServiceEntry in namespace `payments`
   33 |     - "./reveiws.shop.svc.cluster.local"
   34 |     - "payments/ledgr.payments.svc.cluster.local"
      |       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
   35 |     - "payments/*.shop.svc.cluster.local"
  note: the proxies this Sidecar applies to import nothing for this entry
  help: name a host that a Service or ServiceEntry of namespace `payments` defines
mesh.yaml:35:7: warning: [FJ2119] egress host `payments/*.shop.svc.cluster.local` matches no Service or ServiceEntry in namespace `payments`
   34 |     - "payments/ledgr.payments.svc.cluster.local"
   35 |     - "payments/*.shop.svc.cluster.local"
      |       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
   36 | ---
  note: the proxies this Sidecar applies to import nothing for this entry
  help: name a host that a Service or ServiceEntry of namespace `payments` defines
mesh.yaml:44:5: warning: [FJ2120] Sidecar in the root namespace `istio-system` has a workload selector
   43 |   workloadSelector:
   44 |     labels:
      |     ^~~~~~~
   45 |       app: reviews
  note: only a Sidecar without a selector in the root namespace is the default for the whole mesh; this one applies to matching workloads of `istio-system` only
  help: remove `workloadSelector` to make it the mesh default, or move it to the workloads' namespace
4 warnings in 1 file (4 resources) in 3 ms
```

## How to fix

Name a host a Service or ServiceEntry of that namespace defines.

```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: api
  namespace: shop
spec:
  hosts:
  - api.example.com
  ports:
  - number: 443
    name: https
    protocol: HTTPS
  resolution: DNS
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: shop
spec:
  egress:
  - hosts:
    - "./reviews.shop.svc.cluster.local"
    - "./*.shop.svc.cluster.local"
    - "*/api.example.com"
    - "istio-system/*"
    - "~/*"
    - "payments/ledger.payments.svc.cluster.local"
```

```
$ fjord check mesh.yaml
no problems found in 1 file (3 resources) in 3 ms
```

## Compared with Kiali and istioctl

Kiali reports KIA1004 ("This host has no matching entry in the service registry").
`istioctl analyze` has no counterpart.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2119"
```

For the whole run: `fjord check --disable FJ2119 mesh/`.
"""####,
    "FJ2120": ####"""
# FJ2120: root-sidecar-selector

**Severity:** warning  
**Summary:** a Sidecar in the root namespace with a workload selector, which Istio does not use as the mesh default  
**Reported by:** the `root-sidecar-selector` check (`Sources/FjordChecks/Checks/RootSidecarCheck.swift`)

A Sidecar in the root namespace (`istio-system` unless the `istio` ConfigMap says otherwise)
with a `workloadSelector`. Only a Sidecar without a selector in the root namespace is the default
for the whole mesh; with a selector it applies to the matching workloads of the root namespace
only, which is rarely what its author meant.

## Example

`mesh.yaml`:

```yaml
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: v1
kind: Service
metadata:
  name: ledger
  namespace: payments
spec:
  selector:
    app: ledger
  ports:
  - name: http
    port: 8080
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: shop
spec:
  egress:
  - hosts:
    - "./reveiws.shop.svc.cluster.local"
    - "payments/ledgr.payments.svc.cluster.local"
    - "payments/*.shop.svc.cluster.local"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: istio-system
spec:
  workloadSelector:
    labels:
      app: reviews
  egress:
  - hosts:
    - "./*"
```

```
$ fjord check mesh.yaml
mesh.yaml:33:7: warning: [FJ2119] egress host `./reveiws.shop.svc.cluster.local` matches no Service or ServiceEntry in namespace `shop`
   32 |   - hosts:
   33 |     - "./reveiws.shop.svc.cluster.local"
      |       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
   34 |     - "payments/ledgr.payments.svc.cluster.local"
  note: the proxies this Sidecar applies to import nothing for this entry
  help: name a host that a Service or ServiceEntry of namespace `shop` defines
mesh.yaml:34:7: warning: [FJ2119] egress host `payments/ledgr.payments.svc.cluster.local` matches no Service or ServiceEntry in namespace `payments`
   33 |     - "./reveiws.shop.svc.cluster.local"
   34 |     - "payments/ledgr.payments.svc.cluster.local"
      |       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
   35 |     - "payments/*.shop.svc.cluster.local"
  note: the proxies this Sidecar applies to import nothing for this entry
  help: name a host that a Service or ServiceEntry of namespace `payments` defines
mesh.yaml:35:7: warning: [FJ2119] egress host `payments/*.shop.svc.cluster.local` matches no Service or ServiceEntry in namespace `payments`
   34 |     - "payments/ledgr.payments.svc.cluster.local"
   35 |     - "payments/*.shop.svc.cluster.local"
      |       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
   36 | ---
  note: the proxies this Sidecar applies to import nothing for this entry
  help: name a host that a Service or ServiceEntry of namespace `payments` defines
mesh.yaml:44:5: warning: [FJ2120] Sidecar in the root namespace `istio-system` has a workload selector
   43 |   workloadSelector:
   44 |     labels:
      |     ^~~~~~~
   45 |       app: reviews
  note: only a Sidecar without a selector in the root namespace is the default for the whole mesh; this one applies to matching workloads of `istio-system` only
  help: remove `workloadSelector` to make it the mesh default, or move it to the workloads' namespace
4 warnings in 1 file (4 resources) in 3 ms
```

## How to fix

Remove `workloadSelector` to make it the mesh default, or move it to its workloads' namespace.

```yaml
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: default
  namespace: istio-system
spec:
  egress:
  - hosts:
    - "./*"
    - "istio-system/*"
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata:
  name: reviews
  namespace: shop
spec:
  workloadSelector:
    labels:
      app: reviews
  egress:
  - hosts:
    - "./*"
```

```
$ fjord check mesh.yaml
no problems found in 1 file (2 resources) in 3 ms
```

## Compared with Kiali and istioctl

Kiali reports KIA1006 ("Global default sidecar should not have workloadSelector").
`istioctl analyze` has no counterpart.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2120"
```

For the whole run: `fjord check --disable FJ2120 mesh/`.
"""####,
    "FJ2121": ####"""
# FJ2121: service-port-without-container-port

**Severity:** warning  
**Summary:** a Service port whose target port none of the selected workloads' containers declares  
**Reported by:** the `service-port-without-container-port` check (`Sources/FjordChecks/Checks/ServicePortCheck.swift`)

A Service port whose target port (`targetPort`, else `port`) no container of the Service's
workloads declares. A named target port that no container declares gives the endpoints no port:
Kubernetes leaves the pods out of the port's endpoints, and clients get no healthy upstream (an
error). A numeric one still reaches the pods, since `containerPort` is informational, but when
the containers declare other ports it is usually a wrong number (a warning).

Judged only on Services whose workloads are among the inputs and have containers; a numeric
target only when some container declares ports.

## Example

`mesh.yaml`:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ratings-v1
  namespace: shop
spec:
  selector:
    matchLabels:
      app: ratings
  template:
    metadata:
      labels:
        app: ratings
    spec:
      containers:
      - name: ratings
        image: example/ratings:1
        ports:
        - containerPort: 8080
        - name: grpc-api
          containerPort: 9090
---
apiVersion: v1
kind: Service
metadata:
  name: ratings
  namespace: shop
spec:
  selector:
    app: ratings
  ports:
  - name: http
    port: 80
    targetPort: 8000
  - name: grpc
    port: 9090
    targetPort: grpc-apl
```

```
$ fjord check mesh.yaml
mesh.yaml:34:17: warning: [FJ2121] target port 8000 of Service port `http` is declared by no container of `shop/ratings-v1`
    3 | metadata:
    4 |   name: ratings-v1
      |         ^~~~~~~~~~ their containers declare `8080` and `9090`
    5 |   namespace: shop
      :
   33 |     port: 80
   34 |     targetPort: 8000
      |                 ^~~~
   35 |   - name: grpc
  note: traffic still goes to port 8000 of the pods: if nothing listens there, connections are refused
  help: target a port the containers declare
mesh.yaml:37:17: error: [FJ2121] target port `grpc-apl` of Service port `grpc` is declared by no container of `shop/ratings-v1`
    3 | metadata:
    4 |   name: ratings-v1
      |         ^~~~~~~~~~ their containers name ports `grpc-api`
    5 |   namespace: shop
      :
   36 |     port: 9090
   37 |     targetPort: grpc-apl
      |                 ^~~~~~~~
  note: Kubernetes cannot resolve the name: the pods get no endpoint on this port
  help: did you mean `grpc-api`?
1 error, 1 warning in 1 file (2 resources) in 3 ms
```

## How to fix

Target a port the containers declare, or declare the port on the container.

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ratings-v1
  namespace: shop
spec:
  selector:
    matchLabels:
      app: ratings
  template:
    metadata:
      labels:
        app: ratings
    spec:
      containers:
      - name: ratings
        image: example/ratings:1
        ports:
        - containerPort: 8080
        - name: grpc-api
          containerPort: 9090
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: shop
spec:
  selector:
    matchLabels:
      app: reviews
  template:
    metadata:
      labels:
        app: reviews
    spec:
      containers:
      - name: reviews
        image: example/reviews:1
---
apiVersion: v1
kind: Service
metadata:
  name: ratings
  namespace: shop
spec:
  selector:
    app: ratings
  ports:
  - name: http
    port: 80
    targetPort: 8080
  - name: grpc
    port: 9090
    targetPort: grpc-api
  - name: http-alt
    port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: reviews
  namespace: shop
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 80
    targetPort: 9080
---
apiVersion: v1
kind: Service
metadata:
  name: details
  namespace: shop
spec:
  selector:
    app: details
  ports:
  - name: http
    port: 80
    targetPort: 9080
```

```
$ fjord check mesh.yaml
no problems found in 1 file (5 resources) in 3 ms
```

## Compared with Kiali and istioctl

Kiali reports KIA0701 ("Deployment exposing same port as Service not found", a warning).
`istioctl analyze` has no counterpart (its IST0137 DeploymentConflictingPorts is about several
Services targeting one port with different numbers).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ2121"
```

For the whole run: `fjord check --disable FJ2121 mesh/`.
"""####,
    "FJ3001": ####"""
# FJ3001: plaintext-client-to-strict

**Severity:** error  
**Summary:** a workload without a sidecar calls a workload whose PeerAuthentication is STRICT, and its plaintext calls are refused  
**Reported by:** the `plaintext-client-to-strict` check (`Sources/FjordChecks/Checks/PlaintextClientCheck.swift`)

A workload without a sidecar calls a workload whose effective PeerAuthentication is STRICT on
the port it calls. Without a sidecar the client speaks plaintext; the server's sidecar accepts
only Istio mutual TLS and resets the connection. Nothing in Istio warns about it: the
configuration is valid, and the calls fail at run time.

**The effective mode** is computed as Istio does (`composePeerAuthentication`): the oldest
workload-level policy (a selector matching the workload, in its namespace), else the oldest
namespace-level policy (no selector), else the oldest mesh-level policy (no selector, in the root
namespace, `rootNamespace` of the mesh config, normally `istio-system`), else PERMISSIVE; a policy
whose mode is UNSET inherits from the next level. `portLevelMtls` applies only in a
workload-level policy, and its ports are the workload's ports: a call to Service port 80 with
`targetPort: http` is judged on the container port named `http`. A workload has a sidecar when
its namespace has `istio-injection=enabled` or `istio.io/rev`, and its pod does not say
`sidecar.istio.io/inject: "false"`.

**Who calls whom** comes from evidence, and each finding names it, with its position:

- a service address in a container's environment variable or argument
  (`http://payment-service:8080`, `payment-service.payments:9090`,
  `payment-service.payments.svc`, `--upstream=http://...`): short names resolve in the caller's
  namespace and must name a Service of the inputs; the port is the written one, else 80 or 443
  for `http://` and `https://` when the Service has it, else the Service's first port. A bare
  name (`inventory`) counts only in a variable named like an address (`*_HOST`, `*_URL`,
  `*_ADDR`, `*_SERVICE`, ...);
- the annotation `fjord.dev/calls: "payment-service.payments, inventory"` on a Deployment (or its
  pod template, or a Pod); an empty value says the workload calls nothing;
- an ALLOW AuthorizationPolicy on the server naming the client's namespace
  (`from.source.namespaces`) or principal (`cluster.local/ns/<ns>/sa/<service account>`), on the
  port its `to.operation.ports` names;
- calls observed in the running mesh, `fjord check --traffic calls.csv`: a CSV file whose header
  is `source_namespace,source_workload,destination_service,port` (a pod name resolves to its
  controller).

A workload outside the mesh that nothing says anything about gets one **info** finding instead,
naming the STRICT services that would refuse it, so that the gap in the evidence is visible
without flooding the output; workloads of `kube-system` and of the root namespace are left out.

## Example

`mesh.yaml`:

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    istio-injection: enabled
---
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payment-service
  namespace: payments
spec:
  selector:
    matchLabels:
      app: payment-service
  template:
    metadata:
      labels:
        app: payment-service
    spec:
      containers:
      - name: payment-service
        image: example/payment-service:4
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: payment-service
  namespace: payments
spec:
  selector:
    app: payment-service
  ports:
  - name: http
    port: 8080
```

`legacy.yaml`:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch-reporter
  namespace: legacy
spec:
  selector:
    matchLabels:
      app: batch-reporter
  template:
    metadata:
      labels:
        app: batch-reporter
    spec:
      containers:
      - name: batch-reporter
        image: example/batch-reporter:1
        env:
        - name: PAYMENT_URL
          value: http://payment-service.payments.svc.cluster.local:8080
```

```
$ fjord check mesh.yaml legacy.yaml
legacy.yaml:20:18: error: [FJ3001] `legacy/batch-reporter` has no sidecar but calls `payment-service.payments` on port 8080, which PeerAuthentication `istio-system/default` makes STRICT
   10 |   template:
   11 |     metadata:
      |     ^~~~~~~~~ `legacy/batch-reporter` has no sidecar: namespace `legacy` has no `istio-injection` or `istio.io/rev` label
   12 |       labels:
      :
   19 |         - name: PAYMENT_URL
   20 |           value: http://payment-service.payments.svc.cluster.local:8080
      |                  ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ evidence: env `PAYMENT_URL` = `http://payment-service.payments.svc.cluster.local:8080` of Deployment `legacy/batch-reporter`
  note: STRICT on `payments/payment-service` (port 8080): their sidecars accept only mutual TLS and reset plaintext connections
  note: mesh.yaml:20:11: PeerAuthentication `istio-system/default` (mesh-wide) sets STRICT
  help: give `legacy/batch-reporter` a sidecar (label namespace `legacy` with `istio-injection=enabled`), or make port 8080 of the server PERMISSIVE with a workload-level PeerAuthentication (`portLevelMtls`)
  path: legacy/batch-reporter (no sidecar) -> plaintext to payment-service.payments:8080 -> payments/payment-service (STRICT): connection reset
1 error in 2 files (6 resources) in 2 ms
```

When nothing in the inputs says whom a workload outside the mesh calls, the finding is an info
that names what it could not call. Here `batch-reporter` reads its address from a ConfigMap
Fjord does not see:

`legacy.yaml`:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch-reporter
  namespace: legacy
spec:
  selector:
    matchLabels:
      app: batch-reporter
  template:
    metadata:
      labels:
        app: batch-reporter
    spec:
      containers:
      - name: batch-reporter
        image: example/batch-reporter:1
        env:
        - name: CONFIG_MAP
          value: reporter-config
```

```
$ fjord check mesh.yaml legacy.yaml
legacy.yaml:4:9: info: [FJ3001] `legacy/batch-reporter` has no sidecar, and nothing in the inputs says which services it calls; 1 service with STRICT mTLS would refuse its plaintext calls
    3 | metadata:
    4 |   name: batch-reporter
      |         ^~~~~~~~~~~~~~
    5 |   namespace: legacy
      :
   10 |   template:
   11 |     metadata:
      |     ^~~~~~~~~ `legacy/batch-reporter` has no sidecar: namespace `legacy` has no `istio-injection` or `istio.io/rev` label
   12 |       labels:
  note: STRICT: `payment-service.payments`
  note: declare its calls with the annotation `fjord.dev/calls: "service.namespace"`, or pass observed traffic with `--traffic FILE`, and fjord checks each call
1 info in 2 files (6 resources) in 2 ms
```

Observed traffic is evidence too. With `calls.csv` exported from the mesh's telemetry (a pod
name resolves to its controller):

```
source_namespace,source_workload,destination_service,port
legacy,batch-reporter-7c9d8b6f5-x2x7q,payment-service.payments,8080
```

```
$ fjord check --traffic calls.csv mesh.yaml legacy.yaml
legacy.yaml:4:9: error: [FJ3001] `legacy/batch-reporter` has no sidecar but calls `payment-service.payments` on port 8080, which PeerAuthentication `istio-system/default` makes STRICT
    3 | metadata:
    4 |   name: batch-reporter
      |         ^~~~~~~~~~~~~~
    5 |   namespace: legacy
      :
   10 |   template:
   11 |     metadata:
      |     ^~~~~~~~~ `legacy/batch-reporter` has no sidecar: namespace `legacy` has no `istio-injection` or `istio.io/rev` label
   12 |       labels:
  note: evidence: observed traffic `calls.csv` line 2
  note: STRICT on `payments/payment-service` (port 8080): their sidecars accept only mutual TLS and reset plaintext connections
  note: mesh.yaml:20:11: PeerAuthentication `istio-system/default` (mesh-wide) sets STRICT
  help: give `legacy/batch-reporter` a sidecar (label namespace `legacy` with `istio-injection=enabled`), or make port 8080 of the server PERMISSIVE with a workload-level PeerAuthentication (`portLevelMtls`)
  path: legacy/batch-reporter (no sidecar) -> plaintext to payment-service.payments:8080 -> payments/payment-service (STRICT): connection reset
1 error in 2 files (6 resources) in 2 ms
```

## How to fix

Give the client a sidecar (here: label the `legacy` namespace for injection), or, if it must stay
outside the mesh, make exactly the port it calls PERMISSIVE with a workload-level
PeerAuthentication (`portLevelMtls`), and keep the rest STRICT.

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    istio-injection: enabled
---
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
  labels:
    istio-injection: enabled
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payment-service
  namespace: payments
spec:
  selector:
    matchLabels:
      app: payment-service
  template:
    metadata:
      labels:
        app: payment-service
    spec:
      containers:
      - name: payment-service
        image: example/payment-service:4
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: payment-service
  namespace: payments
spec:
  selector:
    app: payment-service
  ports:
  - name: http
    port: 8080
```

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: batch-reporter
  namespace: legacy
spec:
  selector:
    matchLabels:
      app: batch-reporter
  template:
    metadata:
      labels:
        app: batch-reporter
    spec:
      containers:
      - name: batch-reporter
        image: example/batch-reporter:1
        env:
        - name: PAYMENT_URL
          value: http://payment-service.payments.svc.cluster.local:8080
```

```
$ fjord check mesh.yaml legacy.yaml
no problems found in 2 files (6 resources) in 2 ms
```

## Compared with istioctl

`istioctl analyze` has no check for STRICT mTLS breaking clients outside the mesh; it only
reports pods without a sidecar in injected namespaces (IST0103) and namespaces without injection
(IST0102), without relating them to PeerAuthentication.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ3001"
```

For the whole run: `fjord check --disable FJ3001 mesh/`.
"""####,
    "FJ3002": ####"""
# FJ3002: tls-disabled-toward-strict

**Severity:** error  
**Summary:** a DestinationRule sends plaintext or simple TLS toward workloads whose PeerAuthentication is STRICT  
**Reported by:** the `destination-rule-mtls` check (`Sources/FjordChecks/Checks/DestinationRuleMTLSCheck.swift`)

A DestinationRule's client TLS mode is `DISABLE` (plaintext) or `SIMPLE` (TLS without the mesh's
client certificate) toward workloads whose effective PeerAuthentication is STRICT on that port.
Every sidecar that calls through the rule is refused: the server's sidecar accepts only Istio
mutual TLS. The usual story: `tls: {mode: DISABLE}` copied from a rule for an external database.

The check is port-aware. For each Service port and each subset it takes the TLS mode that
applies (a subset's settings over the top level, `portLevelSettings` over the policy's own),
maps the Service port to each workload's target port, and computes that workload's mode there
([FJ3001](FJ3001.md) explains how). A `DISABLE` toward a port made PERMISSIVE is fine, and not
reported.

## Example

`fraud-check.yaml`:

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    istio-injection: enabled
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fraud-check
  namespace: payments
spec:
  selector:
    matchLabels:
      app: fraud-check
  template:
    metadata:
      labels:
        app: fraud-check
    spec:
      containers:
      - name: fraud-check
        image: example/fraud-check:7
        ports:
        - containerPort: 9000
---
apiVersion: v1
kind: Service
metadata:
  name: fraud-check
  namespace: payments
spec:
  selector:
    app: fraud-check
  ports:
  - name: grpc
    port: 9000
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: fraud-check
  namespace: payments
spec:
  host: fraud-check
  trafficPolicy:
    tls:
      mode: DISABLE
```

```
$ fjord check fraud-check.yaml
fraud-check.yaml:58:13: error: [FJ3002] TLS mode `DISABLE` sends plaintext to `fraud-check` (port 9000), which PeerAuthentication `istio-system/default` makes STRICT
   14 |   mtls:
   15 |     mode: STRICT
      |           ^~~~~~ PeerAuthentication `istio-system/default` (mesh-wide) sets STRICT
   16 | ---
      :
   57 |     tls:
   58 |       mode: DISABLE
      |             ^~~~~~~
  note: STRICT on `payments/fraud-check`: their sidecars accept only Istio mutual TLS, so every call from a sidecar through this rule fails
  help: use `ISTIO_MUTUAL`, or remove the `tls` setting and let auto mTLS choose
1 error in 1 file (5 resources) in 2 ms
```

## How to fix

Use `ISTIO_MUTUAL`, or remove the `tls` setting and let auto mTLS choose.

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    istio-injection: enabled
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fraud-check
  namespace: payments
spec:
  selector:
    matchLabels:
      app: fraud-check
  template:
    metadata:
      labels:
        app: fraud-check
    spec:
      containers:
      - name: fraud-check
        image: example/fraud-check:7
        ports:
        - containerPort: 9000
---
apiVersion: v1
kind: Service
metadata:
  name: fraud-check
  namespace: payments
spec:
  selector:
    app: fraud-check
  ports:
  - name: grpc
    port: 9000
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: fraud-check
  namespace: payments
spec:
  host: fraud-check
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
```

```
$ fjord check fraud-check.yaml
no problems found in 1 file (5 resources) in 2 ms
```

## Compared with istioctl

`istioctl analyze` has no such check (its old IST0113 MTLSPolicyConflict was removed with the
v1alpha1 authentication API). Kiali reports a DestinationRule disabling TLS where a
PeerAuthentication is STRICT, without ports.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ3002"
```

For the whole run: `fjord check --disable FJ3002 mesh/`.
"""####,
    "FJ3003": ####"""
# FJ3003: istio-mutual-without-sidecar

**Severity:** error  
**Summary:** a DestinationRule sets `ISTIO_MUTUAL` toward workloads without a sidecar, which cannot answer mutual TLS  
**Reported by:** the `destination-rule-mtls` check (`Sources/FjordChecks/Checks/DestinationRuleMTLSCheck.swift`)

A DestinationRule sets `ISTIO_MUTUAL` toward workloads without a sidecar. Istio mutual TLS needs
an Istio proxy on the server side to terminate it; these workloads answer plaintext only, and
every call through the rule fails the TLS handshake. Without any `tls` setting, auto mTLS would
have sent plaintext to them. Workloads with a sidecar (by namespace label, pod label or
annotation) and gateway deployments (an `istio-proxy` container) are fine.

## Example

`old-crm.yaml`:

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: old-crm
  namespace: legacy
spec:
  selector:
    matchLabels:
      app: old-crm
  template:
    metadata:
      labels:
        app: old-crm
    spec:
      containers:
      - name: old-crm
        image: example/old-crm:1
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: old-crm
  namespace: legacy
spec:
  selector:
    app: old-crm
  ports:
  - name: http
    port: 8080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: old-crm
  namespace: legacy
spec:
  host: old-crm
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
    connectionPool:
      tcp:
        maxConnections: 20
```

```
$ fjord check old-crm.yaml
old-crm.yaml:47:13: error: [FJ3003] TLS mode `ISTIO_MUTUAL` toward `old-crm` (port 8080), whose workload `legacy/old-crm` has no sidecar
   15 |   template:
   16 |     metadata:
      |     ^~~~~~~~~ `legacy/old-crm` has no sidecar: namespace `legacy` has no `istio-injection` or `istio.io/rev` label
   17 |       labels:
      :
   46 |     tls:
   47 |       mode: ISTIO_MUTUAL
      |             ^~~~~~~~~~~~
   48 |     connectionPool:
  note: Istio mutual TLS needs a sidecar on the server side; these workloads answer plaintext only, so every call through this rule fails
  help: give the workloads a sidecar, or remove the `tls` setting (auto mTLS then sends plaintext to workloads without one)
1 error in 1 file (4 resources) in 2 ms
```

## How to fix

Remove the `tls` setting (or give the workloads a sidecar).

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: old-crm
  namespace: legacy
spec:
  selector:
    matchLabels:
      app: old-crm
  template:
    metadata:
      labels:
        app: old-crm
    spec:
      containers:
      - name: old-crm
        image: example/old-crm:1
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: old-crm
  namespace: legacy
spec:
  selector:
    app: old-crm
  ports:
  - name: http
    port: 8080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: old-crm
  namespace: legacy
spec:
  host: old-crm
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 20
```

```
$ fjord check old-crm.yaml
no problems found in 1 file (4 resources) in 2 ms
```

## Compared with istioctl

`istioctl analyze` has no such check. Kiali reports "mTLS enabled on one side only" for
namespaces, not per workload.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ3003"
```

For the whole run: `fjord check --disable FJ3003 mesh/`.
"""####,
    "FJ3004": ####"""
# FJ3004: ignored-peer-authentication

**Severity:** warning  
**Summary:** a PeerAuthentication that Istio ignores because an older one applies at the same level, or a selector in the root namespace  
**Reported by:** the `ignored-peer-authentication` check (`Sources/FjordChecks/Checks/PeerAuthenticationConflictCheck.swift`)

A PeerAuthentication that Istio ignores. At each level only one policy applies to a workload: the
oldest (by creation timestamp; without timestamps, by name) of the mesh-level policies (no
selector, root namespace), of the namespace-level policies (no selector) of its namespace, and of
the workload-level policies (a selector matching it) of its namespace. Every other policy at the
same level is ignored, whatever mode it sets; the notes say which policy wins and what mode the
workloads really get. A PeerAuthentication with a selector in the root namespace applies to no
workload at all, and is reported too.

The classic case: a namespace is STRICT, and someone adds a second namespace-wide policy to
relax it for a migration. The older STRICT one keeps winning, and the relaxation never happens.

## Example

`payments.yaml`:

```yaml
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: payments
  creationTimestamp: "2026-01-05T09:00:00Z"
spec:
  mtls:
    mode: STRICT
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: allow-plaintext
  namespace: payments
  creationTimestamp: "2026-03-01T09:00:00Z"
spec:
  mtls:
    mode: PERMISSIVE
```

```
$ fjord check payments.yaml
payments.yaml:14:9: warning: [FJ3004] `payments/allow-plaintext` is ignored: the older `payments/default` applies to namespace `payments`
    3 | metadata:
    4 |   name: default
      |         ^~~~~~~ `payments/default` is the namespace-wide policy Istio uses: it is older
    5 |   namespace: payments
      :
   13 | metadata:
   14 |   name: allow-plaintext
      |         ^~~~~~~~~~~~~~~
   15 |   namespace: payments
      :
   18 |   mtls:
   19 |     mode: PERMISSIVE
      |           ^~~~~~~~~~ it sets PERMISSIVE, but namespace `payments` gets STRICT from the older policy
  help: keep one namespace-wide PeerAuthentication: merge the two, or delete this one
1 warning in 1 file (2 resources) in 1 ms
```

## How to fix

Keep one policy per level; relax single ports with a workload-level `portLevelMtls` instead.

```yaml
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: payments
  creationTimestamp: "2026-01-05T09:00:00Z"
spec:
  mtls:
    mode: STRICT
```

```
$ fjord check payments.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

`istioctl analyze` says nothing. Istio's control plane picks the oldest policy and logs the
switch at debug level.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ3004"
```

For the whole run: `fjord check --disable FJ3004 mesh/`.
"""####,
    "FJ3098": ####"""
# FJ3098: identity-rule-without-mtls

**Severity:** error (for a DENY rule; a warning for ALLOW)  
**Summary:** an AuthorizationPolicy rule on caller identities (principals, namespaces, service accounts) at a workload that accepts plaintext on that port, so it cannot match plaintext callers  
**Reported by:** the `authorization-identity` check (`Sources/FjordChecks/Checks/AuthorizationIdentityCheck.swift`)

`principals`, `namespaces`, `serviceAccounts` and the `source.principal` and `source.namespace`
conditions are read from the caller's mTLS certificate. A plaintext caller has none, so no such
value matches it. When the workload's effective PeerAuthentication (resolved as for FJ3001:
port, workload, namespace, mesh, Istio's default PERMISSIVE) is not STRICT on the rule's port,
plaintext callers get in: a DENY rule on identities denies nothing from them (an error), and an
ALLOW rule on identities never admits them (a warning: that may be the intent). The finding names
the first workload and port where this holds; the rule's ports are checked when it lists some,
the workload's default mode otherwise.

## Example

`ledger.yaml`:

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    istio-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
  namespace: payments
spec:
  selector:
    matchLabels:
      app: ledger
  template:
    metadata:
      labels:
        app: ledger
    spec:
      containers:
      - name: ledger
        image: example/ledger:3
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: no-batch
  namespace: payments
spec:
  selector:
    matchLabels:
      app: ledger
  action: DENY
  rules:
  - from:
    - source:
        principals:
        - cluster.local/ns/batch/sa/exporter
```

```
$ fjord check ledger.yaml
ledger.yaml:40:11: error: [FJ3098] `principals` needs the caller's mTLS identity, but workload `payments/ledger` is PERMISSIVE (no PeerAuthentication applies, and Istio's default is PERMISSIVE): this DENY rule denies nothing from plaintext callers
   39 |         principals:
   40 |         - cluster.local/ns/batch/sa/exporter
      |           ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
1 error in 1 file (3 resources) in 1 ms
```

## How to fix

Require mTLS on the workload, so every caller carries an identity (or write the rule on
something plaintext callers have, such as `ipBlocks`).

```yaml
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels:
    istio-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
  namespace: payments
spec:
  selector:
    matchLabels:
      app: ledger
  template:
    metadata:
      labels:
        app: ledger
    spec:
      containers:
      - name: ledger
        image: example/ledger:3
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: ledger-strict
  namespace: payments
spec:
  selector:
    matchLabels:
      app: ledger
  mtls:
    mode: STRICT
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: no-batch
  namespace: payments
spec:
  selector:
    matchLabels:
      app: ledger
  action: DENY
  rules:
  - from:
    - source:
        principals:
        - cluster.local/ns/batch/sa/exporter
```

```
$ fjord check ledger.yaml
no problems found in 1 file (4 resources) in 1 ms
```

## Compared with istioctl

`istioctl analyze` does not check this. Kiali's AuthorizationPolicy validations include a
similar finding (fields that need mTLS where mTLS is not enabled).

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ3098"
```

For the whole run: `fjord check --disable FJ3098 mesh/`.
"""####,
    "FJ3099": ####"""
# FJ3099: custom-authorization-not-enforced

**Severity:** info  
**Summary:** a CUSTOM AuthorizationPolicy, decided by an external authorizer that fjord-proxy does not call  
**Reported by:** the `authorization-identity` check (`Sources/FjordChecks/Checks/AuthorizationIdentityCheck.swift`)

A policy with `action: CUSTOM` hands matching requests to an external authorizer named by
`provider` (one of the mesh's `extensionProviders`). Istio evaluates CUSTOM before DENY and ALLOW.
Fjord decodes the policy and its rules, but neither its verifier nor fjord-proxy knows what the
provider answers: the reference evaluator records the matching CUSTOM rules and decides as if the
provider allowed, and fjord-proxy does not call the provider at all. This note says so, so that a
fjord-proxy deployment does not silently lose the check (`docs/authorization.md`).

## Example

`ext-authz.yaml`:

```yaml
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ext-authz
  namespace: payments
spec:
  action: CUSTOM
  provider:
    name: opa
  rules:
  - to:
    - operation:
        paths: ["/admin*"]
```

```
$ fjord check ext-authz.yaml
ext-authz.yaml:7:11: info: [FJ3099] this CUSTOM policy (provider `opa`) is decided by an external authorizer, which fjord-proxy does not call
   6 | spec:
   7 |   action: CUSTOM
     |           ^~~~~~
   8 |   provider:
1 info in 1 file (1 resource) in 1 ms
```

## How to fix

Nothing to fix under Istio's Envoy sidecars, which call the provider. Under fjord-proxy, enforce
the decision elsewhere (in the application, or with DENY and ALLOW policies Fjord evaluates), or
acknowledge it:

```
$ fjord check --disable FJ3099 ext-authz.yaml
no problems found in 1 file (1 resource) in 1 ms
```

## Compared with istioctl

`istioctl analyze` does not report CUSTOM policies.

## Silencing it

On one resource, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ3099"
```

For the whole run: `fjord check --disable FJ3099 mesh/`.
"""####,
    "FJ4001": ####"""
# FJ4001: residency-violation

**Severity:** error  
**Summary:** personal data can reach a location outside the jurisdictions its ResidencyPolicy allows  
**Reported by:** the `residency` check (`Sources/FjordChecks/Checks/ResidencyCheck.swift`)

Personal data can reach a place outside the jurisdictions its [ResidencyPolicy](../residency.md)
allows. Fjord follows every path the configuration opens from each personal-data workload: where
the workload itself runs, every host its sidecar sees through the VirtualService rules that can
match, each destination with a weight above zero, mirrors, subsets, locality failover and
`distribute`, egress ServiceEntries, `outboundTrafficPolicy: ALLOW_ANY`, and the responses to
callers elsewhere. It places every endpoint in a country through `data/regions.yaml` (an AWS Local
Zone such as `us-east-1-qro-1a` is in Mexico, not in its parent region's United States).

The finding points at the configuration that opens the path: a `failover` or `distribute` entry
naming the region, a mirror, a weighted destination, a `subset`, the label or node selector that
places the workload, the ServiceEntry host, or the `ALLOW_ANY` setting. The notes show the other
hops where they are written, the other personal-data workloads that have the same path, and the
policy; the witness is the whole path, from the source to the country. A failover target where no
endpoint runs yet is reported too, with a note: the path opens the day one is deployed there.

**Severity by evidence.** Every hop from a client to the host it calls names its evidence in the
path: call evidence (an env var, a ConfigMap key, a container argument or the `fjord.dev/calls`
annotation, with its line), a Gateway's route, or `reachable: ...; no call evidence` when only the
Sidecar's egress lets the client see the host. A path backed by evidence or a route at every hop is
an error; a path that exists only because egress is open is a **warning** with a fix (narrow the
Sidecar's `egress.hosts`, or name the call if it is real), unless the policy sets `strict: true`.
`ALLOW_ANY` and a workload without a sidecar count as evidence when the client names a host outside
the mesh's registry. Paths through receivers the policy does not select (transitive paths) say
`through ...` in the message; see [docs/residency.md](../residency.md), "Transitive flows".

## Example

`payments.yaml`: the ledger (personal data, Oslo) calls the fraud check, whose VirtualService sends
10 % of the requests to a subset that runs in Azure East US.

```yaml
apiVersion: fjord.dev/v1alpha1
kind: ResidencyPolicy
metadata:
  name: personal-data-in-eea
  namespace: istio-system
spec:
  personalData:
  - namespaces: [payments]
  allowedJurisdictions: [EEA]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |-
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
---
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels: {istio-injection: enabled}
---
apiVersion: v1
kind: Namespace
metadata:
  name: risk
  labels: {istio-injection: enabled}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: payments}
spec:
  selector: {matchLabels: {app: ledger}}
  template:
    metadata:
      labels: {app: ledger, topology.istio.io/locality: norwayeast.norwayeast-1}
    spec:
      containers:
      - name: ledger
        image: ledger:3.1
        env:
        - {name: FRAUD_CHECK_URL, value: "http://fraud-check.risk:9000"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: fraud-check, namespace: risk}
spec:
  selector: {matchLabels: {app: fraud-check, site: oslo}}
  template:
    metadata:
      labels: {app: fraud-check, site: oslo, topology.istio.io/locality: norwayeast.norwayeast-2}
    spec:
      containers: [{name: fraud-check, image: "fraud-check:7"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: fraud-check-us, namespace: risk}
spec:
  selector: {matchLabels: {app: fraud-check, site: us}}
  template:
    metadata:
      labels: {app: fraud-check, site: us, topology.istio.io/locality: eastus.eastus-1}
    spec:
      containers: [{name: fraud-check, image: "fraud-check:8"}]
---
apiVersion: v1
kind: Service
metadata: {name: fraud-check, namespace: risk}
spec:
  selector: {app: fraud-check}
  ports: [{name: grpc, port: 9000}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: fraud-check, namespace: risk}
spec:
  host: fraud-check
  subsets:
  - {name: oslo, labels: {site: oslo}}
  - {name: us, labels: {site: us}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: fraud-check, namespace: risk}
spec:
  hosts: [fraud-check]
  http:
  - name: score
    route:
    - destination: {host: fraud-check, subset: oslo}
      weight: 90
    - destination: {host: fraud-check, subset: us}
      weight: 10
    timeout: 800ms
```

```
$ fjord check payments.yaml
payments.yaml:97:15: error: [FJ4001] personal data from `payments/ledger` (norwayeast, NO) can reach `risk/fraud-check-us` in eastus (US), outside the allowed jurisdictions (EEA)
    8 |   - namespaces: [payments]
    9 |   allowedJurisdictions: [EEA]
      |   ^~~~~~~~~~~~~~~~~~~~ ResidencyPolicy `istio-system/personal-data-in-eea` allows EEA
   10 | ---
      :
   45 |         env:
   46 |         - {name: FRAUD_CHECK_URL, value: "http://fraud-check.risk:9000"}
      |                  ^~~~~~~~~~~~~~~ `payments/ledger` calls `fraud-check.risk.svc.cluster.local` (env `FRAUD_CHECK_URL`)
   47 | ---
      :
   65 |     metadata:
   66 |       labels: {app: fraud-check, site: us, topology.istio.io/locality: eastus.eastus-1}
      |                                            ^~~~~~~~~~~~~~~~~~~~~~~~~~ `risk/fraud-check-us` runs in `eastus/eastus-1` (pod label `topology.istio.io/locality`)
   67 |     spec:
      :
   91 |   http:
   92 |   - name: score
      |           ^~~~~ rule `score` of VirtualService `risk/fraud-check` routes the request
   93 |     route:
   94 |     - destination: {host: fraud-check, subset: oslo}
   95 |       weight: 90
   96 |     - destination: {host: fraud-check, subset: us}
      |                                                ^~ subset `us` of DestinationRule risk/fraud-check selects `site=us`
   97 |       weight: 10
      |               ^~
   98 |     timeout: 800ms
  note: the rule sends weight 10 to `fraud-check.risk.svc.cluster.local` subset `us`
  note: `US` has only a conditional adequacy decision: Commission Implementing Decision (EU) 2023/1795 (EU-US Data Privacy Framework) covers only recipients self-certified on the Department of Commerce Data Privacy Framework List; to rely on it, name `US` in `allowedJurisdictions` and attest it
  path: payments/ledger -> fraud-check.risk.svc.cluster.local:9000 (env `FRAUD_CHECK_URL`, line 46) -> VirtualService risk/fraud-check rule `score` -> weight 10 -> subset `us` -> Deployment risk/fraud-check-us -> locality eastus/eastus-1 -> region eastus (Virginia) -> US
1 error in 1 file (10 resources) in 11 ms
```

## How to fix

Route personal data only to workloads in the allowed jurisdictions: here, run the second fraud
check in `norwaywest` (Stavanger) instead of East US. Other fixes, by the hop that opens the path:
remove the mirror or point it at an in-region copy; make locality `failover` stay in the allowed
jurisdictions; use the S3 endpoint of an EEA region; set `outboundTrafficPolicy: REGISTRY_ONLY`
and declare each external host with a ServiceEntry. If the destination is lawful (an adequacy
decision you rely on, standard contractual clauses), name its country in `allowedJurisdictions`.

```yaml
# ... (unchanged lines elided)
apiVersion: apps/v1
kind: Deployment
metadata: {name: fraud-check-stavanger, namespace: risk}
spec:
# ...
metadata: {name: fraud-check-stavanger, namespace: risk}
spec:
  selector: {matchLabels: {app: fraud-check, site: stavanger}}
  template:
# ...
  template:
    metadata:
      labels: {app: fraud-check, site: stavanger, topology.istio.io/locality: norwaywest.norwaywest-1}
    spec:
# ...
  subsets:
  - {name: oslo, labels: {site: oslo}}
  - {name: stavanger, labels: {site: stavanger}}
---
# ...
    - destination: {host: fraud-check, subset: oslo}
      weight: 90
    - destination: {host: fraud-check, subset: stavanger}
      weight: 10
# ...
```

```
$ fjord check payments-fixed.yaml
no problems found in 1 file (10 resources) in 7 ms
```

## Compared with istioctl

No istioctl analyzer, nor Kiali, nor np-guard, looks at geography: locality settings are validated
for shape only (`failover` regions, `distribute` weights), and mirrors and egress hosts are not
followed at all.

## Silencing it

On the resource the finding points at, with an annotation (several codes separated by commas, or
`all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ4001"
```

For the whole run: `fjord check --disable FJ4001 mesh/`. `fjord residency mesh/` shows every
jurisdiction each data-bearing service can reach, allowed ones included.
"""####,
    "FJ4002": ####"""
# FJ4002: unknown-location

**Severity:** warning  
**Summary:** personal data can reach a place whose location cannot be established, so residency is not proved  
**Reported by:** the `residency` check (`Sources/FjordChecks/Checks/ResidencyCheck.swift`)

Personal data can reach a place that Fjord cannot put in a country, so the
[ResidencyPolicy](../residency.md) is not proved: it may hold, or not. Fjord locates workloads by
their `topology.istio.io/locality` label, their node's topology labels or the node labels their
placement pins them to, and ServiceEntry endpoints by their `locality`, all through the region
catalog `data/regions.yaml`. It locates external hosts only by names that say where they are
(`bucket.s3.eu-north-1.amazonaws.com`). It does not guess: a region the catalog does not know, an
AWS Local Zone it does not list (Local Zones can be abroad), an Azure Blob Storage or Google Cloud
Storage host (the name says the account, not the region), an IP address, a workload without any
locality, a Service whose endpoints are not among the inputs, and any other host name are
unknown. A country-code domain (`api.bank.no`) is not evidence either: it says where the name is
registered, not where the servers run.

## Example

`egress.yaml`: the ledger calls a bank's API, declared as an external ServiceEntry.

```yaml
apiVersion: fjord.dev/v1alpha1
kind: ResidencyPolicy
metadata:
  name: personal-data-in-eea
  namespace: istio-system
spec:
  personalData:
  - namespaces: [payments]
  allowedJurisdictions: [EEA]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |-
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
---
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels: {istio-injection: enabled}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: payments}
spec:
  selector: {matchLabels: {app: ledger}}
  template:
    metadata:
      labels: {app: ledger, topology.istio.io/locality: norwayeast.norwayeast-1}
    spec:
      containers:
      - name: ledger
        image: ledger:3.1
        env:
        - {name: BANK_URL, value: "https://api.bank.no/v2"}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: bank-api, namespace: payments}
spec:
  hosts: [api.bank.no]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{number: 443, name: tls, protocol: TLS}]
```

```
$ fjord check egress.yaml
egress.yaml:46:11: warning: [FJ4002] personal data from `payments/ledger` (norwayeast, NO) can reach `api.bank.no`, whose location cannot be established; residency is not proved
    8 |   - namespaces: [payments]
    9 |   allowedJurisdictions: [EEA]
      |   ^~~~~~~~~~~~~~~~~~~~ ResidencyPolicy `istio-system/personal-data-in-eea` allows EEA
   10 | ---
      :
   39 |         env:
   40 |         - {name: BANK_URL, value: "https://api.bank.no/v2"}
      |                  ^~~~~~~~ `payments/ledger` calls `api.bank.no` (env `BANK_URL`)
   41 | ---
      :
   45 | spec:
   46 |   hosts: [api.bank.no]
      |           ^~~~~~~~~~~
   47 |   location: MESH_EXTERNAL
  note: ServiceEntry `payments/bank-api` declares the external host `api.bank.no`
  note: nothing in the inputs or in the host name `api.bank.no` says where it is (a country-code domain such as `.no` says where a name is registered, not where its servers run)
  note: declare the location in the ResidencyPolicy's `locations` (`host:` or `region:` with `country:`), or give the endpoint a locality
  path: payments/ledger -> api.bank.no:443 (env `BANK_URL`, line 40) -> ServiceEntry payments/bank-api host api.bank.no -> unknown location
1 warning in 1 file (5 resources) in 16 ms
```

## How to fix

Say where it is. For an external host, declare its country in the policy's `locations` (the
declaration is yours: keep the reference to the contract that backs it), or give the
ServiceEntry endpoints a `locality` of a catalogued region; for a workload, give its pod template a
`topology.istio.io/locality` label or pin it with a `nodeSelector` on
`topology.kubernetes.io/region`; for a region of your own data centre, declare it with
`region:` and `country:`.

```yaml
# ... (unchanged lines elided)
  - namespaces: [payments]
  allowedJurisdictions: [EEA]
  locations:
  - host: api.bank.no
    country: "NO"
    reference: "Bank data processing agreement, 2025"
---
# ...
```

```
$ fjord check egress-fixed.yaml
no problems found in 1 file (5 resources) in 8 ms
```

## Compared with istioctl

Istio has no notion of where an endpoint is beyond its locality string; nothing checks it.

## Silencing it

On the resource the finding points at, with an annotation (several codes separated by commas, or
`all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ4002"
```

For the whole run: `fjord check --disable FJ4002 mesh/`.
"""####,
    "FJ4003": ####"""
# FJ4003: conditional-adequacy

**Severity:** warning (info when an attestation covers the recipient)  
**Summary:** a path of personal data relies on a conditional adequacy decision, such as the EU-US Data Privacy Framework  
**Reported by:** the `residency` check (`Sources/FjordChecks/Checks/ResidencyCheck.swift`)

The policy names a country whose adequacy decision covers only some recipients, and personal data
can reach a recipient there. The catalog (`data/regions.yaml`) marks two such countries
`adequacy-partial`: the United States (Commission Implementing Decision (EU) 2023/1795, the EU-US
Data Privacy Framework: only organisations self-certified on the Department of Commerce's DPF List)
and Canada (Decision 2002/2/EC: only recipients subject to PIPEDA). `adequacy` in
`allowedJurisdictions` does not include them; naming the country allows them conditionally.

The finding is a **warning** when no attestation of the policy covers the recipient, and an
**info** when one does (an attestation for the country whose `recipients` name the workload or
host, or are empty): the path relies on the attested condition, which someone has to keep true
(the DPF List entry must stay active; the Framework itself is under review, see the catalog's note).

## Example

`conditional.yaml`: the policy allows `US`, and 10 % of the fraud checks go to East US.

```yaml
apiVersion: fjord.dev/v1alpha1
kind: ResidencyPolicy
metadata:
  name: personal-data-in-eea
  namespace: istio-system
spec:
  personalData:
  - namespaces: [payments]
  allowedJurisdictions: [EEA, US]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |-
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
---
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels: {istio-injection: enabled}
---
apiVersion: v1
kind: Namespace
metadata:
  name: risk
  labels: {istio-injection: enabled}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: payments}
spec:
  selector: {matchLabels: {app: ledger}}
  template:
    metadata:
      labels: {app: ledger, topology.istio.io/locality: norwayeast.norwayeast-1}
    spec:
      containers:
      - name: ledger
        image: ledger:3.1
        env:
        - {name: FRAUD_CHECK_URL, value: "http://fraud-check.risk:9000"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: fraud-check, namespace: risk}
spec:
  selector: {matchLabels: {app: fraud-check, site: oslo}}
  template:
    metadata:
      labels: {app: fraud-check, site: oslo, topology.istio.io/locality: norwayeast.norwayeast-2}
    spec:
      containers: [{name: fraud-check, image: "fraud-check:7"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: fraud-check-us, namespace: risk}
spec:
  selector: {matchLabels: {app: fraud-check, site: us}}
  template:
    metadata:
      labels: {app: fraud-check, site: us, topology.istio.io/locality: eastus.eastus-1}
    spec:
      containers: [{name: fraud-check, image: "fraud-check:8"}]
---
apiVersion: v1
kind: Service
metadata: {name: fraud-check, namespace: risk}
spec:
  selector: {app: fraud-check}
  ports: [{name: grpc, port: 9000}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: fraud-check, namespace: risk}
spec:
  host: fraud-check
  subsets:
  - {name: oslo, labels: {site: oslo}}
  - {name: us, labels: {site: us}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: fraud-check, namespace: risk}
spec:
  hosts: [fraud-check]
  http:
  - name: score
    route:
    - destination: {host: fraud-check, subset: oslo}
      weight: 90
    - destination: {host: fraud-check, subset: us}
      weight: 10
    timeout: 800ms
```

```
$ fjord check conditional.yaml
conditional.yaml:97:15: warning: [FJ4003] personal data from `payments/ledger` (norwayeast, NO) can reach `risk/fraud-check-us` in eastus (US), allowed only under the conditional adequacy decision for `US`, and no attestation covers it
    8 |   - namespaces: [payments]
    9 |   allowedJurisdictions: [EEA, US]
      |   ^~~~~~~~~~~~~~~~~~~~ ResidencyPolicy `istio-system/personal-data-in-eea` allows EEA, US
   10 | ---
      :
   45 |         env:
   46 |         - {name: FRAUD_CHECK_URL, value: "http://fraud-check.risk:9000"}
      |                  ^~~~~~~~~~~~~~~ `payments/ledger` calls `fraud-check.risk.svc.cluster.local` (env `FRAUD_CHECK_URL`)
   47 | ---
      :
   65 |     metadata:
   66 |       labels: {app: fraud-check, site: us, topology.istio.io/locality: eastus.eastus-1}
      |                                            ^~~~~~~~~~~~~~~~~~~~~~~~~~ `risk/fraud-check-us` runs in `eastus/eastus-1` (pod label `topology.istio.io/locality`)
   67 |     spec:
      :
   91 |   http:
   92 |   - name: score
      |           ^~~~~ rule `score` of VirtualService `risk/fraud-check` routes the request
   93 |     route:
   94 |     - destination: {host: fraud-check, subset: oslo}
   95 |       weight: 90
   96 |     - destination: {host: fraud-check, subset: us}
      |                                                ^~ subset `us` of DestinationRule risk/fraud-check selects `site=us`
   97 |       weight: 10
      |               ^~
   98 |     timeout: 800ms
  note: the rule sends weight 10 to `fraud-check.risk.svc.cluster.local` subset `us`
  note: Commission Implementing Decision (EU) 2023/1795 (EU-US Data Privacy Framework) covers only recipients self-certified on the Department of Commerce Data Privacy Framework List
  note: add an attestation for `US` with mechanism `DataPrivacyFramework` whose `recipients` name the recipient
  path: payments/ledger -> fraud-check.risk.svc.cluster.local:9000 (env `FRAUD_CHECK_URL`, line 46) -> VirtualService risk/fraud-check rule `score` -> weight 10 -> subset `us` -> Deployment risk/fraud-check-us -> locality eastus/eastus-1 -> region eastus (Virginia) -> US
1 warning in 1 file (10 resources) in 15 ms
```

## How to fix

Check that the recipient is certified (for the US, on the DPF List) and attest it in the policy;
the finding becomes an info that documents the reliance. Or keep the data in the EEA.

```yaml
# ... (unchanged lines elided)
  - namespaces: [payments]
  allowedJurisdictions: [EEA, US]
  attestations:
  - jurisdiction: US
    mechanism: DataPrivacyFramework
    recipients: [risk/fraud-check-us]
    reference: "DPF List entry for Example Scoring Inc., checked 2026-01-12"
---
# ...
```

```
$ fjord check conditional-fixed.yaml
conditional-fixed.yaml:102:15: info: [FJ4003] personal data from `payments/ledger` (norwayeast, NO) can reach `risk/fraud-check-us` in eastus (US), allowed only under the conditional adequacy decision for `US`, which attestation 0 (`DataPrivacyFramework`) covers
     8 |   - namespaces: [payments]
     9 |   allowedJurisdictions: [EEA, US]
       |   ^~~~~~~~~~~~~~~~~~~~ ResidencyPolicy `istio-system/personal-data-in-eea` allows EEA, US
    10 |   attestations:
    11 |   - jurisdiction: US
       |     ^~~~~~~~~~~~~~~~ attestation 0: `DataPrivacyFramework`, reference `DPF List entry for Example Scoring Inc., checked 2026-01-12`
    12 |     mechanism: DataPrivacyFramework
       :
    70 |     metadata:
    71 |       labels: {app: fraud-check, site: us, topology.istio.io/locality: eastus.eastus-1}
       |                                            ^~~~~~~~~~~~~~~~~~~~~~~~~~ `risk/fraud-check-us` runs in `eastus/eastus-1` (pod label `topology.istio.io/locality`)
    72 |     spec:
       :
   100 |       weight: 90
   101 |     - destination: {host: fraud-check, subset: us}
       |                                                ^~ subset `us` of DestinationRule risk/fraud-check selects `site=us`
   102 |       weight: 10
       |               ^~
   103 |     timeout: 800ms
  note: the rule sends weight 10 to `fraud-check.risk.svc.cluster.local` subset `us`
  note: Commission Implementing Decision (EU) 2023/1795 (EU-US Data Privacy Framework) covers only recipients self-certified on the Department of Commerce Data Privacy Framework List
  path: payments/ledger -> fraud-check.risk.svc.cluster.local:9000 -> VirtualService risk/fraud-check rule `score` -> weight 10 -> subset `us` -> Deployment risk/fraud-check-us -> locality eastus/eastus-1 -> region eastus (Virginia) -> US
1 info in 1 file (10 resources) in 9 ms
```

## Compared with istioctl

Nothing in Istio's tooling knows about adequacy decisions.

## Silencing it

On the resource the finding points at, with an annotation (several codes separated by commas, or
`all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ4003"
```

For the whole run: `fjord check --disable FJ4003 mesh/`.
"""####,
    "FJ4004": ####"""
# FJ4004: invalid-residency-policy

**Severity:** error (warning for problems that do not change what is allowed)  
**Summary:** a ResidencyPolicy names an unknown jurisdiction, misapplies an attestation or selects nothing  
**Reported by:** the `invalid-residency-policy` check (`Sources/FjordChecks/Checks/ResidencyPolicyCheck.swift`)

A [ResidencyPolicy](../residency.md) that cannot mean what its author wants:

- an unknown jurisdiction in `allowedJurisdictions` or an attestation (error): `UK` (ISO 3166-1
  says `GB`), `EL` (`GR`), `EU` (use `EEA`, which is the EU plus Iceland, Liechtenstein and Norway),
  or any word that is neither `EEA`, `adequacy` nor a two-letter code;
- an attestation mechanism that does not fit the country (error): the Data Privacy Framework is the
  United States', PIPEDA Canada's;
- a declared location whose `country` is not an ISO 3166-1 alpha-2 code, or that has neither
  `region` nor `host` (error);
- an attestation for a country the policy does not name, or names without needing it (warning: it
  has no effect);
- a declared region whose country contradicts the catalog (warning: the declaration wins);
- a `personalData` entry that selects no workload, or a `namespaces` entry outside the scope of a
  policy that is not in the root namespace (warning).

## Example

`policy.yaml`:

```yaml
apiVersion: fjord.dev/v1alpha1
kind: ResidencyPolicy
metadata:
  name: personal-data-in-eea
  namespace: istio-system
spec:
  personalData:
  - namespaces: [payments]
  allowedJurisdictions: [EEA, UK]
  locations:
  - host: api.bank.no
    country: "NO"
    reference: "Bank data processing agreement, 2025"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |-
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
---
apiVersion: v1
kind: Namespace
metadata:
  name: payments
  labels: {istio-injection: enabled}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ledger, namespace: payments}
spec:
  selector: {matchLabels: {app: ledger}}
  template:
    metadata:
      labels: {app: ledger, topology.istio.io/locality: norwayeast.norwayeast-1}
    spec:
      containers:
      - name: ledger
        image: ledger:3.1
        env:
        - {name: BANK_URL, value: "https://api.bank.no/v2"}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: bank-api, namespace: payments}
spec:
  hosts: [api.bank.no]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{number: 443, name: tls, protocol: TLS}]
```

```
$ fjord check policy.yaml
policy.yaml:9:31: error: [FJ4004] unknown jurisdiction `UK` in `allowedJurisdictions`
    8 |   - namespaces: [payments]
    9 |   allowedJurisdictions: [EEA, UK]
      |                               ^~
   10 |   locations:
  note: did you mean `GB`?
  note: fjord knows `EEA` (the EU plus Iceland, Liechtenstein and Norway), `adequacy` (every full adequacy decision) and the ISO 3166-1 codes of data/regions.yaml
1 error in 1 file (5 resources) in 5 ms
```

## How to fix

Use the ISO code.

```yaml
# ... (unchanged lines elided)
  personalData:
  - namespaces: [payments]
  allowedJurisdictions: [EEA, GB]
  locations:
# ...
```

```
$ fjord check policy-fixed.yaml
no problems found in 1 file (5 resources) in 5 ms
```

## Compared with istioctl

The ResidencyPolicy is Fjord's own kind; Istio does not read it.

## Silencing it

On the ResidencyPolicy, with an annotation (several codes separated by commas, or `all`):

```yaml
metadata:
  annotations:
    fjord.dev/ignore: "FJ4004"
```

For the whole run: `fjord check --disable FJ4004 mesh/`.
"""####,
    "FJ5001": ####"""
# FJ5001: split-automaton

**Severity:** info  
**Summary:** a virtual host's conditions on one attribute do not fit one automaton and are tested by several  
**Reported by:** `fjord compile` (`Sources/FjordDecision/RouteCompiler.swift`)

The compiler classifies each request attribute (the path, a header, ...) with one automaton over
all the conditions a virtual host puts on it, so lookup reads the value once. When the automaton
for all of them would exceed its state budget (50,000 states; regexes such as `(a|b)*a(a|b){12}`
grow exponentially), the conditions are split over several automata and lookup runs each. The
table stays exact; lookup of that host costs one more pass over the value per extra automaton.

## Example

```
$ fjord compile mesh/ -o mesh.fjt
info: [FJ5001] the path conditions of `many.default.svc.cluster.local` are split over several automata; lookup tests each
```

## How to fix

Nothing is wrong. To avoid the extra passes, simplify the regexes (RE2 patterns with bounded
repetition of alternations are the usual cause).
"""####,
    "FJ5002": ####"""
# FJ5002: uncompilable-routes

**Severity:** error  
**Summary:** the routes of a virtual host cannot be compiled within the table's limits  
**Reported by:** `fjord compile` (`Sources/FjordDecision/MeshCompiler.swift`)

A single condition needs more than 200,000 automaton states, or the decision diagrams of a
virtual host exceed 2,000,000 nodes. The host is compiled with no rules (every request gets 404)
and the compiler reports it as an error, so `fjord compile` refuses to write the image unless
`--force` is given. No pattern within Istio's own regex limits is known to reach it.

## How to fix

Simplify the regular expression the finding names, or split the VirtualService.
"""####,
    "FJ5003": ####"""
# FJ5003: invalid-table-image

**Severity:** error  
**Summary:** a table image that is truncated, corrupted or of another format version  
**Reported by:** `fjord explain --tables` and `fjord-proxy` (`Sources/FjordTable/ImageValidator.swift`)

Table images carry a magic number, a format version, a section table and a CRC-32C checksum over
the whole image; loading validates every section, index, offset, string and automaton before use.
An image that fails is refused with the reason and, where it applies, the byte offset. The proxy
keeps serving its last good image.

## Example

```
$ fjord explain --tables corrupt.fjt --workload shop/checkout --request http://cart.shop/
fjord: error: [FJ5003] `corrupt.fjt` is not a valid table image: table image checksum mismatch: stored 0xce21f000, computed 0x415c7771 (at byte 24)
```

## How to fix

Recompile with `fjord compile`; compare the file's size with the one the compiler printed.
"""####,
]
