# Newsroom: `make run` to try it, `make test` to check it. Both need only Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
MANAGE := $(PY) manage.py
# No DATABASE_URL: an embedded PostgreSQL under .data/ (run) or a temporary folder (test).
DEV_ENV := DEBUG=1

.PHONY: install run test test-browser lint format bench load messages check-deploy clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" || { echo "error: Python 3.11 is required (set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev,dev-db]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) load_demo
	$(DEV_ENV) $(MANAGE) ensure_editor
	@echo "Newsroom: http://127.0.0.1:8000/   desk: http://127.0.0.1:8000/admin/"
	@# --noreload: one process, so stopping it (Ctrl-C) also stops the embedded PostgreSQL.
	@# The task worker and the scheduler (docs/tasks.md) run beside it and stop with it.
	@$(DEV_ENV) $(MANAGE) db_worker --no-reload --queue-name='*' --verbosity 0 & worker=$$!; \
	$(DEV_ENV) $(MANAGE) run_scheduler --verbosity 0 & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(DEV_ENV) $(MANAGE) runserver --noreload 127.0.0.1:8000

test: $(STAMP)
	@# axe-core for the accessibility tests, when npm is there (they skip, saying why, without it).
	@if command -v npm >/dev/null && [ ! -d tests/a11y/node_modules/axe-core ]; then \
		npm ci --prefix tests/a11y --no-audit --no-fund || echo "warning: npm ci failed; the axe tests will skip"; fi
	@tmp=$$(mktemp -d); \
	EMBEDDED_PGDATA=$$tmp/postgres EMBEDDED_PG_CLEANUP=delete $(PY) -m pytest $(PYTEST_ARGS); \
	status=$$?; rm -rf $$tmp; exit $$status

test-browser: $(STAMP)
	$(MAKE) test PYTEST_ARGS="-m browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Translations have one source: locale/ar/LC_MESSAGES/*.po. This updates them from the code
# (new strings arrive untranslated, or fuzzy: check those), then compiles; see docs/translations.md.
messages: $(STAMP)
	$(DEV_ENV) $(MANAGE) makemessages -l ar --no-wrap --ignore=.venv --ignore=staticfiles --ignore=tests
	$(DEV_ENV) $(MANAGE) makemessages -l ar -d djangojs --no-wrap --ignore=.venv --ignore=staticfiles --ignore=static/vendor --ignore=node_modules --ignore=tests
	$(DEV_ENV) $(MANAGE) compilemessages -l ar --ignore=.venv

check-deploy: $(STAMP)
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=news.example.org $(MANAGE) check --deploy --fail-level WARNING

# Figures on stdout (`name: value unit`), progress on stderr. BENCH_ARTICLES (default 100000),
# BENCH_REUSE=1 to keep an earlier bench database of the same size; see docs/benchmarks.md.
bench: $(STAMP)
	SECRET_KEY=$${SECRET_KEY:-bench-only-not-a-secret} SECURE_SSL_REDIRECT=0 \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost,testserver} $(PY) -m bench

# Load test (docs/benchmarks.md): gunicorn as in production under `wrk -t2 -c64 -d120s` over a
# mix of reader pages; LOAD_ARTICLES (default 100000) picks the bench database. Exit 1 on any error.
load: $(STAMP)
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) .data staticfiles
