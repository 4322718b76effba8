# Developer and CI entry points. GNU make. See docs/testing.md.
#
#   make demo      the demo site at http://$(HOST):$(PORT)/ (installs, migrates, loads content)
#   make test      everything CI runs: lint, migrations check, pytest on SQLite, on PostgreSQL,
#                  and the browser tests (stops at the first failing stage)
#   make lock      regenerate requirements/*.txt from pyproject.toml
#   make help      the list of targets

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# The stages of `make test` must run one after the other, in order, even under `make -j`.
.NOTPARALLEL:
.DELETE_ON_ERROR:

HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON ?= python3
# pytest-xdist workers for the SQLite and PostgreSQL runs (0 runs in a single process).
PYTEST_WORKERS ?= 2
# Extra pytest arguments for every pytest stage, e.g. `make test-sqlite PYTEST_ARGS="-k footer -x"`.
PYTEST_ARGS ?=
# Requests of the bad-input fuzz tests (tests/site/test_bad_input_fuzz*.py) in each pytest stage:
# issue #8 asks for 10,000; PostgreSQL runs the same code paths, so fewer there.
FUZZ_SQLITE_EXAMPLES ?= 10000
FUZZ_POSTGRES_EXAMPLES ?= 600

VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed
STAGE := scripts/stage
APT_INSTALL := scripts/apt-install
BACKGROUND_APT := scripts/background-apt
# Waits for the packages `make test` started installing, if it did (scripts/background-apt).
WAIT_FOR_APT := $(if $(APT_PREFETCH_DIR),$(BACKGROUND_APT) wait "$(APT_PREFETCH_DIR)",true)
TEST_SETTINGS := ngo_site.settings.test
BROWSER_DIR := tests/browser
AXE := $(BROWSER_DIR)/node_modules/axe-core/axe.min.js
CHROMIUM := /usr/bin/chromium

# The SQLite stages must not pick up a DATABASE_URL from the developer's shell; every pytest stage
# uses the test settings whatever DJANGO_SETTINGS_MODULE says.
ON_SQLITE := env -u DATABASE_URL DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS)
PYTEST := $(BIN)/pytest
ifeq ($(PYTEST_WORKERS),0)
XDIST :=
else
# Tests are shared out one by one, except those that use the shared demo site
# (tests/conftest.py, shared_demo): they all run on one worker, which loads the demo once.
XDIST := -n $(PYTEST_WORKERS) --dist loadgroup
endif

# pip warns about find-links/index locations of the machine's pip configuration that do not exist
# on this machine; the warning is harmless, so that one line is dropped (errors are not).
PIP_FILTER := { grep -v -E "^WARNING: Location '.*' is ignored" || true; }

.PHONY: help install demo test test-stages lint check-migrations translations test-sqlite test-postgres \
	test-browser browser-deps lock audit clean bench bench-http soak fault fuzz

help:
	@echo "make install        create .venv and install requirements/dev.txt and the project"
	@echo "make demo           migrate, load the demo content, print the admin login, run the"
	@echo "                    development server on http://$(HOST):$(PORT)/ (HOST=, PORT= to change)"
	@echo "make test           all CI stages, in order, stopping at the first failure:"
	@echo "                      lint, check-migrations, test-sqlite, test-postgres, test-browser"
	@echo "make lint           ruff check and ruff format --check"
	@echo "make check-migrations   makemigrations --check (no model change without a migration)"
	@echo "make test-sqlite    pytest -m 'not browser and not postgres' on SQLite"
	@echo "make test-postgres  pytest -m 'not browser' on a throwaway PostgreSQL cluster"
	@echo "make test-browser   pytest -m browser (Debian's Chromium, axe-core)"
	@echo "make browser-deps   install Chromium (apt) and axe-core (npm ci) for the browser tests"
	@echo "make bench          library benchmark: SQLite with BENCH_SQLITE_N (10000) resources,"
	@echo "                    PostgreSQL with BENCH_POSTGRES_N (100000); then the translation queue"
	@echo "                    with BENCH_QUEUE_ITEMS (5000) on both; then make bench-http;"
	@echo "                    fails when a goal is missed"
	@echo "make bench-http     wrk against gunicorn (2 workers), PostgreSQL, Redis and the demo:"
	@echo "                    a static file and four pages, page cache on and off (docs/benchmarks.md)"
	@echo "make soak           60 s of wrk at 50 connections on each page (no error, no 5xx), then"
	@echo "                    make fault's check (docs/testing.md)"
	@echo "make fault          PostgreSQL stopped and started under load: clean 503s, back within 5 s"
	@echo "make fuzz           FUZZ_REQUESTS (20000) hostile requests from every URL pattern to gunicorn"
	@echo "                    with the production settings and the demo: no 5xx (docs/testing.md)"
	@echo "make lock           regenerate requirements/production.txt and requirements/dev.txt"
	@echo "                    (UPGRADE=1: every pin to the newest release pyproject.toml allows)"
	@echo "make audit          pip-audit of requirements/*.txt (known vulnerabilities); says when"
	@echo "                    the advisory database cannot be reached"
	@echo "PYTEST_ARGS='...' adds pytest arguments; PYTEST_WORKERS=0 runs pytest without xdist."

# --- Installation ---------------------------------------------------------------------------

install: $(INSTALLED)

# Redone only when the requirements or pyproject.toml change (or .venv was deleted).
$(INSTALLED): requirements/dev.txt pyproject.toml
	@echo "== install .venv (requirements/dev.txt and the project, editable) =="
	@if [ ! -x $(BIN)/python ]; then \
		$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), sys.version' \
			|| { echo "Python 3.11 or newer is needed: make PYTHON=python3.11 ..." >&2; exit 1; }; \
		$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null \
			|| { $(WAIT_FOR_APT) && $(APT_INSTALL) python3-venv; }; \
		$(PYTHON) -m venv $(VENV); \
	fi
	@# The venv's own pip (23.x on Debian 12) cannot install an extra of a hashed requirement
	@# (pip-audit's CacheControl[filecache]): first the lock's pip, with its hashes.
	@echo "pip install --require-hashes pip (the version and hashes of requirements/dev.txt)"
	@awk '/^pip==/ {keep = 1; print; next} keep && /^ +--hash/ {print; next} {keep = 0}' \
		requirements/dev.txt >$(VENV)/pip-requirement.txt
	@$(PIP) install --quiet --require-hashes -r $(VENV)/pip-requirement.txt 2>&1 | $(PIP_FILTER)
	@echo "pip install --require-hashes -r requirements/dev.txt"
	@$(PIP) install --quiet --require-hashes -r requirements/dev.txt 2>&1 | $(PIP_FILTER)
	@echo "pip install --no-deps -e ."
	@$(PIP) install --quiet --no-deps -e . 2>&1 | $(PIP_FILTER)
	@touch $@

# Debian's Chromium (Playwright's own browser download cannot work here) and axe-core from npm.
browser-deps: $(CHROMIUM) $(AXE)

$(CHROMIUM):
	@$(WAIT_FOR_APT)
	@echo "== install Debian's Chromium =="
	@test -x $@ || $(APT_INSTALL) chromium

$(AXE): $(BROWSER_DIR)/package.json $(BROWSER_DIR)/package-lock.json
	@$(WAIT_FOR_APT)
	@echo "== install axe-core (npm ci in $(BROWSER_DIR)) =="
	@command -v npm >/dev/null 2>&1 || $(APT_INSTALL) npm
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@test -f $@ || { echo "npm ci did not install $@" >&2; exit 1; }
	@touch $@

# --- Demo site ------------------------------------------------------------------------------

demo: install
	@mkdir -p "$${VAR_DIR:-var}"
	$(MANAGE) migrate --noinput
	$(MANAGE) compile_translations
	$(MANAGE) load_demo --hostname $(HOST) --port $(PORT)
	$(MANAGE) rebuild_library_index
	$(MANAGE) ensure_admin
	$(MANAGE) ensure_demo_accounts
	@echo
	@echo "  Site:  http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/"
	@echo "  Scheduled publishing and expiry: run, in another terminal, now and then"
	@echo "    $(MANAGE) publish_scheduled"
	@echo "  (production runs it every few minutes from cron or a systemd timer: docs/editors.md)"
	@echo
	$(MANAGE) runserver $(HOST):$(PORT)

# --- Tests ----------------------------------------------------------------------------------

# Runs the stages in a sub-make so that the timing table is printed even when one fails.
# NGO_TEST_SNAPSHOTS: the SQLite database migrated, and loaded with the demo, once for all the
# stages of this run (tests/database_snapshots.py). APT_PREFETCH_DIR: the Debian packages of the
# later stages install in the background from the start (scripts/background-apt).
test:
	@export STAGE_LOG="$$(mktemp)" NGO_TEST_SNAPSHOTS="$$(mktemp -d)" APT_PREFETCH_DIR="$$(mktemp -d)"; \
	trap '$(BACKGROUND_APT) wait "$$APT_PREFETCH_DIR"; \
		rm -rf "$$STAGE_LOG" "$$NGO_TEST_SNAPSHOTS" "$$APT_PREFETCH_DIR"' EXIT; \
	$(BACKGROUND_APT) start "$$APT_PREFETCH_DIR"; \
	start="$$(date +%s.%N)"; status=0; \
	$(MAKE) --no-print-directory test-stages || status=$$?; \
	$(STAGE) --summary "$$start"; \
	if [ "$$status" -eq 0 ]; then echo "make test: all stages passed"; \
	else echo "make test: FAILED (exit $$status)"; fi; \
	exit "$$status"

test-stages: lint check-migrations translations test-sqlite test-postgres test-browser

# The interface's French (.mo files are built, not committed); polib, no gettext needed.
translations: install
	@$(STAGE) "compile translations" $(MANAGE) compile_translations

lint: install
	@$(STAGE) "ruff check" $(BIN)/ruff check .
	@$(STAGE) "ruff format --check" $(BIN)/ruff format --check .

# An empty in-memory database: nothing to check the migration history against, and no var/ needed.
check-migrations: install
	@$(STAGE) "makemigrations --check (test settings)" \
		env DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) \
		$(MANAGE) makemigrations --check --dry-run

test-sqlite: install
	@$(STAGE) "pytest on SQLite" \
		$(ON_SQLITE) FUZZ_EXAMPLES=$(FUZZ_SQLITE_EXAMPLES) \
		$(PYTEST) $(XDIST) -m "not browser and not postgres" $(PYTEST_ARGS)

test-postgres: install
	@$(WAIT_FOR_APT)
	@$(STAGE) "pytest on PostgreSQL (throwaway cluster)" \
		env DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) PYTHON=$(BIN)/python \
		FUZZ_EXAMPLES=$(FUZZ_POSTGRES_EXAMPLES) \
		scripts/with-postgres $(PYTEST) $(XDIST) -m "not browser and not one_database" $(PYTEST_ARGS)

test-browser: install browser-deps
	@$(STAGE) "pytest browser tests (Chromium, SQLite)" \
		$(ON_SQLITE) $(PYTEST) $(XDIST) -m browser $(PYTEST_ARGS)

# --- Benchmark -----------------------------------------------------------------------------

# docs/benchmarks.md. Each database is new and thrown away (a temporary SQLite file, a temporary
# PostgreSQL cluster), migrated with the demo content, then gets the generated resources. Both
# run even when the first misses a goal; the exit status says whether any goal was missed.
# The benchmarks are in benchmarks/ (dev-only, not installed): `python -m benchmarks NAME`.
BENCHMARK := $(BIN)/python -m benchmarks
# The library benchmark's cluster gets the shared_buffers docs/deployment.md recommends ("PostgreSQL
# settings"), not PostgreSQL's 128 MB default, which is smaller than the search table at 100,000.
BENCH_POSTGRES_OPTIONS ?= -c shared_buffers=1GB
bench: install
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; export TMPDIR="$$tmp"; status=0; \
	$(STAGE) "library benchmark on SQLite, $(or $(BENCH_SQLITE_N),10000) resources" \
		env DATABASE_URL="sqlite:///$$tmp/bench.sqlite3" DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) \
		$(BENCHMARK) library --setup --resources $(or $(BENCH_SQLITE_N),10000) || status=1; \
	$(STAGE) "library benchmark on PostgreSQL, $(or $(BENCH_POSTGRES_N),100000) resources" \
		env DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) PYTHON=$(BIN)/python \
		POSTGRES_SERVER_OPTIONS="$(BENCH_POSTGRES_OPTIONS)" scripts/with-postgres \
		$(BENCHMARK) library --setup --resources $(or $(BENCH_POSTGRES_N),100000) || status=1; \
	$(STAGE) "translation queue benchmark on SQLite, $(or $(BENCH_QUEUE_ITEMS),5000) items" \
		env DATABASE_URL="sqlite:///$$tmp/queue.sqlite3" DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) \
		$(BENCHMARK) translation_queue --items $(or $(BENCH_QUEUE_ITEMS),5000) || status=1; \
	$(STAGE) "translation queue benchmark on PostgreSQL, $(or $(BENCH_QUEUE_ITEMS),5000) items" \
		env DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) PYTHON=$(BIN)/python scripts/with-postgres \
		$(BENCHMARK) translation_queue --items $(or $(BENCH_QUEUE_ITEMS),5000) || status=1; \
	$(STAGE) "HTTP load (wrk; gunicorn, PostgreSQL, Redis, demo content)" \
		$(BENCH_HTTP) bench || status=1; \
	if [ "$$status" -ne 0 ]; then echo "make bench: a goal was missed (see above)"; fi; \
	exit "$$status"

# scripts/bench-http: its own throwaway PostgreSQL cluster and Redis, production settings, the demo
# content, gunicorn with 2 workers; installs wrk and redis-server (Debian) when missing.
BENCH_HTTP := env PYTHON=$(BIN)/python scripts/with-postgres $(BIN)/python scripts/bench-http

bench-http: install
	@$(STAGE) "HTTP load (wrk; gunicorn, PostgreSQL, Redis, demo content)" $(BENCH_HTTP) bench

# SOAK_SECONDS (60) of wrk at SOAK_CONNECTIONS (50) on each kind of page, page cache on and off.
soak: install
	@$(STAGE) "soak: each kind of page under load" $(BENCH_HTTP) soak

# PostgreSQL, then Redis, stopped and started under load (docs/testing.md).
fault: install
	@$(STAGE) "PostgreSQL and Redis restarts under load" $(BENCH_HTTP) fault

# --- Dependencies ---------------------------------------------------------------------------

# requirements/*.txt are generated, with hashes, for Python 3.11 from pyproject.toml:
#   uv pip compile pyproject.toml [--extra dev] --python-version 3.11 --generate-hashes -o ...
# uv keeps the pins already in the files where pyproject.toml allows them; `make lock UPGRADE=1`
# moves every pin to the newest release pyproject.toml allows (then run `make audit`).
# Then `make install` (or `make test`) installs the new pins.
LOCK_FLAGS := --quiet --python-version 3.11 --generate-hashes $(if $(UPGRADE),--upgrade)
lock: install
	$(PIP) install --quiet uv==0.13.10 2>&1 | $(PIP_FILTER)
	$(BIN)/uv pip compile $(LOCK_FLAGS) pyproject.toml -o requirements/production.txt
	$(BIN)/uv pip compile $(LOCK_FLAGS) pyproject.toml --extra dev -o requirements/dev.txt

# pip-audit of both lock files, by their pinned versions and hashes (no resolution, no install),
# against PyPI's advisory data (PIP_AUDIT_VULNERABILITY_SERVICE=osv for OSV). scripts/audit tells
# "vulnerabilities found" (its exit 1) from "advisory database unreachable" (its exit 3) in what
# it prints; make fails on both.
audit: install
	$(BIN)/python scripts/audit requirements/production.txt requirements/dev.txt

clean:
	rm -rf .pytest_cache .ruff_cache $(BROWSER_DIR)/node_modules
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

# The long hostile-requests fuzz (scripts/fuzz; the bounded one is tests/site/test_hostile_requests.py).
FUZZ_REQUESTS ?= 20000
fuzz: install
	@$(STAGE) "hostile-requests fuzz (gunicorn, production settings, PostgreSQL, demo content)" \
		env FUZZ_REQUESTS=$(FUZZ_REQUESTS) PYTHON=$(BIN)/python scripts/with-postgres \
		$(BIN)/python scripts/fuzz
