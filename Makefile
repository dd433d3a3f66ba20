# Gridbook: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8470

.PHONY: run test station bench package translations screenshots system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,postgres]'
	touch $@ $(VENV)/.installed-app

system-deps:
	@scripts/install-system-deps.sh

run: system-deps $(VENV)/.installed-app
	$(BIN)/gridbook $(ARGS)

test: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_ARGS)

station: $(VENV)/.installed-app
	$(BIN)/python -m sync.station.demo --port $(PORT)

bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

# Build dist/gridbook/ (gridbook + gridbook-station), then prove it runs without the virtualenv:
# the self-test (window, store round trip, zh_CN screenshot in build/) and the bundle tests.
package: system-deps $(VENV)/.installed-test
	$(BIN)/pip install -q -e '.[package]'
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN packaging/gridbook.spec
	QT_QPA_PLATFORM=offscreen dist/gridbook/gridbook --selftest build/selftest.png
	GRIDBOOK_TEST_BUNDLE=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_packaging_bundle.py

translations: $(VENV)/.installed-app
	$(BIN)/python -m desktop.ui.translations

screenshots: system-deps $(VENV)/.installed-app
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m desktop.ui.screenshots docs/screenshots

clean:
	rm -rf build dist .pytest_cache
