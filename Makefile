# TornadoGists: `make run` serves the site, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test migrate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/python run.py

migrate: install
	$(BIN)/python run.py migrate

test: install-test
	@test -x /usr/bin/chromium || { echo "Chromium is missing: apt-get install -y chromium" >&2; exit 1; }
	$(BIN)/pytest -q

bench: install-test
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/discussion.py
	$(BIN)/python bench/discovery.py

clean:
	rm -rf $(VENV) build *.egg-info
