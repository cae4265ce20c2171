# MDN Playground. Two commands on a fresh Debian machine with rustup:
#   make serve   install what is missing, build, serve on http://127.0.0.1:8080
#   make test    install what is missing, run every test
# Both are idempotent: tools already installed at the right version are skipped.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export CHROMIUM ?= /usr/bin/chromium

TRUNK_VERSION := 0.21.14
# The wasm-bindgen CLI must equal the library version in Cargo.lock.
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BROWSER_DIR := tests/browser

.PHONY: serve test test-layout test-native test-wasm test-browser test-export test-export-jax build bench bench-hand bench-tiles profile tools rust-tools browser-tools python-tools torch-tools clean

serve: tools
	trunk serve --offline --release

build: rust-tools
	trunk build --offline --release

test: tools python-tools test-layout test-native test-wasm build test-browser test-export-jax

# The house rules of the source tree: no import circle, files and functions of a size a
# reader can hold (tests/layout.py says which).
test-layout:
	python3 tests/layout.py

test-native:
	cargo test

# The exported JAX project run for real: `check` against the playground's ln p(y|x), and a
# retrain that must land in the playground's band (JAX's CPU wheel, installed when missing).
test-export-jax: python-tools
	MDN_EXPORT_RUN=jax cargo test --test native export::

# Both exports run for real, JAX and PyTorch, and the page's download checked with each.
# PyTorch goes into its own virtual environment, $(TORCH_VENV), when missing: PyPI's wheel
# brings CUDA's libraries, about 5.4 GB installed (1 minute here), too much for make test.
TORCH_VENV := .tools/torch
export MDN_TORCH_PYTHON := $(abspath $(TORCH_VENV))/bin/python
test-export: python-tools torch-tools build browser-tools
	MDN_EXPORT_RUN=jax,pytorch cargo test --test native export::
	cd $(BROWSER_DIR) && node --test export.test.mjs

# The core tests under wasm-bindgen-test, in headless Chromium.
test-wasm: tools
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	WASM_BINDGEN_TEST_TIMEOUT=300 \
	cargo test --target wasm32-unknown-unknown --test wasm

test-browser: browser-tools
	cd $(BROWSER_DIR) && node --test --test-concurrency=1 *.test.mjs

# The speed figures, each a ratio measured in one run (benches/report.py): the engine
# natively at 1 thread and every core against JAX on every core and on one; the default
# K sweep at 1 thread and every core; the page's engine against TF.js 4.22 in one headless
# Chromium session. Prints JSON lines, then the ratios and their goals.
bench: build browser-tools
	@[ -d benches/browser/node_modules/@tensorflow/tfjs ] || (cd benches/browser && npm ci --no-audit --no-fund)
	python3 benches/report.py

# The handwriting part alone (sections 6 and 8 of benches/report.py).
bench-hand: build browser-tools
	@[ -d benches/browser/node_modules/@tensorflow/tfjs ] || (cd benches/browser && npm ci --no-audit --no-fund)
	python3 benches/report.py handwriting

# What one core does in a matrix product's inner loop, with and without fused
# multiply-adds (benches/tiles.c; the C compiler Rust links with).
bench-tiles:
	@mkdir -p target
	cc -O3 -funroll-loops -mavx2 -mfma -ffp-contract=off -o target/tiles benches/tiles.c
	target/tiles

# Where the time goes, by function: perf natively (the medium network, one thread and
# every core) and Chromium's sampling profiler in the page (small and medium).
profile: build browser-tools
	@[ -d benches/browser/node_modules/@tensorflow/tfjs ] || (cd benches/browser && npm ci --no-audit --no-fund)
	@command -v perf >/dev/null || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y linux-perf; }
	cargo bench --no-run --bench train
	for t in 1 $$(nproc); do \
	  MDN_BENCH=medium MDN_BENCH_THREADS=$$t MDN_BENCH_SECONDS=1 perf record -q -o target/perf-$$t.data \
	    $$(ls -t target/release/deps/train-* | grep -v '\.d$$' | head -1) --bench; \
	  perf report -i target/perf-$$t.data --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -12 | cut -c1-100; \
	done
	node benches/browser/profile.mjs small
	node benches/browser/profile.mjs medium

tools: rust-tools browser-tools

rust-tools: Cargo.lock
	@command -v cargo >/dev/null || { echo "cargo not found: install rustup first (https://rustup.rs)"; exit 1; }
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@[ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN_VERSION)" ] || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@[ "$$(trunk --version 2>/dev/null)" = "trunk $(TRUNK_VERSION)" ] || cargo install trunk --version $(TRUNK_VERSION) --locked

# JAX's CPU wheel and NumPy (about a minute from the package registry), for test-export.
python-tools:
	@python3 -c "import jax, numpy" 2>/dev/null || python3 -m pip install --quiet "jax==0.10.2" "numpy==2.4.6"

torch-tools:
	@$(MDN_TORCH_PYTHON) -c "import torch, numpy" 2>/dev/null || { python3 -m venv $(TORCH_VENV) && $(TORCH_VENV)/bin/pip install --quiet "torch==2.15.0" "numpy==2.4.6"; }

browser-tools:
	@[ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ] || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; }
	@[ -d $(BROWSER_DIR)/node_modules/playwright-core ] && [ -d $(BROWSER_DIR)/node_modules/axe-core ] || (cd $(BROWSER_DIR) && npm ci --no-audit --no-fund)

Cargo.lock:
	cargo generate-lockfile

clean:
	cargo clean
	rm -rf dist .tools $(BROWSER_DIR)/node_modules benches/browser/node_modules
