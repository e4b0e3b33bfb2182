# The single entry points. `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The one address of every absolute link (feeds, CSV, e-mails, admin "view on site", the API):
# what `make run` serves, unless given.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

.PHONY: install vendor run serve migrate demo test test-full test-fast worker beat bench lint format messages collectstatic gunicorn clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet '.[dev]'
	rm -rf build *.egg-info
	touch $(STAMP)

# From the npm registry: axe-core for the browser tests (never served) and the news editor (see vendor).
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

# The news editor (Quill, from the npm registry) is served by the portal itself, no CDN: its
# built files are copied into static/vendor/ and committed. Run after changing its version.
QUILL := node_modules/quill
vendor: $(NODE_STAMP)
	mkdir -p static/vendor/quill
	cp $(QUILL)/dist/quill.js $(QUILL)/dist/quill.snow.css $(QUILL)/LICENSE static/vendor/quill/
	@# No source maps are shipped: the manifest storage of collectstatic refuses a reference to
	@# a missing .map file.
	sed -i '/sourceMappingURL=/d' static/vendor/quill/quill.js static/vendor/quill/quill.snow.css

# The settings default to DEBUG off (production); the development targets turn it on explicitly
# (an exported DEBUG=false wins). The test suite does the same in tests/settings.py.
migrate demo run worker beat messages collectstatic gunicorn: export DEBUG ?= true

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_contest
	$(BIN)/python manage.py seed_demo
	@# The demo demands' workflow mails and Celery's task lines would bury the account list.
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING \
		$(BIN)/python manage.py seed_demo_demands
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING \
		$(BIN)/python manage.py seed_demo_hosts
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING \
		$(BIN)/python manage.py seed_demo_solutions
	LOG_LEVEL=WARNING $(BIN)/python manage.py load_terms
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING \
		$(BIN)/python manage.py seed_demo_matching
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING \
		$(BIN)/python manage.py seed_demo_dashboards
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING \
		$(BIN)/python manage.py seed_demo_rounds
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING \
		$(BIN)/python manage.py seed_demo_awards
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING \
		$(BIN)/python manage.py seed_demo_summaries
	@# Complaints last: one asks for a re-check of a score sheet of the finished round.
	EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend LOG_LEVEL=WARNING \
		$(BIN)/python manage.py seed_demo_complaints

run: demo
	@$(BIN)/python manage.py welcome
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite. Browser, service and fault tests run when their services are there
# (always under CI=true, where a missing service is a failure, not a skip).
test: install
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

# The same suite with the harness's fuzzing at full strength (CI runs this one).
test-full: install
	$(BIN)/lint-imports
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-60} $(BIN)/python -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -q -m "not browser and not fault" $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A challenge_portal worker --loglevel=INFO

beat: install
	$(BIN)/celery -A challenge_portal beat --loglevel=INFO

collectstatic: install
	$(BIN)/python manage.py collectstatic --noinput

gunicorn: collectstatic
	$(BIN)/gunicorn challenge_portal.wsgi --no-control-socket --bind $(HOST):$(PORT) --workers 2

bench: install
	$(BIN)/python -m pip install --quiet '.[bench]'
	rm -rf build *.egg-info
	$(BIN)/python -m bench $(BENCH_ARGS)

# The code is checked by ruff's rules (pyproject), not reflowed by its formatter: continuation
# lines are aligned by hand, which the formatter would undo across the whole tree.
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-location --ignore '.venv/*' --ignore 'bench/*'
	$(BIN)/python manage.py compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) node_modules staticfiles build *.egg-info
