# unionhome — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test install lint format messages lock clean-db

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "unionhome needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

install: $(VENV)/.installed

# A local .env with DEBUG on and a random secret, written once.
.env:
	@$(PYTHON) -c 'import secrets; print("DEBUG=true"); print("SECRET_KEY=" + secrets.token_urlsafe(50))' > .env
	@echo "wrote .env (DEBUG=true, a random SECRET_KEY)"

# Set up, migrate, load the demo organisation and serve it at http://127.0.0.1:8000, with
# the background worker (exports, imports, binders) beside it, stopped with the server.
# The worker does not reload on code changes (runserver does): after editing a job's code,
# stop and start `make run` again. On exit the worker gets one SIGINT (it finishes the job at
# hand, then stops) and make waits for it; a job it left running is failed at the next start.
run: install .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py fail_interrupted_jobs
	$(PY) manage.py db_worker --no-reload & WORKER=$$!; trap 'kill -INT $$WORKER 2>/dev/null; wait $$WORKER' EXIT; $(PY) manage.py runserver 127.0.0.1:8000

# Set up and run the whole test suite (browser tests included when Chromium is installed).
test: install
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the Chinese catalogue after changing strings (needs GNU gettext), then compile it.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=bench
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

# Re-pin requirements.lock from the ranges in pyproject.toml in a throwaway environment.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb")); print("\n".join(p["project"]["dependencies"] + p["dependency-groups"]["dev"]))' | xargs -d '\n' .lockenv/bin/pip install --quiet
	{ echo "# Exact versions every machine installs (make lock regenerates it from pyproject.toml)."; .lockenv/bin/pip freeze; } > requirements.lock
	rm -rf .lockenv
