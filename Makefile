# Gridbook: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8470
# Every install takes its versions from the lock (make lock refreshes it; see README "Dependencies").
LOCK := requirements-lock.txt
INSTALL := $(BIN)/pip install -q -c $(LOCK)

.PHONY: run test test-unit check lock station bench package translations screenshots system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-app: pyproject.toml $(LOCK) | $(BIN)/python
	$(INSTALL) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(INSTALL) -e '.[test,postgres]'
	touch $@ $(VENV)/.installed-app

$(VENV)/.installed-package: pyproject.toml $(LOCK) $(VENV)/.installed-test
	$(INSTALL) -e '.[test,postgres,package]'
	touch $@

system-deps:
	@scripts/install-system-deps.sh

run: system-deps $(VENV)/.installed-app
	$(BIN)/gridbook $(ARGS)

# Three workers, each test file on one of them (its module's station is started once): most of the
# suite waits on stations, sockets and subprocesses, so two cores keep three workers busy (two left
# a quarter of the CPU idle and ran .ci/run past 15 minutes once the levels and failover tests came).
TEST_JOBS ?= -n 3 --dist loadfile
test: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(TEST_JOBS) $(PYTEST_ARGS)

# The bottom of the pyramid alone: no processes, no network, a few seconds.
test-unit: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/unit $(PYTEST_ARGS)

# Lint, types (the part of the tree [tool.mypy] lists) and the layer contracts, in seconds.
check: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Re-resolve the lock from pyproject.toml on PyPI, for Linux, Windows and macOS (universal) on
# Python 3.11. Existing pins are kept unless asked: make lock UPGRADE="--upgrade-package requests"
# (one package) or UPGRADE=--upgrade (everything).
lock: | $(BIN)/python
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile -q pyproject.toml --extra test --extra postgres --extra package --universal \
		--python-version 3.11 --custom-compile-command "make lock" $(UPGRADE) -o $(LOCK)

station: $(VENV)/.installed-app
	$(BIN)/python -m sync.station.demo --port $(PORT)

bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

# Build dist/gridbook/ (gridbook + gridbook-station), then prove it runs without the virtualenv:
# the self-test (window, store round trip, zh_CN screenshot in build/) and the bundle tests.
package: system-deps $(VENV)/.installed-package
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN packaging/gridbook.spec
	QT_QPA_PLATFORM=offscreen dist/gridbook/gridbook --selftest build/selftest.png
	GRIDBOOK_TEST_BUNDLE=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_packaging_bundle.py

translations: $(VENV)/.installed-app
	$(BIN)/python -m desktop.ui.translations

# A walkthrough as a worker and as a township (the demo station on loopback), on a real X server at 1366x768.
screenshots: system-deps $(VENV)/.installed-app
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python -m desktop.ui.screenshots docs/screenshots

clean:
	rm -rf build dist .pytest_cache
