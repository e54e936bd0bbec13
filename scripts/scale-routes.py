#!/usr/bin/env python3
# One VirtualService of N rules for the scaling figures in docs/performance.md ("The verifier at
# scale"): python3 scripts/scale-routes.py KIND N > routes.yaml, KIND one of prefix (overlapping
# /p1, /p10, ...), disjoint (/p1/, /p10/, ...), exact, header, mix, regexmix, rx25 (one
# '.*x.{25}' rule), rxab (N rules '.*N(a|b)*a(a|b){12}'), hdrrx (N header rules 'vN.*').
import sys
kind, n = sys.argv[1], int(sys.argv[2])
out = ["apiVersion: networking.istio.io/v1", "kind: VirtualService", "metadata:", "  name: big", "  namespace: default", "spec:", "  hosts:", "  - big.default.svc.cluster.local", "  http:"]
def rule(i, match):
    out.append(f"  - name: r{i}")
    out.append("    match:")
    out.extend(match)
    out.append("    route:")
    out.append("    - destination:")
    out.append("        host: big.default.svc.cluster.local")
    out.append("    timeout: 2s")
for i in range(1, n+1):
    if kind == "prefix":
        m = [f"    - uri:", f"        prefix: /p{i}"]
    elif kind == "disjoint":
        m = [f"    - uri:", f"        prefix: /p{i}/"]
    elif kind == "exact":
        m = [f"    - uri:", f"        exact: /p{i}"]
    elif kind == "header":
        m = [f"    - headers:", f"        x-user:", f"          exact: u{i}"]
    elif kind == "mix":
        k = i % 4
        if k == 0: m = [f"    - uri:", f"        prefix: /p{i}/"]
        elif k == 1: m = [f"    - uri:", f"        exact: /e{i}"]
        elif k == 2: m = [f"    - headers:", f"        x-user:", f"          exact: u{i}"]
        else: m = [f"    - uri:", f"        prefix: /q{i}", f"      headers:", f"        x-ver:", f"          prefix: v{i}"]
    elif kind == "regexmix":
        k = i % 4
        if k == 0: m = [f"    - uri:", f"        prefix: /p{i}/"]
        elif k == 1: m = [f"    - uri:", f"        exact: /e{i}"]
        elif k == 2: m = [f"    - headers:", f"        x-user:", f"          exact: u{i}"]
        else: m = [f"    - uri:", f"        regex: /r{i}/[a-z]+"]
    elif kind == "rx25":
        m = [f"    - uri:", f"        regex: '.*x.{{25}}'"] if i == 1 else [f"    - uri:", f"        prefix: /p{i}/"]
    elif kind == "rxab":
        m = [f"    - uri:", f"        regex: '.*{i}(a|b)*a(a|b){{12}}'"]
    elif kind == "hdrrx":
        m = [f"    - headers:", f"        x-version:", f"          regex: 'v{i}.*'"]
    rule(i, m)
print("\n".join(out))
