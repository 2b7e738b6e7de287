# Run `make help` to see what each target does.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Links the demo prints and the API returns point at the port actually served.
export EXHIBITIONS_BASE_URL ?= http://$(HOST):$(PORT)

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this help
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.PHONY: setup
setup: ## Install uv, the Debian libraries and the Python dependencies
	@bash scripts/bootstrap.sh
	@uv sync --frozen --quiet

.PHONY: run
run: setup ## Create the SQLite database under var/, load the demo data and serve on http://127.0.0.1:8000
	@uv run --frozen exhibitions migrate
	@uv run --frozen exhibitions demo
	@uv run --frozen exhibitions serve --host $(HOST) --port $(PORT)

.PHONY: test
test: ## Run the whole test suite (SQLite by default; set EXHIBITIONS_DATABASE_URL for PostgreSQL)
	@bash scripts/bootstrap.sh --browser
	@uv sync --frozen --quiet
	@uv run --frozen pytest $(PYTEST_ARGS)

.PHONY: lint
lint: ## Check formatting, lint and types (ruff, mypy)
	@uv sync --frozen --quiet
	@uv run --frozen ruff format --check .
	@uv run --frozen ruff check .
	@uv run --frozen mypy

.PHONY: format
format: ## Reformat the code and apply safe lint fixes
	@uv run --frozen ruff format .
	@uv run --frozen ruff check --fix .

.PHONY: bench
bench: setup ## Measure requests/s of GET /api/v1/exhibitions/{slug} (see docs/benchmarks.md)
	@uv run --frozen python bench/http_read.py

.PHONY: messages
messages: ## Extract translatable strings and merge them into the ar/fr/en catalogs
	@mkdir -p var
	@uv run --frozen pybabel extract -F babel.cfg -k N_ -o var/messages.pot . >/dev/null 2>&1
	@uv run --frozen python scripts/update_catalogs.py var/messages.pot src/exhibitions/locale

.PHONY: clean
clean: ## Remove the local database and caches
	rm -rf var .pytest_cache .mypy_cache .ruff_cache test-artifacts
