#if canImport(Glibc) && arch(x86_64)
    import FjordTable
    import Glibc
    import Testing

    /// Detects heap allocations of a piece of code with glibc's `mallinfo2()`.
    ///
    /// Swift's Glibc module does not export `<malloc.h>`, so the meter finds `mallinfo2` with
    /// `dlsym` and calls it through the x86-64 System V convention for a struct returned in memory
    /// (the caller passes the result's address as the first argument), hence `arch(x86_64)`.
    ///
    /// `mallinfo2` only reports bytes in use, so an allocation freed again would normally go
    /// unseen: glibc keeps freed small chunks in a per-thread cache (tcache) that still counts as
    /// "in use" and hands them out again. The meter turns that around: it first empties this
    /// thread's tcache for every small size (by allocating and holding 16 chunks of each size up to
    /// 1,040 bytes), so the first allocation of a size during `body` must come from the arena
    /// (raising `uordblks`) and its `free` parks the chunk in the tcache (keeping it raised). Net
    /// growth of `uordblks` therefore reveals any small allocation, transient or not. Blind spots:
    /// allocations larger than the tcache's largest size (freed straight back to the arena), and
    /// other threads allocating at the same time (so callers take the least growth over several
    /// runs).
    enum AllocationMeter {
        typealias MallInfo2 = @convention(c) (UnsafeMutableRawPointer) -> Void

        static let mallinfo2: MallInfo2? = {
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallinfo2") else { return nil }
            return unsafeBitCast(symbol, to: MallInfo2.self)
        }()

        /// `mallinfo2().uordblks`: bytes in chunks in use (ten `size_t` fields; this is the 8th).
        static func inUse() -> Int {
            guard let mallinfo2 else { return 0 }
            var fields = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &fields) { mallinfo2($0.baseAddress!) }
            return fields.7
        }

        /// The meter reads process-wide counters, so other tests allocating on other threads make it
        /// unreliable; `make test` runs these tests in a separate, single-test invocation with
        /// `FJORD_ALLOCATION_TESTS=1` (the full run skips them).
        static var available: Bool {
            mallinfo2 != nil && getenv("FJORD_ALLOCATION_TESTS").map { String(cString: $0) == "1" } == true
        }

        /// Bytes of heap growth while `body` runs, with the tcache emptied first.
        static func growth(_ body: () -> Void) -> Int {
            var held: [UnsafeMutableRawPointer] = []
            held.reserveCapacity(66 * 16)
            for size in stride(from: 8, through: 1040, by: 16) {
                for _ in 0..<16 { if let p = malloc(size) { held.append(p) } }
            }
            let before = inUse()
            body()
            let after = inUse()
            for p in held { free(p) }
            return after - before
        }

        /// Growth over up to `runs` measurements, stopping at the first that shows none (another
        /// thread may allocate or free meanwhile; an allocating body never shows exactly zero).
        static func growths(runs: Int = 8, _ body: () -> Void) -> [Int] {
            var out: [Int] = []
            for _ in 0..<runs {
                out.append(growth(body))
                if out.last == 0 { break }
            }
            return out
        }
    }

    extension FjordTableSuite {
        @Suite struct TableAllocationTests {
            @Test(.enabled(if: AllocationMeter.available)) func theMeterSeesTransientAllocations() {
                var sink = 0
                let g = AllocationMeter.growths {
                    for i in 0..<10 {
                        let a = [Int](repeating: i, count: 5 + i)
                        sink &+= a.count
                    }
                }
                #expect(!g.contains(0))
                #expect(sink > 0)
            }

            @Test(.enabled(if: AllocationMeter.available), arguments: [false, true])
            func lookupsDoNotAllocate(_ sparse: Bool) throws {
                let image = try TableImage(program: meshProgram())
                let big = try TableImage(program: manyRulesProgram(500, sparse: sparse))
                let s = try #require(image.scope(named: "shop/frontend", kind: .sidecar))
                let g = try #require(image.scope(named: "istio-system/ingress", kind: .gateway))
                let b = try #require(big.scope(named: "shop/frontend", kind: .sidecar))
                // Requests built beforehand: their own accessors do not allocate (one header per name).
                let requests = [
                    request("reviews", "/api/items?debug=%31&x=2", headers: [("x-user", "BOB"), ("accept", "*/*")]),
                    request("reviews.shop.svc.cluster.local:80", "/search?q=fjord"),
                    request("ratings", "/"), request("x.api.example.com", "/"), request("secret", "/"),
                    request("unknown.example.org:80", "/"),
                    request("reviews", "/?debug=%C3%A9&debug=1"),
                    request(
                        "A-LONG-HOST-NAME-THAT-IS-NOT-A-SMALL-STRING.EXAMPLE.COM",
                        "/a/very/long/path/that/is/not/small?x=%20%FF"),
                ]
                let shop = request("shop.example.com", "/cart")
                let bigRequest = request("big", "/svc-00321/x")
                var checksum = 0
                // Warm up once (lazy globals, first-use paths).
                for r in requests { checksum &+= image.lookup(scope: s, port: 80, request: r).slot }
                let growth = AllocationMeter.growths {
                    for i in 0..<10_000 {
                        let r = requests[i % requests.count]
                        checksum &+= image.lookup(scope: s, port: 80, request: r).slot
                        checksum &+= image.lookup(scope: s, port: 9080, request: r).virtualHost
                        checksum &+= image.lookup(scope: g, port: 443, request: shop).action
                        checksum &+= big.lookup(scope: b, port: 80, request: bigRequest).slot
                    }
                }
                #expect(growth.contains(0), "heap changed by \(growth) bytes during 10,000 lookups")
                #expect(checksum != 0)
            }
        }
    }
#endif
