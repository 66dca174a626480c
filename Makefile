# Ustaz: `make run` to try it, `make test` to test it. `make help` lists every target.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
LANGS := -l kk -l ru -l ky -l en

.DEFAULT_GOAL := help
.PHONY: help install run test lint format migrate demo worker beat serve messages bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED) ## create the virtualenv and install Ustaz with its test tools

migrate: install ## apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## load the demo region (safe to run again)
	$(BIN)/python manage.py seed_demo

run: demo ## install, migrate, load demo data and serve at http://127.0.0.1:8000
	@echo "Serving Ustaz at http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install ## run the whole test suite
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install ## a Celery worker (needs CELERY_BROKER_URL)
	$(BIN)/celery -A lms worker --loglevel=info

beat: install ## Celery beat, the periodic scheduler (needs CELERY_BROKER_URL)
	mkdir -p var
	$(BIN)/celery -A lms beat --loglevel=info --schedule=var/celerybeat-schedule

serve: install ## gunicorn, as in production (run collectstatic first)
	$(BIN)/gunicorn lms.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile -

messages: install ## extract strings into locale/*.po and compile the .mo files
	@# compilemessages also compiles lms/catalogues/django (Ustaz's supplement to Django's kk and
	@# ky catalogues), since it is in settings.LOCALE_PATHS; makemessages leaves it alone.
	$(BIN)/python manage.py makemessages $(LANGS) --no-obsolete --no-location --ignore=.venv --ignore=static --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: install ## every benchmark, one table (needs PostgreSQL and CELERY_BROKER_URL; BENCH_SCALE=full: the issues' sizes)
	$(BIN)/python bench/all.py
