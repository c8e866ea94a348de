# Capacita: los dos comandos del README son `make run` y `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# El puerto real llega a todo enlace absoluto (QR, verificación, Open Badge, correos,
# listado de la demo): runserver, el worker y crear_demo lo leen (tenants/enlaces.py).
CAPACITA_PUERTO ?= $(PORT)
export CAPACITA_PUERTO
# Sin DATABASE_URL se usa un PostgreSQL embebido bajo .data/ (scripts/pg_embebido.py).
DB := DATABASE_URL=$${DATABASE_URL:-$$($(PY) scripts/pg_embebido.py url)}

.PHONY: run test lint format install static migrate demo worker stop clean h5p

$(VENV)/.instalado: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.instalado h5p

# Reproductor H5P (DESIGN.md §2): npm con --ignore-scripts (su preinstall falla).
h5p: static/vendor/h5p-standalone/main.bundle.js

static/vendor/h5p-standalone/main.bundle.js: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	rm -rf static/vendor/h5p-standalone && mkdir -p static/vendor
	cp -R node_modules/h5p-standalone/dist static/vendor/h5p-standalone
	touch $@

static: install
	$(PY) manage.py collectstatic --noinput --verbosity 0

migrate: install
	$(DB) $(PY) manage.py migrate_schemas --executor=multiprocessing

demo: migrate
	$(DB) $(PY) manage.py crear_demo

run: install static
	@set -e; export $(DB); \
	$(PY) manage.py migrate_schemas --executor=multiprocessing; \
	$(PY) manage.py crear_demo; \
	if [ -n "$$CELERY_BROKER_URL" ]; then \
	  $(VENV)/bin/celery -A config worker -B --loglevel INFO & \
	fi; \
	trap 'kill 0' EXIT; \
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# Capas en un solo sentido (DESIGN.md §4, docs/arquitectura.md).
	$(VENV)/bin/lint-imports

test: lint
	@set -e; export $(DB) DJANGO_SETTINGS_MODULE=config.settings.test; \
	$(PY) manage.py makemigrations --check --dry-run --noinput; \
	$(PY) -m pytest --create-db $(PYTEST_ARGS)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# pg_ctl stop -m fast y espera a que el postmaster termine; si no lo logra, falla
# y `make clean` no borra .data/ bajo un servidor vivo.
stop:
	$(PY) scripts/pg_embebido.py detener

clean: stop
	@if [ "$$($(PY) scripts/pg_embebido.py estado)" != "detenido" ]; then \
	  echo "PostgreSQL embebido sigue corriendo: no se borra .data/" >&2; exit 1; \
	fi
	rm -rf .data staticfiles
