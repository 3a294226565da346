# Two commands on a fresh machine:  `make plan` (offline plan of the dev stack) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
STACK ?= dev

.PHONY: plan test lint types setup clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUNTIME): requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV): requirements.txt requirements-dev.txt $(RUNTIME)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(DEV)

plan: $(RUNTIME)
	$(BIN)/python -m webstack plan $(STACK)

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(DEV)
	$(BIN)/pyright

test: lint types
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .webstack .pytest_cache .ruff_cache
