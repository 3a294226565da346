# Two commands on a fresh machine:  `make plan` (offline plan of the dev stack) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
STACK ?= dev
# Keep compiled bytecode, outside the working tree: pulumi_aws is large, and every process of
# the suite (pytest workers, the policy pack's server) would otherwise compile it again.
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(CURDIR)/$(VENV)/pycache

# What gets installed: the lock files, every package pinned with its hashes (README "Supply chain").
LOCK := requirements-lock.txt
DEV_LOCK := requirements-dev-lock.txt
# Every platform with Python 3.11 (pyproject's requires-python): one lock for Linux, macOS and Windows.
COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock"

.PHONY: plan test lint types setup clean system-tools docs lock

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# pip checks every download against the lock's hashes (--require-hashes) and installs nothing the
# lock does not list.
$(RUNTIME): $(LOCK) | $(VENV)/bin/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	touch $@

$(DEV): $(DEV_LOCK) $(RUNTIME)
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	touch $@

# Re-lock after editing requirements*.txt: the pins there are kept, the other packages keep their
# locked versions where they still fit; `make lock UPGRADE=1` moves those to their newest releases.
lock: $(DEV)
	$(COMPILE) $(if $(UPGRADE),--upgrade) requirements.txt -o $(LOCK)
	$(COMPILE) $(if $(UPGRADE),--upgrade) requirements-dev.txt -c $(LOCK) -o $(DEV_LOCK)

setup: $(DEV)

plan: $(RUNTIME)
	$(BIN)/python -m webstack plan $(STACK)

# The README's configuration reference, generated from webstack/program/config.py and the components' args.
docs: $(RUNTIME)
	$(BIN)/python -m webstack.program.config_reference README.md

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(DEV)
	$(BIN)/pyright

# pyright and pytest run side by side (pyright mostly waits on one core while the tests
# render); the pyright report is printed after the tests, and either failing fails the target.
# Graphviz's `dot` draws the diagrams the tests check: installed here as root with apt-get (as
# .ci/run does), else the target stops at once with the command to run, before any test starts.
system-tools:
	@command -v dot >/dev/null 2>&1 || { 	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then 	    apt-get update -qq && apt-get install -y -qq graphviz; 	  else 	    echo "make test needs Graphviz's dot: run  sudo apt-get install graphviz  (macOS: brew install graphviz)" >&2; 	    exit 1; 	  fi; }

test: system-tools lint $(DEV)
	@report=$$(mktemp); $(BIN)/pyright > $$report 2>&1 & checker=$$!; \
	$(BIN)/pytest; tests=$$?; \
	wait $$checker; types=$$?; echo "pyright:"; cat $$report; rm -f $$report; \
	exit $$(( tests || types ))

clean:
	rm -rf $(VENV) .webstack .pytest_cache .ruff_cache
