# The two commands of the README. Both do all set-up on a fresh machine.
# Python 3.12 where the machine has one (pyenv's here): coverage then measures through sys.monitoring
# (PEP 669, [tool.coverage.run] core), which costs a few percent where 3.11's tracer doubled the in-process
# tests' time. Otherwise python3; 3.11 is the floor (pyproject).
PY312 := $(shell d=$$(pyenv prefix 3.12 2>/dev/null) && [ -x "$$d/bin/python3.12" ] && echo "$$d/bin/python3.12" \
	|| { python3.12 -c '' 2>/dev/null && command -v python3.12; })
PYTHON ?= $(or $(PY312),python3)
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
# server starts once (tests/browser/conftest.py). --durations lists the 15 slowest phases, where a
# slower suite shows first.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -n auto --dist loadgroup --cov=core --cov-report=term --durations=15

# The built wheel, installed in a clean virtual environment outside the checkout (CI runs it).
wheel-smoke: $(VENV)/.installed
	PYTHON=$(BIN)/python scripts/wheel_smoke.sh

lint: $(VENV)/.installed-test
	$(BIN)/ruff check core dashboard tests scripts benchmarks
	$(BIN)/ruff format --check core dashboard tests scripts benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
