# The two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
ASAN_DIR := build/asan
FUZZ_DIR := build/fuzz
WERROR := $(if $(filter true,$(CI)),ON,OFF)
CMAKE_COMMON := -G Ninja -DCROSSVOICE_WERROR=$(WERROR)
# ccache keys on paths relative to the checkout, so a fresh clone elsewhere (CI) reuses earlier compilations.
export CCACHE_BASEDIR := $(CURDIR)

.PHONY: run test deps web build build-asan check check-asan fuzz fuzz-smoke bench bench-webhook bench-ivr bench-stt bench-pipeline bench-kb bench-console format clean

run: build
	@mkdir -p data
	./bin/crossvoice serve

test: deps check check-asan fuzz-smoke
	@echo "make test: all suites passed"

deps:
	@scripts/install-deps.sh

$(RELEASE_DIR)/build.ninja:
	cmake -S . -B $(RELEASE_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Release

# The console, the widget and the demo pages: npm ci (when web/package-lock.json changed) and esbuild into build/web.
web: deps
	@scripts/build-web.sh

# Only the service: `make run` should not wait for the test binaries.
build: deps web $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target crossvoice
	@mkdir -p bin && install -m 0755 $(RELEASE_DIR)/src/app/crossvoice bin/crossvoice

# The suites run with throw-away PostgreSQL, Redis and RabbitMQ servers on loopback (scripts/test-servers.sh).
check: web build
	cmake --build $(RELEASE_DIR) -j $(JOBS)
	scripts/with-test-servers.sh bash -c 'cd $(RELEASE_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300'

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) $(CMAKE_COMMON) -DCMAKE_BUILD_TYPE=Debug -DCROSSVOICE_SANITIZE=ON

build-asan: deps $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)

# The sanitizer pass skips the reruns of the same binaries in other deployments (the integration suite on
# PostgreSQL, the two-instance test, the browser suite): the Release pass runs them, and the adapters' own code runs
# under the sanitizers in the contract suites. This keeps `make test` within its time budget.
ASAN_SKIP_LABELS := integration-postgres|scale-out|e2e

check-asan: build-asan
	scripts/with-test-servers.sh bash -c 'cd $(ASAN_DIR) && \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS) --timeout 600 -LE "$(ASAN_SKIP_LABELS)"'

$(FUZZ_DIR)/build.ninja:
	CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCROSSVOICE_FUZZ=ON -DCROSSVOICE_TESTS=OFF

fuzz: deps $(FUZZ_DIR)/build.ninja
	cmake --build $(FUZZ_DIR) -j $(JOBS)

# A short run of every fuzz target from its seed corpus: catches crashes in CI; long runs are `make fuzz` + by hand.
fuzz-smoke: fuzz
	fuzz/run-all.sh $(FUZZ_DIR) 20

bench: build
	bench/http_load.sh

# Signed-webhook ingest against an Express peer; the script builds its own helpers (build/bench, bench/webhook).
bench-webhook: build
	bench/webhook_ingest.sh

# One IVR step (signed TeXML callback, engine, persisted state) beside /healthz; builds its generator in build/bench.
bench-ivr: build
	bench/ivr_step.sh

# Word error rate and real-time factor of the local engine on pocketsphinx-testdata's LibriVox set, one core.
bench-stt: deps
	bench/stt_local.sh

# Transcripts per second through the language pipeline on a fixed call transcript, one core.
bench-pipeline: deps
	bench/pipeline.sh

# SHANGO's knowledge-base answer latency and retrieval accuracy beside stock FTS5 bm25(); builds in build/bench.
bench-kb: deps
	bench/kb_answer.sh

# The console's Live page with 200 sessions' events: frame times in Chromium beside the idle page (build includes web).
bench-console: build
	CROSSVOICE_BINARY=$(CURDIR)/bin/crossvoice node bench/console_live.mjs

format:
	find src tests fuzz bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf build bin
