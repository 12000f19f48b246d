# Attune: `make run` to try it, `make test` to check it. Nothing else is needed on a
# machine with Python 3.12.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DEBUG ?= 1

.PHONY: run test install bench screenshot clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Attune needs Python 3.12 or newer (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 12) else None'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check ".[test]"
	@touch $(STAMP)

install: $(STAMP)

## run: the app, a Celery worker and beat, on SQLite (or DATABASE_URL/REDIS_URL if set)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_prompts
	@echo ""
	@echo "  Attune is starting: open http://127.0.0.1:8000/  (emails are printed here)"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

## test: the whole suite (browser journeys too when Chromium is installed)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## bench: hot pages under load and reminders at scale, on PostgreSQL and Redis (prints figures)
bench: install
	$(BIN)/python -m tests.bench $(BENCH)

## screenshot: copy the reveal screenshot the browser journey saved into docs/
screenshot:
	mkdir -p docs
	cp var/screenshots/reveal-phone.png docs/reveal-phone.png

clean:
	rm -rf $(VENV) var staticfiles
