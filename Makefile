# Gawe: one entry point for everything a developer or ops repeats. `make help` lists the verbs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)
export PYTHONWARNINGS ?= ignore::DeprecationWarning,ignore::UserWarning
export PY

.PHONY: help setup rabbitmq queues migrate demo run status test test-setup lint format deploy-files new-app test-fast bench gis-import dashboard-rebuild clean mutation

help: ## list the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# pyproject.toml holds the apps' entry points (group gawe.apps): a change re-installs the project.
$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "Python 3.11 is required (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

setup: $(VENV)/.installed ## create the virtualenv and install the locked dependencies

rabbitmq: setup ## check RabbitMQ at AMQP_URI (start a local one if installed)
	@deploy/scripts/ensure-rabbitmq.sh

queues: rabbitmq ## declare the durable event queues, so no event published before a consumer starts is lost
	$(PY) -m servicekit.reliable_events

migrate: setup ## apply every app's database migrations
	$(PY) -m servicekit.migrate

demo: migrate ## load the demo data (idempotent) and print the demo logins
	@# each app's loader in turn (servicekit.apps): the demo citizen owns a few reports and
	@# acts for one organisation, so its /saya is not empty
	$(PY) -m servicekit.apps demo

# supervisord (servicekit/supervise.py) restarts a process that dies, with backoff, while the
# others keep serving; Ctrl-C stops every process gracefully (SIGTERM), then supervisord.
run: setup queues migrate demo ## start all services and the gateway under supervisord (Ctrl-C stops them)
	@mkdir -p -m 700 var
	@conf=$$($(PY) -m servicekit.supervise write --bin $(VENV)/bin/) && \
	  echo "Gateway: http://$${GATEWAY_BIND:-127.0.0.1:8000}  (docs: /api/docs, status: /readyz, make status)" && \
	  echo "Logs: $$(dirname $$conf)/logs/<process>.log; control: $(VENV)/bin/supervisorctl -c $$conf" && \
	  exec $(VENV)/bin/supervisord -c $$conf

status: setup ## each process of `make run` (state, pid, restarts, health) and the backlogs
	@$(PY) -W ignore -m servicekit.status

test-setup: setup
	@deploy/scripts/ensure-rabbitmq.sh --management
	@deploy/scripts/ensure-postgres.sh
	@deploy/scripts/ensure-chromium.sh
	@deploy/scripts/ensure-promtool.sh

# TEST_JOBS: pytest processes at once, each on its own vhosts and databases (tests/support/shards.py);
# TEST_FAULT_RUNS: times in a row the fault suite runs
TEST_JOBS ?= 3
TEST_FAULT_RUNS ?= 3
test: test-setup lint ## set up and run the whole test suite (TEST_JOBS processes at once, the fault suite TEST_FAULT_RUNS times)
	$(PY) -m tests.support.shards --jobs $(TEST_JOBS) --fault-runs $(TEST_FAULT_RUNS)

test-fast: setup ## the unit tests alone (pure rules, servicekit, manifests): seconds, no platform started
	$(PY) -m pytest -q tests/unit $$(ls -d tests/*/unit)

lint: setup ## ruff lint and format check; the deploy files match the installed apps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m servicekit.deployfiles --check

new-app: setup ## scaffold a working app of the suite: make new-app NAME=<name> (see docs/adding-an-app.md)
	@test -n "$(NAME)" || { echo "usage: make new-app NAME=<name>"; exit 2; }
	$(PY) -m servicekit.scaffold "$(NAME)"

format: setup ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

deploy-files: setup ## write the deploy files derived from the installed apps' manifests
	$(PY) -m servicekit.deployfiles

# mutmut is not a project dependency: it goes into the venv on demand, the locked versions held
# by requirements.lock as constraints. MUTATION_JOBS: parallel test runs (2 by default).
mutation: setup ## mutation testing of the pure rules (eligibility, lifecycles, SLA, locating): the score per module
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -r requirements-mutation.txt
	@mkdir -p -m 700 var
	rm -rf mutants
	@echo "mutmut: mutating the rules and running their unit tests against each mutant (log: var/mutation.log)"
	@$(VENV)/bin/mutmut run --max-children $${MUTATION_JOBS:-2} > var/mutation.log 2>&1 || \
	  { tr '\r' '\n' < var/mutation.log | tail -40; exit 1; }
	@$(VENV)/bin/mutmut results --all true | awk -F': ' ' \
	  { m = $$1; sub(/^ +/, "", m); sub(/\.x[^.]*$$/, "", m); n[m]++; all++; \
	    if ($$2 == "killed" || $$2 == "timeout") { k[m]++; killed++ } \
	    else if ($$2 == "survived") { s[m]++; survived++ } else { o[m]++; other++ } } \
	  END { print "Mutation score (killed or timed out / all mutants):"; \
	    for (m in n) printf "  %-30s %4d / %4d  %5.1f%%  %3d survived  %3d untested\n", \
	      m, k[m], n[m], 100 * k[m] / n[m], s[m], o[m] | "sort"; close("sort"); \
	    printf "  %-30s %4d / %4d  %5.1f%%  %3d survived  %3d untested\n", \
	      "all", killed, all, 100 * killed / all, survived, other }'
	@echo "Survivors: $(VENV)/bin/mutmut results; one in full: $(VENV)/bin/mutmut show <name>"

bench: setup queues ## start a platform on fresh state in var/bench, load it over HTTP and print the figures
	@deploy/scripts/ensure-postgres.sh  # PostGIS for the OGC rows' peer (bench/peer.py)
	rm -rf var/bench
	GAWE_VAR_DIR=var/bench $(MAKE) --no-print-directory migrate demo
	GAWE_VAR_DIR=var/bench $(PY) -m bench.run

gis-import: migrate ## import a boundary GeoJSON: make gis-import FILE=path.geojson
	@test -n "$(FILE)" || { echo "usage: make gis-import FILE=path.geojson"; exit 2; }
	$(PY) -m services.gis.importer "$(FILE)"

dashboard-rebuild: migrate ## empty the leaders' dashboard's read model and refill it from every app's outbox (the platform running)
	$(PY) -m services.dashboard.rebuild

clean: ## remove the virtualenv and local state (var/)
	rm -rf $(VENV) var
