# The two commands of the quick start: `make run` and `make test`.
SWIFT ?= swift
DATA_DIR ?= data
BASE_PORT ?= 7400

.PHONY: run test build release bench deps

deps:
	@bash deploy/install-deps.sh

build: deps
	$(SWIFT) build

## Build and start the whole system on SQLite in $(DATA_DIR) with the demo data set.
run: build
	./.build/debug/petitionctl up --demo --data-dir $(DATA_DIR) --base-port $(BASE_PORT)

## Install what is missing, build, and run the whole test suite.
test:
	@bash deploy/install-deps.sh --test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

release: deps
	$(SWIFT) build -c release

## Measure (not a test): see BENCHMARKS.md.
bench: release
	./.build/release/petition-bench all
