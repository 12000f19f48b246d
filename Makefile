# Attune: `make run` to try it, `make test` to check it. Nothing else is needed on a
# machine with Python 3.12.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKS := requirements/uv.txt requirements/base.txt requirements/dev.txt
export DEBUG ?= 1

.PHONY: run test lint lock install bench screenshots clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Attune needs Python 3.12 or newer (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 12) else None'
	$(PYTHON) -m venv $(VENV)

# The locked versions, hashes checked: pip brings uv (itself locked), uv makes the venv
# match requirements/dev.txt exactly, in seconds.
$(STAMP): requirements/uv.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/uv.txt
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes requirements/dev.txt
	@touch $(STAMP)

install: $(STAMP)

## run: the app, a Celery worker and beat, on SQLite (or DATABASE_URL/REDIS_URL if set)
##      on http://127.0.0.1:$(PORT); `make run PORT=8123` for another port
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_prompts
	@echo ""
	@echo "  Attune is starting: open $(SITE_URL)/  (emails are printed here)"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start --port $(PORT)

## test: the whole suite (browser journeys too when Chromium and axe-core are installed)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: style, types, layers, declared dependencies, migrations in step with models
##       (every check runs; any failure fails the target)
##       (makemigrations compares models with migration files: no database needed, so
##       it runs on SQLite whatever DATABASE_URL says)
##       pip-audit checks the production lockfile against PyPI's advisory database: a
##       known vulnerability fails; a package the service cannot answer for is listed
##       as skipped (here most are: see its table), not failed
LINTERS := "ruff check ." "ruff format --check ." "mypy ." "lint-imports" "deptry ." \
	"env DATABASE_URL= python manage.py makemigrations --check --dry-run" \
	"pip-audit --progress-spinner off --disable-pip --require-hashes -r requirements/base.txt"
lint: install
	@failed=""; for check in $(LINTERS); do \
		echo "--- $$check"; PATH="$(CURDIR)/$(BIN):$$PATH" $$check || failed="$$failed\n  $$check"; \
	done; \
	if [ -n "$$failed" ]; then echo -e "--- lint failed:$$failed"; exit 1; fi

## lock: resolve pyproject.toml into requirements/*.txt (hashed); keeps current pins
##       unless asked: `make lock LOCK_ARGS=--upgrade` (or --upgrade-package NAME)
COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.12 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS)
lock: install
	$(COMPILE) pyproject.toml --extra test --extra dev -o requirements/dev.txt
	$(COMPILE) pyproject.toml -c requirements/dev.txt -o requirements/base.txt
	echo uv | $(COMPILE) - -c requirements/dev.txt -o requirements/uv.txt

## bench: hot pages under load and reminders at scale, on PostgreSQL and Redis (prints figures)
bench: install
	$(BIN)/python -m tests.bench $(BENCH)

## screenshots: every first-week screen at 320x568 and 390x844, light and dark, into docs/screens/
screenshots: install
	mkdir -p docs/screens
	ATTUNE_SCREENS_DIR=$(CURDIR)/docs/screens DEBUG=1 $(BIN)/python -m pytest tests/e2e/test_first_week.py -q -k every_first_week_screen

clean:
	rm -rf $(VENV) var staticfiles
