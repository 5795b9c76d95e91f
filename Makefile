# Kansrijk — the two commands a new user types: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo messages check-messages lint browser-test test-fast bench clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

messages: install
	$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: install messages
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

## make run: set up everything, load the demo region and serve at http://127.0.0.1:8000
run: demo
	@echo ""
	@echo "Kansrijk runs at http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@echo "  the public desk: http://$(HOST):$(PORT)/   professionals log in: http://$(HOST):$(PORT)/accounts/login/"
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: install and run the whole test suite (browser tests too where Chromium is installed)
test: install messages lint check-messages
	$(PY) manage.py makemigrations --check --dry-run -v0 --settings=kansrijk.settings.test
	DJANGO_SECRET_KEY=check-deploy-only-key-0123456789-abcdefghijklmnopqrstuvwxyz DJANGO_ALLOWED_HOSTS=kansrijk.example.nl \
		$(PY) manage.py check --deploy --fail-level WARNING --settings=kansrijk.settings.production
	$(PY) -m pytest -m "not browser" -q
	@if [ -x "$${CHROMIUM:-/usr/bin/chromium}" ]; then \
		$(MAKE) --no-print-directory browser-test; \
	else \
		echo "NOTE: browser tests LEFT OUT: no Chromium at $${CHROMIUM:-/usr/bin/chromium} (apt-get install chromium; .ci/run does)."; \
	fi

test-fast: install
	$(PY) -m pytest -m "not browser" -q -x

# axe-core (npm registry, pinned in package-lock.json) checks the public pages in the browser tests.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

browser-test: install messages node_modules/axe-core/axe.min.js
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -q -p no:randomly

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make bench: figures and list pages against their raw SQL on PostgreSQL, at 10k, 100k and national size
## (SIZES=2000,5000 for a quick run, PAGES=region,dashboard for some pages; see docs/benchmarks.md). Uses the
## databases kansrijk_bench_<size>.
bench: install messages
	$(PY) scripts/bench.py $(if $(SIZES),--sizes $(SIZES),)

## Fails when a shipped language has untranslated or fuzzy strings.
check-messages: install
	$(PY) scripts/check_translations.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
