#!/usr/bin/env python3
"""Runs the proxy benchmark of docs/performance.md ("Proxy"); started by scripts/bench-proxy.sh.

Setup (../shared/reference/performance-anchors.md): wrk on CPU 0; the upstream (nginx, one
worker, `return 200`) and the proxy under test on CPU 1; everything at nice -20 when allowed.
Medians of RUNS runs of DURATION seconds. Proxy CPU per request: utime+stime from
/proc/PID/stat over the run divided by the requests wrk counted.

The script does not trust what it measures: each port it loads must be listened on by the
process it launched and by no other (a port already taken before the start is refused), every
target must answer with the upstream's body, and every CPU reading must be non-zero. Otherwise
it stops with the reason and prints no figure or ratio (a quick run on a machine where another
nginx already listened once printed 0.0 us of CPU per request).
"""
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build-bench")
DURATION = int(os.environ.get("DURATION", "10"))
RUNS = int(os.environ.get("RUNS", "2"))
ROUTES = [int(x) for x in os.environ.get("ROUTES", "1,1000,10000").split(",") if x]
TARGETS = os.environ.get("TARGETS", "direct,nginx,Envoy,fjord-proxy").split(",")
SCRATCH = os.path.join(ROOT, os.environ.get("SCRATCH", ".build"))
FJORD = os.path.join(SCRATCH, "release/fjord")
FJORD_PROXY = os.path.join(SCRATCH, "release/fjord-proxy")
ENVOY = os.path.join(BENCH, "venv/bin/envoy")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HZ = os.sysconf("SC_CLK_TCK")
UPSTREAM, NGINX_PROXY, FJORD_PORT, FJORD_ADMIN, ENVOY_PORT, ENVOY_ADMIN = 18080, 18081, 18082, 18083, 18084, 18085
HOST = "reviews.shop:8080"

procs = []
UPSTREAM_BODY = b"hello from upstream\n"


class Refused(Exception):
    """A measurement that cannot be trusted: no figures are printed."""


def listening_inodes(port):
    """Socket inodes listening on 127.0.0.1/0.0.0.0/:: at `port` (from /proc/net/tcp{,6})."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    local, state, inode = parts[1], parts[3], parts[9]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.add(inode)
        except FileNotFoundError:
            pass
    return inodes


def port_owners(port):
    """The pids holding a listening socket on `port`."""
    inodes = listening_inodes(port)
    owners = set()
    if not inodes:
        return owners
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    owners.add(int(pid))
        except (PermissionError, FileNotFoundError):
            continue
    return owners


def require_free(port, what):
    owners = port_owners(port)
    if listening_inodes(port) or owners:
        raise Refused(f"port {port} ({what}) is already listened on by pid(s) {sorted(owners) or '?'} "
                      f"before the benchmark started it")


def require_owner(port, proc, what):
    """`port` is listened on by `proc` (the process this script launched) and nothing else."""
    if proc.poll() is not None:
        raise Refused(f"{what} (pid {proc.pid}) exited (code {proc.returncode})")
    owners = port_owners(port)
    if owners != {proc.pid}:
        raise Refused(f"port {port} is listened on by pid(s) {sorted(owners)}, not only by the {what} "
                      f"this script launched (pid {proc.pid})")


def require_upstream_body(port, path, what):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST})
    with urllib.request.urlopen(req, timeout=5) as r:
        body = r.read()
    if body != UPSTREAM_BODY:
        raise Refused(f"{what} on port {port} answered {body[:80]!r}, not the upstream's {UPSTREAM_BODY!r}")


def nice_prefix(cpu):
    p = ["taskset", "-c", str(cpu)]
    if os.geteuid() == 0:
        p += ["nice", "-n", "-20"]
    return p


def start(cmd, cpu, **kw):
    p = subprocess.Popen(nice_prefix(cpu) + cmd, stdout=subprocess.DEVNULL, stderr=kw.pop("stderr", subprocess.DEVNULL), **kw)
    procs.append(p)
    return p


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def cleanup(*_):
    for p in procs:
        stop(p)
    sys.exit(1)


signal.signal(signal.SIGINT, cleanup)
signal.signal(signal.SIGTERM, cleanup)


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wait_http(url, headers=None, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            req = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(req, timeout=1) as r:
                if r.status == 200:
                    return True
        except Exception:
            time.sleep(0.002)
    raise RuntimeError(f"{url} did not answer 200 within {timeout} s")


def to_us(s):
    m = re.match(r"([\d.]+)(us|ms|s)", s)
    v = float(m.group(1))
    return v * {"us": 1, "ms": 1000, "s": 1e6}[m.group(2)]


def wrk(port, conns, path, pid=None):
    """One wrk run: req/s, p50 us, p99 us, proxy CPU us per request."""
    check = checks.get(port)
    if check:
        check()
    before = cpu_ticks(pid) if pid else 0
    out = subprocess.run(nice_prefix(0) + ["wrk", "-t1", f"-c{conns}", f"-d{DURATION}s", "--latency", "-H", f"Host: {HOST}",
                                           f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    after = cpu_ticks(pid) if pid else 0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    n = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = to_us(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_us(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{errors.group(1)} failed responses on port {port}{path}")
    if pid and after == before:
        raise Refused(f"no CPU time was read for pid {pid} over {n} requests on port {port}: "
                      f"it is not what served them")
    if n == 0:
        raise Refused(f"wrk counted no requests on port {port}")
    if check:
        check()
    cpu = (after - before) / HZ * 1e6 / n if pid else None
    return rps, p50, p99, cpu


# port -> the check run before and after each load on it (owner, body)
checks = {}


def launched(port, proc, what, path):
    """Registers (and runs once) the checks for a port this script launched `proc` on."""
    def check():
        require_owner(port, proc, what)
        require_upstream_body(port, path, what)
    checks[port] = check
    check()


def measure(port, conns, path, pid=None):
    runs = [wrk(port, conns, path, pid) for _ in range(RUNS)]
    med = lambda i: statistics.median(r[i] for r in runs) if runs[0][i] is not None else None
    return med(0), med(1), med(2), med(3)


# MARK: configurations

def nginx_conf(name, body):
    path = os.path.join(BENCH, f"{name}.conf")
    with open(path, "w") as f:
        f.write(f"""worker_processes 1;
daemon off;
master_process off;
pid {BENCH}/{name}.pid;
error_log {BENCH}/{name}.err;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_timeout 300s;
  keepalive_requests 10000000;
{body}
}}
""")
    return path


def envoy_conf(routes):
    path = os.path.join(BENCH, f"envoy-{routes}.yaml")
    rs = "\n".join(f"""              - match: {{prefix: "/svc{k}/"}}
                route: {{cluster: upstream}}""" for k in range(routes))
    with open(path, "w") as f:
        f.write(f"""admin:
  address: {{socket_address: {{address: 127.0.0.1, port_value: {ENVOY_ADMIN}}}}}
static_resources:
  listeners:
  - name: main
    address: {{socket_address: {{address: 127.0.0.1, port_value: {ENVOY_PORT}}}}}
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: ingress
          generate_request_id: false
          route_config:
            virtual_hosts:
            - name: all
              domains: ["*"]
              routes:
{rs}
          http_filters:
          - name: envoy.filters.http.router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
  - name: upstream
    type: STATIC
    load_assignment:
      cluster_name: upstream
      endpoints:
      - lb_endpoints:
        - endpoint: {{address: {{socket_address: {{address: 127.0.0.1, port_value: {UPSTREAM}}}}}}}
""")
    return path


def mesh_yaml(routes):
    y = """apiVersion: v1
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
    port: 8080
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
"""
    for k in range(routes):
        y += f"  - name: r{k}\n    match:\n    - uri:\n        prefix: /svc{k}/\n    route:\n    - destination:\n        host: reviews\n"
    return y


def table(routes):
    out = os.path.join(BENCH, f"routes-{routes}.fjt")
    if not os.path.exists(out):
        src = os.path.join(BENCH, f"routes-{routes}.yaml")
        with open(src, "w") as f:
            f.write(mesh_yaml(routes))
        # The generated rules have no timeout: one FJ2104 warning each, kept out of the report.
        log = os.path.join(BENCH, f"routes-{routes}.compile.log")
        with open(log, "w") as f:
            done = subprocess.run([FJORD, "compile", src, "-o", out], stdout=f, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            sys.exit(f"fjord compile of {routes} routes failed (exit {done.returncode}); see {log}")
    return out


def endpoints_file():
    path = os.path.join(BENCH, "endpoints.yaml")
    with open(path, "w") as f:
        f.write(f"services:\n- host: reviews.shop.svc.cluster.local\n  port: 8080\n  endpoints:\n  - address: 127.0.0.1:{UPSTREAM}\n")
    return path


def start_fjord(routes):
    image = table(routes)  # compiled (once) before the clock starts
    require_free(FJORD_PORT, "fjord-proxy")
    require_free(FJORD_ADMIN, "fjord-proxy admin")
    t0 = time.time()
    p = start([FJORD_PROXY, "run", "--tables", image, "--workload", "shop/client", "--outbound", f"127.0.0.1:{FJORD_PORT}",
               "--admin", f"127.0.0.1:{FJORD_ADMIN}", "--endpoints", endpoints_file(), "--access-log", "off", "--threads", "1"], 1)
    wait_http(f"http://127.0.0.1:{FJORD_ADMIN}/ready")
    ready_ms = (time.time() - t0) * 1000
    launched(FJORD_PORT, p, "fjord-proxy", f"/svc{routes - 1}/x")
    return p, ready_ms


def start_envoy(routes):
    conf = envoy_conf(routes)
    require_free(ENVOY_PORT, "Envoy")
    require_free(ENVOY_ADMIN, "Envoy admin")
    t0 = time.time()
    p = start([ENVOY, "-c", conf, "--concurrency", "1", "--log-level", "error", "--base-id", "7"], 1)
    wait_http(f"http://127.0.0.1:{ENVOY_PORT}/svc{routes - 1}/x", {"Host": HOST}, timeout=60)
    ready = (time.time() - t0) * 1000
    launched(ENVOY_PORT, p, "Envoy", f"/svc{routes - 1}/x")
    return p, ready


def nginx_worker(master):
    # master_process off: the process is the worker.
    return master.pid


def fmt(v, nd=0):
    return "-" if v is None else f"{v:,.{nd}f}"


def main():
    print(f"# fjord-proxy benchmark: wrk -t1 -d{DURATION}s, median of {RUNS} runs, "
          f"wrk on CPU 0, upstream and proxy on CPU 1\n", flush=True)
    require_free(UPSTREAM, "upstream nginx")
    require_free(NGINX_PROXY, "nginx proxy")
    up = start([NGINX, "-c", nginx_conf("upstream", f'  server {{ listen 127.0.0.1:{UPSTREAM} backlog=4096; '
                                                      f'location / {{ return 200 "hello from upstream\\n"; }} }}')], 1)
    wait_http(f"http://127.0.0.1:{UPSTREAM}/")
    launched(UPSTREAM, up, "upstream nginx", "/svc0/x")
    ngx = start([NGINX, "-c", nginx_conf("nginx-proxy", f"""  upstream up {{ server 127.0.0.1:{UPSTREAM}; keepalive 64; keepalive_requests 10000000; }}
  server {{ listen 127.0.0.1:{NGINX_PROXY} backlog=4096;
    location / {{ proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; }} }}""")], 1)
    wait_http(f"http://127.0.0.1:{NGINX_PROXY}/")
    launched(NGINX_PROXY, ngx, "nginx proxy", "/svc0/x")
    if os.environ.get("SKIP_HOP"):
        routes_section()
        stop(ngx)
        stop(up)
        return
    envoy, _ = start_envoy(1)
    fjord, fjord_ready = start_fjord(1)
    fjord_idle = rss_mib(fjord.pid)

    rows = []
    direct = {}
    path = "/svc0/x"
    for conns in (1, 16):
        for name, port, pid in (("direct", UPSTREAM, None), ("nginx", NGINX_PROXY, nginx_worker(ngx)),
                                ("Envoy", ENVOY_PORT, envoy.pid), ("fjord-proxy", FJORD_PORT, fjord.pid)):
            if name not in TARGETS and name != "direct":
                continue
            rps, p50, p99, cpu = measure(port, conns, path, pid)
            if name == "direct":
                direct[conns] = (p50, p99)
            rows.append((conns, name, rps, p50, p99, cpu))
            print(f"  c{conns} {name}: {rps:,.0f} req/s, p50 {p50:.0f} us, p99 {p99:.0f} us"
                  + (f", {cpu:.1f} us CPU/req" if cpu is not None else ""), file=sys.stderr, flush=True)

    print("## Hop overhead\n")
    print("| load | target | req/s | p50 / p99 us | added p50 / p99 us | proxy CPU us/req | fjord-proxy ratio (req/s, CPU) |")
    print("|---|---|---|---|---|---|---|")
    fj = {c: r for r in rows if r[1] == "fjord-proxy" for c in [r[0]]}
    if not fj:
        fj = {c: (c, "", 1, 0, 0, 1) for c in (1, 16)}
    for conns, name, rps, p50, p99, cpu in rows:
        d50, d99 = direct[conns]
        added = "-" if name == "direct" else f"+{p50 - d50:.0f} / +{p99 - d99:.0f}"
        f = fj[conns]
        ratio = "-" if name in ("direct", "fjord-proxy") else f"{f[2] / rps:.2f}x, {f[5] / cpu:.2f}x" if cpu else "-"
        print(f"| c{conns} | {name} | {rps:,.0f} | {p50:.0f} / {p99:.0f} | {added} | {fmt(cpu, 1)} | {ratio} |")
    fjord_loaded = rss_mib(fjord.pid)
    envoy_loaded = rss_mib(envoy.pid)
    print(f"\nRSS after this load: fjord-proxy {fjord_loaded:.1f} MiB (idle {fjord_idle:.1f} MiB), "
          f"Envoy {envoy_loaded:.1f} MiB, nginx worker {rss_mib(nginx_worker(ngx)):.1f} MiB.")
    stop(envoy)
    stop(fjord)
    stop(ngx)
    routes_section()
    stop(up)


def routes_section():
    print("\n## Route-table size (request matches the last route)\n")
    print("| routes | target | c1 req/s | c1 p50 / p99 us | c16 req/s | CPU us/req (c16) | RSS idle / after load MiB | ready ms |")
    print("|---|---|---|---|---|---|---|---|")
    for n in ROUTES:
        for name in ("Envoy", "fjord-proxy"):
            p, ready = start_envoy(n) if name == "Envoy" else start_fjord(n)
            idle = rss_mib(p.pid)
            last = f"/svc{n - 1}/x"
            port = ENVOY_PORT if name == "Envoy" else FJORD_PORT
            r1 = measure(port, 1, last, p.pid)
            r16 = measure(port, 16, last, p.pid)
            loaded = rss_mib(p.pid)
            print(f"| {n:,} | {name} | {r1[0]:,.0f} | {r1[1]:.0f} / {r1[2]:.0f} | {r16[0]:,.0f} | {fmt(r16[3], 1)} | {idle:.1f} / {loaded:.1f} | {ready:.0f} |",
                  flush=True)
            stop(p)


if __name__ == "__main__":
    try:
        main()
    except Refused as e:
        print(f"\nbench-proxy: refused to report: {e}", file=sys.stderr)
        sys.exit(2)
    finally:
        for p in procs:
            stop(p)
