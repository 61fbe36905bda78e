# The two commands that matter: `make run` (the whole platform) and `make test`.
# Each creates the virtualenv and installs what it needs on first use.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SRC    := shared/src gateway/src services/*/src deploy/deskstack

.PHONY: browser install run test test-unit test-integration test-e2e lint fmt typecheck check asyncapi bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) browser

# The ops page's browser test drives Debian's chromium (Playwright launches it; it
# downloads no browser of its own).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

run: $(STAMP)
	$(PY) -m deskstack run

test: $(STAMP) browser
	$(PY) -m pytest

test-unit: $(STAMP)
	$(PY) -m pytest -m "not postgres and not kafka and not e2e"

test-integration: $(STAMP)
	$(PY) -m pytest -m "postgres or kafka"

test-e2e: $(STAMP) browser
	$(PY) -m pytest tests-e2e

lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(STAMP)
	$(VENV)/bin/mypy $(SRC)

check: lint typecheck test

asyncapi: $(STAMP)
	$(PY) -m shared.events.asyncapi

# stack_cost.py's closed loop drives wrk (Debian's package) when it is on PATH.
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk) || true
	for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) var
