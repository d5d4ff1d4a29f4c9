# The commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
KEYS := var/field_keys
# The demo's phone number is plainly not a real one: the closed chat page shows it.
RUN_ENV := DEBUG=1 HJELPELINJE_FIELD_KEYS="$$(cat $(KEYS))" HJELPELINJE_PHONE_NUMBER="000 00 000"

.PHONY: run test lint typecheck pytest bench install keys clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

$(KEYS): | $(STAMP)
	mkdir -p var
	umask 077 && $(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > $(KEYS)

keys: $(KEYS)

run: $(STAMP) $(KEYS)
	$(RUN_ENV) $(BIN)/hjelpelinje migrate --no-input
	$(RUN_ENV) $(BIN)/hjelpelinje load_demo --if-empty
	$(RUN_ENV) $(BIN)/uvicorn hjelpelinje.asgi:application --host 127.0.0.1 --port 8000 --no-access-log --ws-per-message-deflate false

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy hjelpelinje conftest.py

# puppeteer-core drives Debian's Firefox ESR for the quick-exit test; it never downloads a browser.
node_modules/.installed: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The suite runs in parallel, a worker per CPU (pytest-xdist), each with its own test
# database and Redis names; a test file stays on one worker, so its module fixtures (a
# server, a browser) are made once. PYTEST_WORKERS=auto (a worker per CPU) is not yet the
# default: in its first full run 32 site, visits and hostile-input tests failed (files
# shared between workers, or conftest's quick flush; see the commit that made it opt-in).
PYTEST_WORKERS ?= 0
pytest: $(STAMP) node_modules/.installed
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Refresh the English catalogue after adding strings: translate every empty msgstr in
# hjelpelinje/locale/en/LC_MESSAGES/django.po, then run this again to compile, and commit
# both the .po and the .mo (core/tests/test_it_i18n.py fails on an untranslated string).
I18N_ENV := PYTHONPATH=.. DJANGO_SETTINGS_MODULE=hjelpelinje.test_settings
messages: $(STAMP)
	cd hjelpelinje && $(I18N_ENV) ../$(BIN)/django-admin makemessages -l en --no-obsolete \
		--ignore "*/tests/*" --ignore "*/migrations/*" \
		&& $(I18N_ENV) ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var
