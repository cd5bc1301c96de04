# eBOK: two commands do all the set-up: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-clock lint unit integration e2e bench venv chromium cfn-lint clean node js-deps js-lint js-test api-types

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# Debian's Chromium drives the browser tests (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# The portal's JavaScript checks: Debian's node and npm, the npm packages pinned in
# package.json + package-lock.json (eslint, typescript, axe-core for the browser tests).
NPM_STAMP := node_modules/.installed
node:
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing node and npm for the portal's checks"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }

$(NPM_STAMP): package.json package-lock.json
	@$(MAKE) --no-print-directory node
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NPM_STAMP)

js-deps: $(NPM_STAMP)

# ESLint (ES modules), tsc --checkJs --strict over every portal module, and the vendored
# axe-core is the pinned one.
js-lint: $(NPM_STAMP)
	node_modules/.bin/eslint .
	node_modules/.bin/tsc -p tsconfig.json
	cmp node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js

# Unit tests of the portal's formatting and components modules with node's built-in runner.
js-test: node
	TZ=UTC node --test tests/js

# The portal's JSDoc typedefs of API answers (chalicelib/web/api-types.js) from the OpenAPI
# document; tests/unit/test_portal_api_types.py fails when the committed file is stale.
api-types: $(STAMP)
	$(PY) -m devstack.api_types

run: $(STAMP)
	$(PY) -m devstack run

lint: $(STAMP) js-lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy app.py chalicelib devstack
	$(VENV)/bin/xenon --max-absolute C --max-modules C --max-average A chalicelib devstack bench

cfn-lint: $(STAMP)
	$(PY) -m devstack package-check

# Two pytest-xdist workers (the machine has 2 cores). --dist loadgroup: the browser tests
# form one group (tests/e2e/conftest.py), so one worker starts the local stack and runs
# them all while the other takes the rest test by test. PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2
XDIST := -n $(PYTEST_WORKERS) --dist loadgroup

unit: $(STAMP)
	$(PY) -m pytest -q $(XDIST) tests/unit

integration: $(STAMP)
	$(PY) -m pytest -q $(XDIST) tests/integration

e2e: $(STAMP) chromium
	$(PY) -m pytest -q $(XDIST) tests/e2e

test: $(STAMP) chromium lint cfn-lint js-test
	$(PY) -m pytest -q $(XDIST) tests

# The time-sensitive tests at the instants where clocks break (Warsaw time): late evening
# (21:50, 23:30), the last and first day of a month, 31 December, both daylight-saving
# change days. `make test` itself runs at one fixed instant (tests/conftest.py).
CLOCK_INSTANTS ?= 2026-11-30T21:50:00+01:00 2026-11-30T23:30:00+01:00 \
	2027-02-28T12:00:00+01:00 2027-03-01T00:30:00+01:00 2026-12-31T23:30:00+01:00 \
	2027-03-28T03:30:00+02:00 2027-10-31T02:30:00+01:00
CLOCK_TESTS ?= tests/unit tests/integration/test_invoicing_job.py \
	tests/integration/test_invoicing_api.py tests/integration/test_invoicing_readings.py \
	tests/integration/test_payments_notices.py tests/integration/test_payments_seed.py \
	tests/integration/test_payments_ledger.py tests/integration/test_outages_api.py \
	tests/integration/test_outages_notifier.py tests/integration/test_outages_alerts.py \
	tests/integration/test_auth_login.py tests/integration/test_auth_registration.py \
	tests/integration/test_trust_auth.py \
	tests/integration/test_notifications_dunning.py \
	tests/integration/test_reports_job.py \
	tests/e2e/test_outages_portal.py tests/e2e/test_invoicing_portal.py \
	tests/e2e/test_payments_portal.py

test-clock: $(STAMP) chromium
	@set -e; for t in $(CLOCK_INSTANTS); do \
	  echo "== clock at $$t (EBOK_NOW)"; \
	  EBOK_NOW=$$t $(PY) -m pytest -q -p no:cacheprovider $(CLOCK_TESTS); \
	done

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build node_modules
