# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install install-test demo lint browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(STAMP)

install-test: $(TSTAMP) browser-deps

# Debian's chromium and the Chinese font for the browser tests (never `playwright install`).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftotext ] || ! fc-list 2>/dev/null | grep -qi wenquanyi; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei poppler-utils) >/dev/null 2>&1 \
	      || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "warning: run 'apt-get install -y chromium fonts-wqy-microhei' as root for the browser tests"; fi; \
	fi

demo: $(STAMP)
	$(BIN)/kexie compilemessages -v0 --ignore=.venv
	$(BIN)/kexie migrate --no-input -v0
	$(BIN)/kexie load_regions
	$(BIN)/kexie demo

run: demo
	$(BIN)/kexie db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/kexie runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/kexie compilemessages -v0 --ignore=.venv
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	DB_CONN_MAX_AGE=0 $(BIN)/pytest -p no:cacheprovider -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(TSTAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var/*.sqlite3*
