# Gawe: one entry point for everything a developer or ops repeats. `make help` lists the verbs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)
export PYTHONWARNINGS ?= ignore::DeprecationWarning,ignore::UserWarning
export PY

.PHONY: help setup rabbitmq queues migrate demo run test test-setup lint format bench gis-import clean

help: ## list the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

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
	$(PY) -m servicekit.reliable_events services.notifications.service:NotificationsService \
	  services.gis.service:GisService

migrate: setup ## apply every service's database migrations
	$(PY) -m servicekit.migrate

demo: migrate ## load the demo data (idempotent) and print the demo logins
	$(PY) -m services.accounts.demo
	@# the demo citizen owns a few reports and acts for one organisation: /saya is not empty
	warga=$$($(PY) -m services.accounts.demo --user-id warga@gawe.example) && \
	$(PY) -m services.complaints.demo --reporter-user-id $$warga && \
	$(PY) -m services.proposals.demo --owner-user-id $$warga

run: setup queues migrate demo ## start all services and the gateway (Ctrl-C stops them)
	@echo "Gateway: http://$${GATEWAY_BIND:-127.0.0.1:8000}  (docs: /api/docs, status: /readyz)"
	exec $(VENV)/bin/honcho -f deploy/Procfile -d . start

test-setup: setup
	@deploy/scripts/ensure-rabbitmq.sh --management
	@deploy/scripts/ensure-postgres.sh

test: test-setup lint ## set up and run the whole test suite
	$(PY) -m pytest -q

lint: setup ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup queues ## start a platform on fresh state in var/bench, load it over HTTP and print the figures
	rm -rf var/bench
	GAWE_VAR_DIR=var/bench $(MAKE) --no-print-directory migrate demo
	GAWE_VAR_DIR=var/bench $(PY) -m bench.run

gis-import: migrate ## import a boundary GeoJSON: make gis-import FILE=path.geojson
	@test -n "$(FILE)" || { echo "usage: make gis-import FILE=path.geojson"; exit 2; }
	$(PY) -m services.gis.importer "$(FILE)"

clean: ## remove the virtualenv and local state (var/)
	rm -rf $(VENV) var
