# Vetted's entry points. `make run` and `make test` are the README's two commands.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install worker beat bench bench-api lint clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "needs $(PYTHON) (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# The local development server shows Django's debug pages (DEBUG=0 make run turns them off).
DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	DEBUG=$(DEBUG) $(BIN)/python manage.py runserver 127.0.0.1:8000

# axe-core (npm registry) for the browser test's accessibility check; only where npm exists
# (without it the check skips locally, and fails in CI).
NPM := $(shell command -v npm 2>/dev/null)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

test: install $(if $(NPM),node_modules/.installed)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A config worker --loglevel=info

beat: install
	$(BIN)/celery -A config beat --loglevel=info

# Sweep benchmark: run with DATABASE_URL set to PostgreSQL (rolled back afterwards).
bench: install
	$(BIN)/python manage.py bench_sweeps $(BENCH_ARGS)

# Report pages: render time and query count (DATABASE_URL=postgres://... after generate_report_data).
.PHONY: bench-reports
bench: bench-reports
bench-reports: install
	$(BIN)/python manage.py report_benchmark

# Drafting API: drafts/s through the API (1 and 4 clients) and import_drafts for 10,000 drafts; needs PostgreSQL.
bench: bench-api
bench-api: install
	$(BIN)/python bench/drafting_api.py

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-output

# --- Production (issue 8) ---
.PHONY: bench-probes docs
bench: bench-probes
bench-probes: install   # p50/p99 of /healthz and /readyz through gunicorn
	$(BIN)/python bench/probes.py

docs: install           # redraw the state machine from the code
	$(BIN)/python manage.py graph_transitions answers.Answer.status > docs/state-machine.dot

# --- Reviewer's desk (issue 3): admin list and review page with 10,000 answers ---
.PHONY: bench-admin
bench: bench-admin
bench-admin: install
	$(BIN)/python bench/admin_desk.py $(BENCH_ADMIN_ARGS)

# --- Reader site (issue 4) ---
.PHONY: bench-reader
bench: bench-reader
bench-reader: install   # answer page vs a bare Django view under gunicorn (Debian's wrk if installed)
	$(BIN)/python bench/answer_page.py $(BENCH_ARGS)

# --- Load and soak (issue 8): gunicorn + wrk on the reports' 100,000-answer data set (PostgreSQL) ---
# Not part of `make bench`: building the data set takes minutes and the soak 10 minutes.
# LOAD_ARGS="--reuse" keeps the generated <db>_load database from an earlier run.
.PHONY: bench-load bench-soak
bench-load: install
	$(BIN)/python bench/load.py load $(LOAD_ARGS)

bench-soak: install
	$(BIN)/python bench/load.py soak --reuse $(SOAK_ARGS)
