// The parser differential at scale: `fjord-http1-differential [COUNT] [SEED]` (default 1,000,000
// messages, seed 0x5EED8). Build it in release (`swift build -c release --product
// fjord-http1-differential`); docs/performance.md records a run. Exits 1 on any disagreement.
import _FjordHTTP1Oracle

#if canImport(Glibc)
    import Glibc
#endif

let args = CommandLine.arguments
let count = args.count > 1 ? Int(args[1]) ?? 1_000_000 : 1_000_000
let seed = args.count > 2 ? UInt64(args[2]) ?? 0x5EED_8 : 0x5EED_8
let batch = 50_000
var total = GeneratedRun()
var done = 0
var start = timespec()
clock_gettime(CLOCK_MONOTONIC, &start)
while done < count {
    let n = min(batch, count - done)
    // Each batch its own seed, derived from the run's, so a finding names a reproducible batch.
    let r = runGenerated(count: n, seed: seed &+ UInt64(done))
    total.accepted += r.accepted
    total.refused += r.refused
    for (k, v) in r.stricter { total.stricter[k, default: 0] += v }
    total.disagreements += r.disagreements.map { "batch seed \(seed &+ UInt64(done)): \($0)" }
    done += n
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    let s = Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
    print("\(done) messages, \(total.disagreements.count) disagreements, \(Int(s)) s")
}
print("accepted by both: \(total.accepted), refused by both: \(total.refused)")
print("stricter than NIO (listed reasons): \(total.stricter.sorted { $0.key < $1.key })")
for d in total.disagreements.prefix(20) { print(d) }
exit(total.disagreements.isEmpty ? 0 : 1)
