# CRM governance pipeline: every target installs what it needs first (fresh machine friendly).
# Hermetic: the offline switches of DESIGN.md are exported for every command run from here.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
PY := $(VENV)/bin/python
DBT := $(CURDIR)/$(VENV)/bin/dbt

export CRM_DATA_DIR ?= $(CURDIR)/data
export CRM_WAREHOUSE_PATH ?= $(CRM_DATA_DIR)/warehouse.duckdb
export CRM_EXPORTS_ROOT ?= $(CURDIR)/crm_exports
export DAGSTER_HOME ?= $(CRM_DATA_DIR)/dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_VERSION_CHECK := false
export DO_NOT_TRACK := 1
export TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS :=
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := 1
export HF_HUB_OFFLINE := 1
export UV_NO_PROGRESS := 1

# The bundled sample CRM: size, seed and reference date of `make demo`.
SAMPLE_CUSTOMERS ?= 2000
SAMPLE_SEED ?= 7
AS_OF ?= $(shell TZ=Europe/Berlin date +%F)
SAMPLE_EXPORT := $(CRM_EXPORTS_ROOT)/sample

.PHONY: help setup demo test ui docs docs-build lint format bench evaluate dbt-parse clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml  ## Install uv and the locked environment

$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet 'uv>=0.9'
	$(UV) sync --frozen
	@touch $@

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

dbt-parse: setup
	cd dbt_project && $(DBT) parse --quiet --profiles-dir .

demo: setup dbt-parse  ## Generate the sample CRM and run the whole pipeline on it
	$(PY) -m orchestration.sample_crm --out $(SAMPLE_EXPORT) --customers $(SAMPLE_CUSTOMERS) \
		--seed $(SAMPLE_SEED) --as-of $(AS_OF)
	$(PY) -m orchestration.run --export-dir $(SAMPLE_EXPORT) --as-of $(AS_OF)

test: setup  ## Run the whole test suite
	@# Chromium, chromedriver, Pango and fonts for the report's browser and PDF tests: installed
	@# when missing (as root, via apt), else the script says why and those tests skip.
	bash scripts/ensure_test_system_packages.sh
	$(PY) -m pytest

ui: setup dbt-parse  ## Dagster UI on http://localhost:3000
	@# Schedule and sensor stay stopped (no run starts by itself); a deployment sets CRM_AUTOMATION=on.
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

docs-build: setup dbt-parse
	@test -f $(CRM_WAREHOUSE_PATH) || $(MAKE) demo
	cd dbt_project && $(DBT) docs generate --profiles-dir . --static

docs: docs-build  ## dbt docs site on http://localhost:8080
	cd dbt_project && $(DBT) docs serve --profiles-dir . --host 127.0.0.1 --port 8080 --no-browser

lint: setup  ## ruff and sqlfluff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# dbt's templater opens the warehouse: lint against an in-memory database instead.
	cd dbt_project && CRM_WAREHOUSE_PATH=:memory: ../$(VENV)/bin/sqlfluff lint models macros

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup  ## Benchmarks (print their figures)
	$(PY) benchmarks/sample_crm_throughput.py
	$(PY) benchmarks/scan_throughput.py

# The labelled corpora beside the repository (read only); the date stored with the figures.
EVAL_DIR ?= $(CURDIR)/../shared/eval
EVALUATED_ON ?= $(shell TZ=Europe/Berlin date +%F)

evaluate: setup  ## Measure the scanner on the eval corpora; store the figures per scanner version
	$(PY) -m pii_scanners evaluate --gold $(EVAL_DIR)/dev_notes.jsonl \
		--hatecheck $(EVAL_DIR)/external/hatecheck/hatecheck.jsonl \
		--grascco $(EVAL_DIR)/external/grascco_phi/grascco_phi.jsonl \
		--store --evaluated-on $(EVALUATED_ON)

clean:  ## Remove generated data (warehouse, exports, Dagster home, dbt target)
	rm -rf data crm_exports dbt_project/target dbt_project/logs
