# Homeward: thin wrappers over scripts/. Start with `make run` or `make test`.
.PHONY: run test lint e2e bench demo clean help

help:
	@echo "make run    set up (virtualenv, dependencies, SQLite, demo data) and serve on http://127.0.0.1:$${PORT:-8000}"
	@echo "make test   set up and run the whole suite: lint, types, SQLite, PostgreSQL, browser journeys"
	@echo "make lint   ruff and mypy only"
	@echo "make e2e    browser journeys only (Chromium)"
	@echo "make bench  benchmarks (never part of make test); writes BENCHMARKS.md"
	@echo "make demo   (re)create the demo data in the local database"

run:
	@scripts/serve

test:
	@scripts/test

lint:
	@scripts/test lint

e2e:
	@scripts/test e2e

bench:
	@scripts/bench

demo:
	@scripts/provision && .venv/bin/python manage.py seed_demo

clean:
	rm -rf .venv var/static
