# Every target creates/uses the local venv, so each works on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The official Descope Node SDK for the Node contract tests (tests/node), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed-stamp

.PHONY: help venv node-deps lint typecheck imports sdk test test-fast demo bench pulumi-cli redis-server clean

help:
	@echo "make demo   - deploy examples/quickstart on the local emulator with local Pulumi state"
	@echo "make test   - lint, type-check, layer contracts and the whole test suite with coverage"
	@echo "make test-fast - the tests that do not run the Pulumi CLI (pytest -m 'not e2e'), no lint, no coverage"
	@echo "make bench  - benchmarks, one JSON object per line (also bench/results.jsonl)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# `npm ci` installs exactly the lockfile (and empties node_modules first, stamp included).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

node-deps: $(NODE_STAMP)

lint: $(STAMP)
	$(BIN)/ruff check provider sdk emulator tests bench examples scripts __main__.py
	$(BIN)/ruff format --check provider sdk emulator tests bench examples scripts __main__.py

typecheck: $(STAMP)
	$(BIN)/mypy --strict provider/pulumi_descope_dynamic_provider sdk/pulumi_descope_dynamic emulator/descope_emulator

imports: $(STAMP)
	$(BIN)/lint-imports

# The sdk classes and docs/resources/ are generated from the provider's resource specs.
sdk: $(STAMP)
	$(BIN)/python scripts/gen_sdk.py

# Prints the directory holding `pulumi` and `pulumi-resource-pulumi-python` (cached outside the repo).
pulumi-cli:
	@PULUMI_DESCOPE_PYTHON=$(CURDIR)/$(BIN)/python bash scripts/get-pulumi.sh

# The shared-rate-budget tests start their own redis-server on a free loopback port: install
# Debian's package when it is missing (sudo unless already root).
redis-server:
	@command -v redis-server >/dev/null || { \
	  SUDO="$$( [ "$$(id -u)" = 0 ] || echo sudo )"; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null; }

test: lint typecheck imports node-deps redis-server
	PULUMI_BIN_DIR="$$(PULUMI_DESCOPE_PYTHON=$(CURDIR)/$(BIN)/python bash scripts/get-pulumi.sh)" && \
	  PATH="$$PULUMI_BIN_DIR:$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/python -m pytest --cov --cov-report=term-missing $(PYTEST_ARGS)

# The fast tier: every test but those marked e2e (the ones that run the Pulumi CLI; a test that
# reaches the CLI without the marker fails, see tests/support/tiers.py). `make test` runs them all.
test-fast: $(STAMP) node-deps redis-server
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

demo: $(STAMP)
	PULUMI_BIN_DIR="$$(PULUMI_DESCOPE_PYTHON=$(CURDIR)/$(BIN)/python bash scripts/get-pulumi.sh)" && \
	  PATH="$$PULUMI_BIN_DIR:$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/python examples/demo.py

bench: $(STAMP)
	PULUMI_BIN_DIR="$$(PULUMI_DESCOPE_PYTHON=$(CURDIR)/$(BIN)/python bash scripts/get-pulumi.sh)" && \
	  PATH="$$PULUMI_BIN_DIR:$(CURDIR)/$(BIN):$$PATH" \
	  $(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules .pulumi-state .coverage .coverage.* .pytest_cache .mypy_cache .ruff_cache
