# The two commands a newcomer needs: `make run` starts the office, `make test` runs every test.
# Both install what they need: a virtualenv with the Python dependencies, the browser app's
# npm packages and build, the codex CLI (project-local, for the backend tests), and Debian's
# Chromium (for the browser tests).

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 4000
CHROMIUM ?= /usr/bin/chromium
CODEX_VERSION := 0.169.0
CODEX_STAMP := .tools/codex/node_modules/@openai/codex/package.json
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test venv web tools chromium lint clean

run: venv web
	$(BIN)/isomux serve --port $(PORT)

test: venv web tools chromium
	@if [ -f web/package.json ]; then cd web && npm test; fi
	$(BIN)/python -m pytest -q

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

web:
	@if [ -f web/package.json ]; then \
		cd web && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } \
		&& npm run build; \
	fi

tools: $(CODEX_STAMP)

$(CODEX_STAMP):
	mkdir -p .tools/codex
	cd .tools/codex && npm install --no-audit --no-fund --no-save --prefix . @openai/codex@$(CODEX_VERSION)

chromium:
	@command -v $(CHROMIUM) >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

lint: venv
	$(BIN)/ruff check isomux tests bench
	$(BIN)/ruff format --check isomux tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .tools web/node_modules web/dist test-artifacts
