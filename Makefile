# The two commands of the README. Both do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
DB := data/garrison.sqlite

.PHONY: run test lint clean wheel-smoke

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

$(DB): | $(VENV)/.installed
	$(BIN)/garrison init --db sqlite:///$(DB)
	$(BIN)/garrison import data/reports.csv --db sqlite:///$(DB)

run: $(VENV)/.installed $(DB)
	$(BIN)/garrison serve --db sqlite:///$(CURDIR)/$(DB) --port $(PORT)

# Coverage of core/ is printed after the results (--cov-report=term). The suite runs on every CPU
# (pytest-xdist); --dist loadgroup keeps the browser tests on a shared app server on one worker, so that
# server starts once (tests/browser/conftest.py).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -n auto --dist loadgroup --cov=core --cov-report=term

# The built wheel, installed in a clean virtual environment outside the checkout (CI runs it).
wheel-smoke: $(VENV)/.installed
	PYTHON=$(BIN)/python scripts/wheel_smoke.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check core dashboard tests scripts benchmarks
	$(BIN)/ruff format --check core dashboard tests scripts benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
