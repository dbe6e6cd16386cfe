# Every target sets up what it needs itself: a local .venv with the package and its extras.
# `make course` is the main job; `make test` is what CI runs (through .ci/run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup sandbox browser course site test lint bench lab data clean help

help:
	@echo "make course  - set up and build the course into build/: releases, the course site, sample grades, demo"
	@echo "make site    - the course site only: every lecture executed with its figures, in build/site/html"
	@echo "make test    - lint and run the whole test suite"
	@echo "make bench   - run the benchmarks and print speed ratios (about 8 minutes)"
	@echo "make lab     - open JupyterLab on the course"
	@echo "make data    - rebuild datasets/ from the committed UN extracts and the WPP registry package"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[dev,data,fast,site]"
	@touch $(STAMP)

# What the tests need from Debian, installed when missing: as root with apt-get (CI), otherwise
# the command prints how to install it. $(call debian,COMMAND,PACKAGE,WHAT IT IS FOR)
define debian
	@command -v $(1) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $(2) ($(3))"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2)) >/dev/null; \
	  else \
	    echo "$(2) ($(1)) is missing: $(3) needs it. Install it: sudo apt-get install $(2)" >&2; \
	    exit 1; \
	  fi; }
endef

# Autograding runs student code in a bubblewrap sandbox (course/README.md).
sandbox:
	$(call debian,bwrap,bubblewrap,the grading sandbox)

# The course site's test opens every page in Debian's headless chromium (Playwright drives the
# system browser: browser downloads are impossible here).
browser:
	$(call debian,chromium,chromium,the course site's browser test)

course: $(STAMP) sandbox
	$(BIN)/qsp course release
	$(BIN)/qsp course check
	$(BIN)/python -m qsp.site --out build/site
	$(BIN)/qsp course samples --out build/grading
	$(BIN)/python -m qsp.demo --out build

site: $(STAMP)
	$(BIN)/python -m qsp.site --out build/site

lint: $(STAMP)
	$(BIN)/ruff check tools tests benchmarks

test: lint sandbox browser
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=25

bench: $(STAMP) sandbox
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/budget.py
	$(BIN)/python benchmarks/costing.py
	$(BIN)/python benchmarks/pensions.py
	$(BIN)/python benchmarks/poverty.py
	$(BIN)/python benchmarks/autograde.py

lab: $(STAMP)
	cd course && JUPYTER_CONFIG_PATH="$(CURDIR)/course/jupyter" ../$(BIN)/jupyter lab --ServerApp.root_dir=..

data: $(STAMP)
	$(BIN)/python tools/build_datasets.py
	$(BIN)/python tools/build_scheme.py

clean:
	rm -rf build .pytest_cache .ruff_cache
