# noviwerk — the two commands a newcomer needs:
#   make run    set up, load the demo programme, serve on http://127.0.0.1:5000 (SQLite)
#   make test   the whole test suite, on SQLite and on a throwaway PostgreSQL
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := noviwerk

.PHONY: run test test-sqlite test-postgres install translations extract lint bench clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	@if ls noviwerk/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel compile -d noviwerk/translations; fi

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "noviwerk: http://127.0.0.1:5000 (Ctrl-C stops it)"
	NOVIWERK_BIND=127.0.0.1:5000 $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: install
	scripts/ensure-system-packages
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== test suite on SQLite =="
	$(BIN)/python -m pytest -q

test-postgres:
	@echo "== test suite on PostgreSQL =="
	scripts/with-postgres $(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check .

bench: install
	$(BIN)/python tests/bench/bench_bouwsteen.py

clean-db:
	rm -f instance/noviwerk.sqlite instance/noviwerk.sqlite-wal instance/noviwerk.sqlite-shm

# After adding or changing UI strings: extract, update, translate the new entries in
# noviwerk/translations/en/LC_MESSAGES/messages.po, then `make translations`.
extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --project=noviwerk --version=0.1.0 --copyright-holder=noviwerk -o noviwerk/translations/messages.pot .
	$(BIN)/pybabel update -i noviwerk/translations/messages.pot -d noviwerk/translations
