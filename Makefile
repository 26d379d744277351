# The interface to the project: `make run`, `make test`, `make test-fast`, `make lint`,
# `make fmt`, `make bench`, `make soak`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# uv comes from PyPI like everything else; `python3 -m uv` finds it wherever pip put it.
UV := python3 -m uv

.PHONY: install run test lint fmt bench soak lock messages clean
.PHONY: setup test-fast

$(VENV)/.installed: requirements.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) venv --quiet --allow-existing $(VENV) --python python3.11
	$(UV) pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	touch $@

install: $(VENV)/.installed ## Install the pinned dependencies into .venv

# axe-core for the browser tests' accessibility checks, pinned in package.json; no lock file,
# since npm's records download addresses.
node_modules/.installed: package.json
	npm install --no-audit --no-fund --no-package-lock --loglevel=error
	touch $@

lock: ## Re-pin requirements.lock from pyproject.toml (names and versions only)
	$(UV) pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11 -q

# Without the settings, which want a SECRET_KEY when DEBUG is off: compilemessages finds locale/
# from here on its own.
messages: install ## Compile the Swedish and English translations (locale/)
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		env -u DJANGO_SETTINGS_MODULE $(PY) -m django compilemessages --ignore=.venv --ignore=node_modules -v 0; fi

run: export DEBUG = true
# Links in e-mails lead to the server started here (settings.py: SITE_URL's default), unless
# SITE_URL is set in the environment or in .env.
run: export SERVER_URL = http://$(HOST):$(PORT)
run: install messages ## Migrate, load the demo data and start web + worker + beat on SQLite
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Uppdrag runs at http://$(HOST):$(PORT)/  (Ctrl-C stops web, worker and beat)"
	@echo ""
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(PY) -m celery -A config worker --loglevel=warning --pool=threads --concurrency=2 & \
	$(PY) -m celery -A config beat --loglevel=warning & \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT) & \
	wait

# The suite runs on PostgreSQL and Redis, as CI and production do (.ci/setup starts them), in
# parallel: pytest-xdist, one worker per core and one more, each with a database, a Redis
# database, a var/ and ports of its own (tests/environment.py). The extra worker uses the time
# the others wait on a browser, a process they started or the database: with one a core, a
# fifth to a quarter of the 2 cores here stood idle while the browser tests ran (531 s for the
# whole of .ci/run); with one more, none (509 s). DATABASE_URL and CELERY_BROKER_URL from the
# environment win; the test database's name is DATABASE_URL's with "test_" before it.
test test-fast: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/uppdrag
test test-fast: export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
# `--dist load` hands tests out in the order pytest-django sorts them: a worker runs its tests
# that flush the database (transactional ones) after all its tests that roll back, as one
# process would, so no test meets a database emptied of what the migrations put there.
PYTEST := $(PY) -m pytest -n $(PYTEST_WORKERS) --dist load

test: setup install messages node_modules/.installed ## Run the whole suite, browser walk included
	$(PYTEST)

# Everything but the browser tests (tests/e2e) and the tests that start another process (a
# worker, a settings probe, a server): found from the tests' code, see tests/lanes.py. npm's
# packages still, since collecting the browser tests reads axe-core.
test-fast: setup install messages node_modules/.installed ## The fast lane: no browser, no other processes
	$(PYTEST) -m "not e2e and not slow"

setup: ## What the suite and the benchmarks need from the machine (.ci/setup)
	@.ci/setup

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# `make bench BENCH=property_lifecycle` runs one of them.
BENCH ?= [!_]*
bench: install messages ## Benchmarks against PostgreSQL and Redis (see bench/README.md)
	@for b in bench/$(BENCH).py; do echo "== $$b"; $(PY) $$b || exit 1; done

# PostgreSQL and Redis up before a benchmark, as before the suite (a rule of its own, so the
# bench target's own lines stay as they are)
bench: setup

# `make bench` runs the soak's 10 minutes; this is its hour (bench/soak.py, issue 30). It starts
# a PostgreSQL and a Redis of its own; the shared ones only lend it the migrated template.
soak: setup install messages ## The reminders through an hour of faults (bench/README.md)
	$(PY) bench/soak.py --full

clean:
	rm -rf var/celery var/db.sqlite3 var/test .pytest_cache
