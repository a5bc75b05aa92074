# TornadoGists: `make run` serves the site, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test migrate bench bench-scale clean

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

# The browser tests drive Debian's Chromium; a fresh machine gets it here (as root).
/usr/bin/chromium:
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

test: install-test /usr/bin/chromium
	$(BIN)/pytest -q -n auto --dist loadfile

# bench/pages.py drives Debian's wrk; a fresh machine gets it here (as root), else it uses a Python load generator.
bench: install-test
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
		echo "wrk is missing: bench/pages.py falls back to its Python load generator" >&2
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/discussion.py
	$(BIN)/python bench/discovery.py

# A year of content: 1,000 and 50,000 gists seeded, every page and write measured (issue 17).
bench-scale: install-test
	$(BIN)/python bench/scale.py

clean:
	rm -rf $(VENV) build *.egg-info
