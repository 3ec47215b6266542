# The two commands of the README. Both do all set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
DB := data/garrison.sqlite

.PHONY: run test lint clean

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
	GARRISON_DATABASE_URL=sqlite:///$(CURDIR)/$(DB) $(BIN)/streamlit run dashboard/app.py \
		--server.port $(PORT)

# Coverage of core/ is printed after the results (--cov-report=term).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q --cov=core --cov-report=term

lint: $(VENV)/.installed-test
	$(BIN)/ruff check core dashboard tests scripts benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
