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

.PHONY: run test test-rapido lint tipos format install lock static migrate demo worker stop clean h5p \
	topologia topologia-stop

# Versiones exactas y con hash del archivo de bloqueo (requirements-dev.txt, que `make
# lock` genera desde pyproject.toml); el proyecto mismo va sin dependencias.
$(VENV)/.instalado: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
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

# Regenera el bloqueo tras cambiar dependencias en pyproject.toml (o para actualizarlas:
# `make lock LOCK_ARGS=--upgrade`). Resuelve para el Python del venv (3.11).
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: install
	$(PIP_COMPILE) -o requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.txt -o requirements-dev.txt pyproject.toml

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# Capas en un solo sentido (DESIGN.md §4, docs/arquitectura.md).
	$(VENV)/bin/lint-imports

# mypy con django-stubs (pyproject.toml [tool.mypy]): estricto en lib/ y en cada
# services/selectors, indulgente en el resto. Carga los ajustes de prueba pero no
# abre la base de datos.
tipos: install
	$(VENV)/bin/mypy

test: lint tipos
	@set -e; export $(DB) DJANGO_SETTINGS_MODULE=config.settings.test; \
	$(PY) manage.py makemigrations --check --dry-run --noinput; \
	$(PY) -m pytest --create-db $(PYTEST_ARGS)

# Sin lint, reutilizando la base de pruebas y sin navegador ni fallas (los más lentos).
test-rapido: install
	@set -e; export $(DB) DJANGO_SETTINGS_MODULE=config.settings.test; \
	$(PY) -m pytest --reuse-db -m "not e2e" --ignore=tests/fallas $(PYTEST_ARGS)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Topología de producción en esta máquina (DESIGN.md §9, deploy/topologia.py): nginx,
# dos nodos gunicorn, worker con beat; Redis y PostgreSQL del entorno (REDIS_URL o
# CAPACITA_REDIS_DB, DATABASE_URL). `make topologia-stop` la detiene.
TOPOLOGIA_DIR ?= /tmp/capacita-topologia
topologia: install static
	@export $(DB); $(PY) deploy/topologia.py start --dir $(TOPOLOGIA_DIR) --migrar
	@$(PY) deploy/topologia.py status --dir $(TOPOLOGIA_DIR)

topologia-stop:
	$(PY) deploy/topologia.py stop --dir $(TOPOLOGIA_DIR)

# pg_ctl stop -m fast y espera a que el postmaster termine; si no lo logra, falla
# y `make clean` no borra .data/ bajo un servidor vivo.
stop:
	$(PY) scripts/pg_embebido.py detener

clean: stop
	@if [ "$$($(PY) scripts/pg_embebido.py estado)" != "detenido" ]; then \
	  echo "PostgreSQL embebido sigue corriendo: no se borra .data/" >&2; exit 1; \
	fi
	rm -rf .data staticfiles
