# Reads the text output of `swift package benchmark` (Benchmarks/, see scripts/bench.sh) and
# prints one summary table: table lookup next to the naive evaluator per rule count, check next
# to the bare libyaml scan, compile time and image sizes, each against its issue target.
#
# Figures are p50 unless marked; times are normalised to ns/us/ms from the unit in each metric's
# label. POSIX awk (mawk and gawk): no gensub, no asort.

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }

# The factor that turns a value shown under `label` into a base unit (ns for times, 1 for counts).
function factor(label,    f) {
    f = 1
    if (label ~ /\(ns\)/) f = 1
    else if (label ~ /\(μs\)|\(us\)/) f = 1e3
    else if (label ~ /\(ms\)/) f = 1e6
    else if (label ~ /\(s\)/) f = 1e9
    if (label ~ /\(K\)/) f *= 1e3
    else if (label ~ /\(M\)/) f *= 1e6
    else if (label ~ /\(G\)/) f *= 1e9
    return f
}

# The metric's name without units and markers: "Time (wall clock) (ns) *" -> "Time (wall clock)".
function key(label) {
    sub(/ \*$/, "", label)
    while (label ~ / \((ns|μs|us|ms|s|K|M|G|#|# \/ s|x)\)$/) sub(/ \([^()]*\)$/, "", label)
    return label
}

BEGIN { FS = "│"; bench = ""; prev = "" }

/^╒/ { bench = prev; next }
/^│/ && bench != "" {
    label = trim($2)
    if (label == "Metric") next
    k = key(label); f = factor(label)
    p50[bench, k] = trim($5) * f
    p100[bench, k] = trim($9) * f
    p0[bench, k] = trim($3) * f
    seen[bench, k] = 1
    next
}
/^╘/ { bench = ""; next }
{ line = trim($0); if (line != "") prev = line }

function has(b, k) { return ((b, k) in seen) }
function fmt(v, unit,    d) {
    if (unit == "ns") return sprintf("%.0f ns", v)
    if (unit == "us") { d = v / 1e3; return d < 10 ? sprintf("%.2f us", d) : sprintf("%.0f us", d) }
    if (unit == "ms") { d = v / 1e6; return d < 10 ? sprintf("%.2f ms", d) : sprintf("%.0f ms", d) }
    if (unit == "s") return sprintf("%.2f s", v / 1e9)
    return v
}
# A per-operation time in a readable unit.
function t(v) { return v < 1e4 ? fmt(v, "ns") : (v < 1e7 ? fmt(v, "us") : fmt(v, "ms")) }
# " (cpu N ms)" for a benchmark that measured CPU time.
function cpu(b) { return has(b, "Time (total CPU)") ? sprintf(" (cpu %s)", fmt(p50[b, "Time (total CPU)"], "ms")) : "" }
function verdict(ok) { return ok ? "met" : "NOT met" }
function na() { return "n/a" }

END {
    wall = "Time (wall clock)"; malloc = "Malloc (total)"; exact = "lookup mallocs per 1000"; ten = "vs 10 rules x100"
    print ""
    print "================================================================================"
    print "Fjord benchmark summary (p50; ratios measured in one process where marked *)"
    print "================================================================================"
    print ""
    print "Lookup: one host, N rules cycling uri prefix / uri exact / header exact / uri regex"
    printf "%-7s %-11s %-11s %-11s %-12s %-12s %-14s %-14s %-12s\n", "rules", "table first", "table last", "vs 10 rules*", "naive first", "naive last", "naive/table*", "table mallocs", "naive mallocs"
    printf "%-7s %-11s %-11s %-11s %-12s %-12s %-14s %-14s %-12s\n", "", "", "", "first/last", "", "", "first / last", "per 1,000", "per decide"
    n = split("10 100 1000 10000", counts, " ")
    maxAllocs = -1
    for (i = 1; i <= n; i++) {
        r = counts[i]
        tf = "table " r " rules first"; tl = "table " r " rules last"
        nf = "naive " r " rules first"; nl = "naive " r " rules last"
        a = "n/a"
        if (has(tl, exact) || has(tf, exact)) {
            m = p100[tl, exact]; if (p100[tf, exact] > m) m = p100[tf, exact]
            a = m " (max)"
            if (m > maxAllocs) maxAllocs = m
        }
        sp = (has(tf, "naive/table") ? p50[tf, "naive/table"] "x" : na()) " / " (has(tl, "naive/table") ? p50[tl, "naive/table"] "x" : na())
        na_ = has(nl, malloc) ? p50[nl, malloc] : na()
        vs = (has(tf, ten) ? sprintf("%.2f", p50[tf, ten] / 100) : na()) "/" (has(tl, ten) ? sprintf("%.2f", p50[tl, ten] / 100) : na())
        printf "%-7s %-11s %-11s %-11s %-12s %-12s %-14s %-14s %-12s\n", r, \
            has(tf, wall) ? t(p50[tf, wall]) : na(), has(tl, wall) ? t(p50[tl, wall]) : na(), vs, \
            has(nf, wall) ? t(p50[nf, wall]) : na(), has(nl, wall) ? t(p50[nl, wall]) : na(), sp, a, na_
    }
    print "  (vs 10 rules: this table's time over the 10-rule table's, timed back to back each iteration)"
    print "  (table mallocs: the largest exact count in one iteration of 1,000 lookups; the target is 0)"
    print ""
    print "Check and compile: generated mesh, `fjord generate --services N --seed 1`"
    c = "check 2000 services"; cw = "check 2000 services warm caches"; s = "scan 2000 services"
    if (has(c, wall)) {
        printf "  fjord check, 2,000 services (cold caches)     %s%s\n", fmt(p50[c, wall], "ms"), cpu(c)
        printf "    stages: read %s, parse %s, decode %s, resolve %s, checks %s\n", \
            fmt(p50[c, "stage read"], "ms"), fmt(p50[c, "stage parse"], "ms"), fmt(p50[c, "stage decode"], "ms"), \
            fmt(p50[c, "stage resolve"], "ms"), fmt(p50[c, "stage check"], "ms")
    }
    if (has(cw, wall)) printf "  fjord check, 2,000 services (warm caches)     %s%s\n", fmt(p50[cw, wall], "ms"), cpu(cw)
    if (has(s, wall)) printf "  bare libyaml event scan of the same bytes     %s%s\n", fmt(p50[s, wall], "ms"), cpu(s)
    if (has(c, "check/scan x100")) printf "  check / bare scan*                            %.1fx\n", p50[c, "check/scan x100"] / 100
    cc = "compile 2000 services"; cs = "compile stage 2000 services"; c2 = "compile 200 services"
    if (has(cc, wall)) printf "  fjord compile, 2,000 services                 %s%s, of which decision compile + image %s\n", fmt(p50[cc, wall], "ms"), cpu(cc), fmt(p50[cc, "stage compile"], "ms")
    if (has(cs, wall)) printf "  decision compile + image alone, 2,000         %s%s\n", fmt(p50[cs, wall], "ms"), cpu(cs)
    if (has(c2, wall)) printf "  fjord compile, 200 services                   %s%s\n", fmt(p50[c2, wall], "ms"), cpu(c2)
    print "  (cpu: CPU time of the run; wall well above it means the run waited for a shared vCPU)"
    if (has(cc, "image bytes")) printf "  image bytes: 200 services %d, 2,000 services %d, ratio* %.2fx\n", p50[cc, "image bytes at 200 services"], p50[cc, "image bytes"], p50[cc, "image 2000/200 x100"] / 100
    print ""
    print "Targets"
    tl = "table 10000 rules last"
    if (has(tl, wall)) printf "  lookup at 10,000 rules < 300 ns               %-10s %s\n", t(p50[tl, wall]), verdict(p50[tl, wall] < 300)
    if (has(tl, ten)) printf "  10,000 rules within 1.5x of 10 rules (last)* %-10s %s\n", sprintf("%.2fx", p50[tl, ten] / 100), verdict(p50[tl, ten] <= 150)
    if (maxAllocs >= 0) printf "  zero allocations per lookup (per 1,000, max) %-10s %s\n", maxAllocs, verdict(maxAllocs == 0)
    if (has(c, wall)) printf "  check of 2,000 services < 2 s                %-10s %s\n", fmt(p50[c, wall], "s"), verdict(p50[c, wall] < 2e9)
    if (has(c, "check/scan x100")) printf "  check within 4x of the bare scan             %-10s %s\n", sprintf("%.1fx", p50[c, "check/scan x100"] / 100), verdict(p50[c, "check/scan x100"] <= 400)
    if (has(cc, wall)) printf "  compile of 2,000 services < 3 s              %-10s %s\n", fmt(p50[cc, wall], "s"), verdict(p50[cc, wall] < 3e9)
    if (has(cc, "image 2000/200 x100")) printf "  image 2,000 vs 200 services within 12x       %-10s %s\n", sprintf("%.2fx", p50[cc, "image 2000/200 x100"] / 100), verdict(p50[cc, "image 2000/200 x100"] <= 1200)
    print ""
}
