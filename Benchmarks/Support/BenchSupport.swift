import FjordCompiler
import Foundation

/// Helpers shared by the benchmark targets. Nothing here runs inside a measured region.
public enum BenchSupport {
    /// Directories made by `temporaryDirectory` and not removed yet.
    nonisolated(unsafe) static var made: Set<String> = []

    /// A fresh temporary directory (removed by `removeDirectory` or `removeTemporaryDirectories`).
    public static func temporaryDirectory(_ label: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("fjord-bench-\(label)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        made.insert(dir.path)
        return dir.path
    }

    /// Removes every directory `temporaryDirectory` made (a benchmark's teardown).
    public static func removeTemporaryDirectories() {
        for d in made { removeDirectory(d) }
    }

    public static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        made.remove(path)
    }

    /// Writes `text` to `dir/name` and returns the path.
    @discardableResult
    public static func write(_ text: String, to dir: String, name: String) throws -> String {
        let path = (dir as NSString).appendingPathComponent(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Writes the mesh of `fjord generate --services N --seed S` to a new temporary directory.
    public static func generateMesh(services: Int, seed: UInt64) throws -> (dir: String, bytes: Int) {
        let dir = try temporaryDirectory("mesh\(services)")
        var bytes = 0
        for f in MeshGenerator(services: services, seed: seed).files() {
            let path = (dir as NSString).appendingPathComponent(f.path)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            try f.text.write(toFile: path, atomically: false, encoding: .utf8)
            bytes += f.text.utf8.count
        }
        return (dir, bytes)
    }

    /// The baseline timer for same-process ratios: the median nanoseconds per call of `body`,
    /// over batches of at least `batchSeconds` each, for at least `totalSeconds` (and at least
    /// `minimumBatches` batches). Runs outside the framework's measurement (in setup).
    public static func nanosecondsPerCall(
        totalSeconds: Double = 0.5, batchSeconds: Double = 0.01, minimumBatches: Int = 5,
        _ body: () -> Void
    ) -> Double {
        let clock = ContinuousClock()
        body()  // warm up (lazy caches, first-use paths)
        // Calibrate the batch size.
        var batch = 1
        while true {
            let t = clock.now
            for _ in 0..<batch { body() }
            if seconds(clock.now - t) >= batchSeconds || batch >= 1 << 24 { break }
            batch *= 2
        }
        var perCall: [Double] = []
        let start = clock.now
        while perCall.count < minimumBatches || seconds(clock.now - start) < totalSeconds {
            let t = clock.now
            for _ in 0..<batch { body() }
            perCall.append(seconds(clock.now - t) * 1e9 / Double(batch))
        }
        perCall.sort()
        return perCall[perCall.count / 2]
    }

    /// A duration in seconds.
    public static func seconds(_ d: Duration) -> Double {
        let (s, a) = d.components
        return Double(s) + Double(a) / 1e18
    }

    /// Median of `xs` (nil when empty).
    public static func median(_ xs: [Double]) -> Double? {
        guard !xs.isEmpty else { return nil }
        let s = xs.sorted()
        return s[s.count / 2]
    }
}
