# SXSH evaluation workbook. `make` alone lists the targets.
# Every target that needs Python creates the virtual environment (.venv) first if it is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SXSH   := $(BIN)/sxsh

.DEFAULT_GOAL := help
.PHONY: help env lab kernel sample data reports test test-fast browser lint bench bench-clean bench-indicators bench-build template clean-data clean-outputs distclean

help: ## Show this list of targets
	@echo "SXSH evaluation workbook: make TARGET"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

env: $(STAMP) ## Create the virtual environment (.venv) and install the project, if missing

lab: $(STAMP) ## Open JupyterLab on the report notebooks, with the project's kernel
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (sxsh-workbook)" >/dev/null
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $$([ "$$(id -u)" = 0 ] && echo --allow-root) notebooks/reports/province.ipynb

kernel: $(STAMP) ## Register the project's kernel for a JupyterLab installed elsewhere (as "sxsh-workbook")
	$(BIN)/python -m ipykernel install --user --name sxsh-workbook --display-name "Python 3 (sxsh-workbook)"

sample: $(STAMP) ## Write the calibrated sample's raw files to data/sample/
	$(SXSH) sample

data: $(STAMP) ## Clean survey files (data/raw/, else the sample) into data/cleaned/
	@if ! ls data/raw 2>/dev/null | grep -qiE '\.(csv|xlsx)$$' && [ ! -f data/sample/README.txt ]; then \
		echo "no survey files in data/raw/: using the calibrated sample"; $(SXSH) sample; fi
	$(SXSH) clean

reports: data ## Build every report (HTML, PDF, index) from the cleaned data; creates the environment if missing
	$(SXSH) build

test: $(STAMP) browser ## Run the whole test suite (creates the environment if missing)
	$(BIN)/python -m pytest

browser: ## Install Debian's chromium for the browser test, where the machine allows (root and apt)
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing chromium (Debian package) for the browser test"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium not installed and not root: the browser test will skip (it fails under CI=true)"; fi; }

test-fast: $(STAMP) ## Run the tests without the slow whole-run ones
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP) ## Run the pre-commit checks on every file: ruff, stripped notebooks, YAML, large files
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

bench: bench-clean bench-indicators bench-build ## Run every benchmark

bench-clean: $(STAMP) ## Benchmark: clean a generated 1,000,000-row CSV (target 60 s, 4 GiB)
	$(BIN)/python benchmarks/bench_clean.py

bench-indicators: $(STAMP) ## Benchmark: every breakdown of 1,000,000 enterprises (target 10 s)
	$(BIN)/python benchmarks/bench_indicators.py

bench-build: data ## Benchmark: naive papermill loop against sxsh build, 64 reports (targets: 6x, 90 s)
	$(BIN)/python benchmarks/bench_build.py

template: $(STAMP) ## Write the Excel data-entry template to outputs/template/mau_nhap_lieu_sxsh.xlsx
	$(SXSH) template --out outputs/template/mau_nhap_lieu_sxsh.xlsx

clean-data: ## Remove cleaned data (never the raw files in data/raw/)
	rm -rf data/cleaned data/sample

clean-outputs: ## Remove built reports
	rm -rf outputs

distclean: clean-data clean-outputs ## Remove cleaned data, outputs and the virtual environment
	rm -rf $(VENV)
