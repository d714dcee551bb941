# Vetted's entry points. `make run` and `make test` are the README's two commands.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install worker beat lint docs clean vendor
.PHONY: bench bench-sweeps bench-reports bench-api bench-probes bench-admin bench-reader bench-diff bench-load bench-soak

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

# htmx (npm registry, pinned in package.json) is served from our own static files, never a CDN:
# after changing its version, `make vendor` copies it in, and the commit carries the file and its licence
# (tests/editorial/admin/test_review_keys.py checks the copy is the pinned version).
vendor: node_modules/.installed
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE editorial/static/vendor/htmx/

test: install $(if $(NPM),node_modules/.installed)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A config worker --loglevel=info

beat: install
	$(BIN)/celery -A config beat --loglevel=info

# ruff for style, import-linter for the layers (contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Redraw the state machines from the code (a test fails when the committed files differ).
docs: install
	$(BIN)/python manage.py state_machine_docs > docs/state-machine.md
	$(BIN)/python manage.py graph_transitions answers.Answer.status > docs/state-machine.dot

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-output

# --- Benchmarks: they print figures; none is a test. ----------------------------------
# The management commands among them belong to the development-only `bench` app,
# installed by bench/settings.py only.
BENCH_SETTINGS := DJANGO_SETTINGS_MODULE=bench.settings

bench: bench-sweeps bench-reports bench-api bench-probes bench-admin bench-reader bench-diff

# Sweeps over 100,000 answers (DATABASE_URL=postgres://..., rolled back afterwards).
bench-sweeps: install
	$(BENCH_SETTINGS) $(BIN)/python manage.py bench_sweeps $(BENCH_ARGS)

# Report pages: render time and query count (DATABASE_URL=postgres://... after generate_report_data).
bench-reports: install
	$(BENCH_SETTINGS) $(BIN)/python manage.py report_benchmark

# Drafting API: drafts/s through the API (1 and 4 clients) and import_drafts for 10,000 drafts; needs PostgreSQL.
bench-api: install
	$(BIN)/python bench/drafting_api.py

# p50/p99 of /healthz and /readyz through gunicorn.
bench-probes: install
	$(BIN)/python bench/probes.py

# The review desk: admin list and review page with 10,000 answers.
bench-admin: install
	$(BIN)/python bench/admin_desk.py $(BENCH_ADMIN_ARGS)

# The answer page against a bare Django view under gunicorn (Debian's wrk if installed).
bench-reader: install
	$(BIN)/python bench/answer_page.py $(BENCH_ARGS)

# The review page's Changes tab on the finding's pair and the API's largest drafts (no database).
# Also times the older diffs (55fde02, 9161ce8 difflib), each case capped at 30 s of CPU
# (BENCH_DIFF_ARGS="--no-before" skips that).
bench-diff: install
	$(BIN)/python bench/diff.py $(BENCH_DIFF_ARGS)

# Load and soak: gunicorn + wrk on the reports' 100,000-answer data set (PostgreSQL).
# Not part of `make bench`: building the data set takes minutes and the soak 10 minutes.
# LOAD_ARGS="--reuse" keeps the generated <db>_load database from an earlier run.
bench-load: install
	$(BIN)/python bench/load.py load $(LOAD_ARGS)

bench-soak: install
	$(BIN)/python bench/load.py soak --reuse $(SOAK_ARGS)
