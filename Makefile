# Fjord: the two commands that matter are `make demo` and `make test` (see README.md).
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=
FJORD = .build/debug/fjord
DEMO = fixtures/examples/oslo-shop
OUT = out

.PHONY: all deps graphviz build release install demo demo-graph test lint format generate clean bench bench-proxy fuzz fuzz-build fuzz-smoke

all: build

# Install what a fresh Debian machine with Swift lacks: libyaml's headers and pkg-config.
deps:
	@missing=""; \
	dpkg -s libyaml-dev >/dev/null 2>&1 || missing="$$missing libyaml-dev"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# `dot` for `make demo-graph`, from Debian's graphviz package.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "installing: graphviz"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq graphviz; \
	}

build: deps
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

# Style: `swift format` (the toolchain's) with .swift-format; `make test` fails on any finding.
# `make format` rewrites the tree in place. Generated sources carry `swift-format-ignore-file`.
FORMAT_PATHS = Package.swift Sources Tests Benchmarks Fuzz/Package.swift Fuzz/Targets
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMAT_PATHS)

format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMAT_PATHS)

test: deps lint
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS)
	@# The allocation meter reads process-wide counters: run its tests alone.
	FJORD_ALLOCATION_TESTS=1 $(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS) --filter TableAllocationTests

# `make install PREFIX=~/.local`: the release binaries and the kubectl plugin into PREFIX/bin.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
install: release
	install -d "$(DESTDIR)$(BINDIR)"
	install -m 0755 .build/release/fjord .build/release/fjord-proxy scripts/kubectl-fjord "$(DESTDIR)$(BINDIR)/"

demo: build graphviz
	@echo "== fjord check $(DEMO)/clean (expected: no findings)"
	@$(FJORD) check $(DEMO)/clean; echo "exit code: $$?"
	@echo
	@echo "== fjord check $(DEMO)/mistakes (expected: findings)"
	@$(FJORD) check $(DEMO)/mistakes; echo "exit code: $$?"
	@echo
	@echo "== fjord residency $(DEMO)/mistakes (where personal data can go)"
	@$(FJORD) residency $(DEMO)/mistakes; echo "exit code: $$?"
	@echo
	@mkdir -p $(OUT)
	@$(FJORD) graph --title "oslo-shop (clean)" $(DEMO)/clean | dot -Tsvg -o $(OUT)/oslo-shop-clean.svg
	@$(FJORD) graph --title "oslo-shop (mistakes)" $(DEMO)/mistakes | dot -Tsvg -o $(OUT)/oslo-shop-mistakes.svg
	@echo "== wrote $(OUT)/oslo-shop-clean.svg and $(OUT)/oslo-shop-mistakes.svg (fjord graph | dot -Tsvg)"

# The demo mesh's graph as SVG (graphviz's `dot`), in out/ (not committed).
demo-graph: build graphviz
	@mkdir -p $(OUT)
	@$(FJORD) graph --title "oslo-shop (clean)" $(DEMO)/clean | dot -Tsvg -o $(OUT)/oslo-shop-clean.svg
	@$(FJORD) graph --title "oslo-shop (mistakes)" $(DEMO)/mistakes | dot -Tsvg -o $(OUT)/oslo-shop-mistakes.svg
	@echo "== wrote $(OUT)/oslo-shop-clean.svg and $(OUT)/oslo-shop-mistakes.svg (fjord graph | dot -Tsvg)"

# Benchmarks (Benchmarks/, ordo-one/benchmark; not part of `make test` or CI): runs them in
# release and prints a summary of the figures and ratios. Options reach `swift package
# benchmark`, e.g. `make bench BENCH_ARGS="--target Lookup"`. See docs/performance.md.
BENCH_ARGS ?=
bench: deps
	scripts/bench.sh $(BENCH_ARGS)

# Regenerate the sources derived from grammar/ (the tests fail while they are stale).
generate: build
	FJORD_REGENERATE=1 $(SWIFT) test --filter "generated"

# fjord-proxy against nginx and Envoy on this machine (docs/performance.md, "Proxy").
# DURATION=10 RUNS=2 by default; DURATION=3 RUNS=1 for a quick look.
bench-proxy: deps
	scripts/bench-proxy.sh

# libFuzzer targets (Fuzz/, docs/fuzzing.md): `make fuzz` runs each of FUZZ_TARGETS for
# FUZZ_SECONDS and merges the new, minimised corpus entries into fixtures/fuzz/<target>/ (a
# crash input is copied there too, as a regression case for `make test`). `make fuzz-smoke`
# (CI) runs each for FUZZ_SECONDS=30 on the committed corpus and keeps nothing.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= mesh regex table endpoints residency http
FUZZ_FLAGS = -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld
fuzz-build: deps
	@command -v ld.lld >/dev/null 2>&1 || { \
	  echo "installing: lld (the toolchain has none)"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq lld; \
	}
	cd Fuzz && $(SWIFT) build $(FUZZ_FLAGS)

fuzz: fuzz-build
	scripts/fuzz.sh keep $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	FUZZ_TIMEOUT=$(or $(FUZZ_TIMEOUT),60) scripts/fuzz.sh smoke $(or $(FUZZ_SMOKE_SECONDS),30) $(FUZZ_TARGETS)

clean:
	rm -rf .build Fuzz/.build
