# Two entry points, both self-contained on a fresh clone (Python 3.11, pip, make):
#   make run   — create .venv, install letopis, run it on corpus/ into outputs/
#   make test  — create/update .venv with the test extras, run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/letopis run corpus -o outputs

test: $(VENV)/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) outputs/*.csv outputs/*.parquet
