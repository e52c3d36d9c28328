# Homeward: thin wrappers over scripts/. Start with `make run` or `make test`.
.PHONY: run test lint e2e bench loadtest demo clean help

help:
	@echo "make run    set up (virtualenv, dependencies, SQLite, demo data) and serve on http://127.0.0.1:$${PORT:-8000}"
	@echo "make test   set up and run the whole suite: lint, types, SQLite, PostgreSQL, browser journeys"
	@echo "make lint   ruff and mypy only"
	@echo "make e2e    browser journeys only (Chromium)"
	@echo "make bench  benchmarks (never part of make test); writes BENCHMARKS.md"
	@echo "make loadtest  locust, 100 users for 5 minutes against gunicorn on 127.0.0.1 (SQLite, then PostgreSQL)"
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

loadtest:
	@scripts/loadtest

demo:
	@scripts/provision && .venv/bin/python manage.py seed_demo

clean:
	rm -rf .venv .venv-loadtest var/static
