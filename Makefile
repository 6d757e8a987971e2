# Early help case coordination. `make run` serves the demo; `make test` runs everything CI runs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUM := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-test-$(SUM)
RUN_STAMP := $(VENV)/.installed-$(SUM)
PORT ?= 5000
# Two pytest-xdist workers (each with its own databases and Redis database); PYTEST_ARGS= runs serially.
PYTEST_ARGS ?= -n 2
ASSETS := coordination/static/.built
DEV := COORDINATION_ENV=development
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
REDIS_URL_FOR_TESTS ?= redis://127.0.0.1:6379/15

.PHONY: run worker cron test lint assets install clean bench cluster

install: $(STAMP)

# What serving needs (make run, worker, cron).
$(RUN_STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# And the test and lint tools (make test, lint, bench).
# The CIN census validator and its needs without their declared pins (pyproject.toml, test-returns, says why).
$(STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))\
	  ['project']['optional-dependencies']['test-returns']))" > $(VENV)/test-returns.txt
	$(BIN)/pip install --quiet --no-deps -r $(VENV)/test-returns.txt
	touch $@

assets: $(ASSETS)

# GOV.UK Frontend from npm (pinned in package.json/package-lock.json), copied where Flask serves /assets/.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf coordination/static && mkdir -p coordination/static
	cp -r node_modules/govuk-frontend/dist/govuk/assets/. coordination/static/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css \
	   node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js coordination/static/
	touch $@

run: $(RUN_STAMP) $(ASSETS)
	$(DEV) $(BIN)/flask --app wsgi db upgrade
	$(DEV) $(BIN)/flask --app wsgi demo seed
	$(DEV) $(BIN)/flask --app wsgi keys reindex
	$(DEV) $(BIN)/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

# Needs REDIS_URL; runs jobs. No --with-scheduler: nothing uses enqueue_at/enqueue_in (the relay schedules retries
# itself), and rq's scheduler is the part that takes a worker down when Redis goes away for a moment.
worker: $(RUN_STAMP)
	@test -n "$(REDIS_URL)" || (echo "Set REDIS_URL to run a worker (without it, jobs run inline)"; exit 2)
	$(BIN)/rq worker -w coordination.instances.AnnouncingWorker --url "$(REDIS_URL)" default

# Scheduled jobs (audit checkpoints, digests) through rq's own cron.
cron: $(RUN_STAMP)
	@test -n "$(REDIS_URL)" || (echo "Set REDIS_URL to run the scheduler"; exit 2)
	$(BIN)/rq cron coordination.jobs.cron_config --url "$(REDIS_URL)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(STAMP) $(ASSETS)
	$(MAKE) --no-print-directory lint
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(REDIS_URL_FOR_TESTS)" $(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/save_section.py

.PHONY: bench-plan
bench-plan: $(STAMP)  # the family plan page and GET /families/{id}/plan over 10,000 families with plans
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python bench/plan_scale.py

# nginx → two gunicorn instances, two rq workers, rq cron and the relay over PostgreSQL (coord_cluster on the
# TEST_DATABASE_URL server) and a redis-server of its own, all on this machine (deploy/local_cluster.py).
cluster: $(RUN_STAMP) $(ASSETS)
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python deploy/local_cluster.py

clean:
	rm -rf $(VENV) node_modules coordination/static .pytest_cache .mypy_cache .ruff_cache
