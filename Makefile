# The two commands that matter: `make run` (the whole platform) and `make test`.
# Each creates the virtualenv and installs what it needs on first use: the pinned set in
# requirements/dev.lock, then the project itself (editable, no dependencies of its own).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# The locks pin one platform: the image's (CPython 3.11 on Linux x86_64). See docs/packaging.md.
LOCK   := $(VENV)/bin/uv pip compile --quiet --python-version 3.11 \
          --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock"
SRC    := shared/src gateway/src services/*/src deploy/deskstack

.PHONY: browser imap install lock lock-upgrade run test test-unit test-integration test-e2e lint fmt typecheck check asyncapi bench clean

$(STAMP): pyproject.toml requirements/dev.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Regenerate the locks from pyproject.toml, keeping every pin that still satisfies it;
# `make lock-upgrade` moves every pin to the newest release instead. The runtime lock
# (the image's) is constrained by the dev lock, so tests run the versions production runs.
lock: $(STAMP)
	$(LOCK) $(LOCK_ARGS) pyproject.toml --extra dev -o requirements/dev.lock
	$(LOCK) pyproject.toml -c requirements/dev.lock -o requirements/runtime.lock
	$(PY) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	  | $(LOCK) $(LOCK_ARGS) - -o requirements/build.lock

lock-upgrade: LOCK_ARGS = --upgrade
lock-upgrade: lock

install: $(STAMP) browser imap

# The ops page's browser test drives Debian's chromium (Playwright launches it; it
# downloads no browser of its own).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# intake's IMAP poller is tested against a real dovecot (shared/testing/dovecot.py writes
# its configuration); Debian's dovecot-imapd is installed when missing.
imap:
	command -v dovecot >/dev/null || test -x /usr/sbin/dovecot || (apt-get update && apt-get install -y dovecot-imapd)

run: $(STAMP)
	$(PY) -m deskstack run

test: $(STAMP) browser imap
	$(PY) -m pytest

test-unit: $(STAMP)
	$(PY) -m pytest -m "not postgres and not kafka and not e2e"

test-integration: $(STAMP) imap
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
