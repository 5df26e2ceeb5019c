# Lifeline: `make demo` runs the product with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/lifeline
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup keys demo test lint test-sqlite test-postgres test-operators services bench messages screenshots clean system-packages catalogs

setup: $(STAMP) system-packages $(NODE_STAMP) messages keys

# Web Push (VAPID) keys for the nationals' app: made once, kept in var/ (or set VAPID_* in the environment).
keys: $(STAMP)
	$(PY) manage.py vapid_keys >/dev/null

$(STAMP): requirements/base.txt requirements/test.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements/test.txt
	touch $(STAMP)

# Browser libraries (Leaflet and its drawing tool, package.json) from the npm registry, served by
# the product itself from node_modules/ (settings.STATICFILES_DIRS): never copied into the repository.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

# Debian packages: Chromium for the browser tests, gettext for the catalogs, curl for the operators test,
# xmlsec1 to check CAP signatures with a reader of its own, fonts-noto-core for briefings in every
# script the product ships (Bengali, Devanagari, Sinhala, Ethiopic, Arabic, Urdu Nastaliq, Latin).
system-packages:
	@missing=""; \
	for p in chromium chromium-driver gettext fonts-noto-core curl xmlsec1 libreoffice-writer-nogui; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v 0

# The demo runs as a deployment would: no debug pages (DEBUG off), static files through WhiteNoise.
demo: setup
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo
	DEBUG=0 $(PY) manage.py runserver 127.0.0.1:8000

# PostgreSQL and Redis are normally running; start them if they are not.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done

test: setup services
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-operators

# Lint and format check (ruff.toml); `make fix` rewrites what ruff can.
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fix:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== test suite on PostgreSQL =="
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS)

# The operators' guide in executable form (deploy/test-operators.sh): as root, on PostgreSQL, a fresh
# virtualenv from requirements/base.txt alone, the three processes, a message delivered, backup,
# restore, key rotation, an added language and an upgrade. Skipped (with a message) when not root.
test-operators:
	@echo "== the operators' guide, command for command =="
	@if [ "$$(id -u)" = 0 ]; then SMTP_PYTHON=$(CURDIR)/$(PY) deploy/test-operators.sh; \
	else echo "test-operators needs root (it creates a service user): skipped"; fi

bench: setup services
	$(PY) bench/import_rows.py
	DATABASE_URL=$(PG_URL) $(PY) bench/import_rows.py
	$(PY) bench/targeting.py
	DATABASE_URL=$(PG_URL) $(PY) bench/targeting.py
	DATABASE_URL=$(PG_URL) $(PY) bench/checkin_surge.py
	DATABASE_URL=$(PG_URL) $(PY) bench/fanout.py

clean:
	rm -rf $(VENV) node_modules var db.sqlite3*

# Screenshots of the main pages for the README (real Chromium, demo data).
screenshots: setup
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest tests/e2e -q -p no:warnings

# Refresh the gettext catalogs of the six staff languages from the code and templates, then the
# migrant languages' catalogs to exactly the texts migrants read (lifeline/core/catalogs.py).
LANGS := en es fr ar ru pt
catalogs: $(STAMP)
	$(PY) manage.py makemessages $(foreach l,$(LANGS),-l $(l)) --no-obsolete --no-location \
	  --ignore=.venv --ignore=tests --ignore=bench --ignore=docs --ignore='*/tests/*' --ignore=conftest.py -v 0
	$(PY) manage.py migrant_catalogs
