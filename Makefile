# Quick start: `make run` (site with demo content) and `make test` (whole suite on PostgreSQL).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom

.PHONY: run test install migrate seed lint bench clean constraints resilience

# constraints.txt pins the exact versions CI tested (pyproject.toml keeps the ranges).
# pip -qq prints errors only (they still stop make): no index-location warnings from a machine's pip
# config, no setuptools notice about editable installs, no "new pip available" line.
PIP_INSTALL := $(PY) -m pip install -qq --disable-pip-version-check
$(VENV)/.installed: pyproject.toml constraints.txt
	@echo "Installing Newsroom and its dependencies into $(VENV) (a few minutes the first time)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PIP_INSTALL) --upgrade pip
	@$(PIP_INSTALL) -e ".[dev]" -c constraints.txt
	@touch $@

install: $(VENV)/.installed

run: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@echo "Newsroom is at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=$${DEBUG:-1} NEWSROOM_SITE_URL=$${NEWSROOM_SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m scripts.check_database || exit 1
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks print their figures and in-run baselines (never asserted); they need PostgreSQL.
bench: install
	$(PY) bench/renditions.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/ingest.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/beacon.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/workflow.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/pipeline.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/api.py
	# Reader pages under gunicorn/wrk/nginx (a few minutes; builds its 10k corpus once). 100k: bench/pages.py --large 100000
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/pages.py
	# What the pushed generation costs a write (lease holders acknowledge before it returns).
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/push.py
	# Search (English and Korean) and the desk story list at 10k and 100k stories (builds its corpora once, ~10 min each).
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) bench/search.py
	$(PY) bench/sanitizer.py

# Resilience suite (scripts/resilience.py): gunicorn under 50 clients with its own PostgreSQL, Redis and
# SMTP server on 127.0.0.1, each failing mid-load; prints requests, errors, p50/p99. About 3 minutes.
# Its own ports: RESILIENCE_ARGS="--port-base 8120" (8120..8123), so two runs on one machine do not collide.
resilience: install
	$(PY) scripts/resilience.py $(RESILIENCE_ARGS)

# ruff, then import-linter's contracts in pyproject.toml (one-way app dependencies, no import cycle).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# After adding or upgrading a dependency in pyproject.toml: re-pin what the venv now holds, then
# `make lint test` and commit pyproject.toml and constraints.txt together.
constraints: install
	$(PIP_INSTALL) -e ".[dev]"
	{ sed -n '1,3p' constraints.txt; $(PY) -m pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Backups (docs/deploying.md). With DATABASE_URL set, the native tools run against it (plus
# MEDIA_ROOT, PRIVATE_MEDIA_ROOT, BACKUP_DIR); without, they run in the compose stack's `backup`
# service, which has the server's own pg_dump and writes to ./backups (BACKUP_HOST_DIR).
COMPOSE ?= docker compose
.PHONY: backup restore

backup:
	@if [ -n "$$DATABASE_URL" ]; then scripts/backup.sh; \
	else $(COMPOSE) --profile ops run --rm backup /ops/backup.sh; fi

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/newsroom-YYYYMMDDTHHMMSSZ.tar" >&2; exit 2; }
	@if [ -n "$$DATABASE_URL" ]; then scripts/restore.sh "$(FILE)"; \
	else $(COMPOSE) stop web; \
	  $(COMPOSE) --profile ops run --rm backup /ops/restore.sh "/backups/$$(basename "$(FILE)")"; status=$$?; \
	  $(COMPOSE) start web; exit $$status; fi
