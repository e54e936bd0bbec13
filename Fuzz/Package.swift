// swift-tools-version: 6.1
// The libFuzzer targets (docs/fuzzing.md). Built only by `make fuzz` / `make fuzz-build`, with
//   -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld
// Each target is a thin `LLVMFuzzerTestOneInput` over `FuzzEntries` in the main package, which
// the replay test (`make test`) runs on the committed corpus in the normal build.
import PackageDescription

/// Target name (the folder under fixtures/fuzz/) -> executable.
let targets = ["mesh", "regex", "table", "endpoints", "residency", "http"]

func executableName(_ target: String) -> String { "fuzz-" + target }

let package = Package(
    name: "FjordFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Fjord", path: "..")],
    targets: targets.map { t in
        .executableTarget(
            name: executableName(t),
            dependencies: [.product(name: "FjordFuzzEntries", package: "Fjord")],
            path: "Targets/\(t)"
        )
    }
)
