# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
UV := $(PYTHON) -m uv
DEMO_ARGS ?=  # options of `cloudforge demo`, e.g. make demo DEMO_ARGS="--dagster-port 3001 --dashboard-port 8502"
# Python keeps its bytecode cache (__pycache__) even where the environment turns it off (PYTHONDONTWRITEBYTECODE):
# every dbt, Dagster and cloudforge process the tests, benches and runs start would compile its imports again
# (dbt and Dagster: 11.6 s from source, 5.6 s from the cache on this 2-core machine).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo run test test-e2e bench install focus-validator

install:  ## the time-series server (Debian's victoria-metrics), uv (from PyPI) and the locked environment in .venv
	@command -v victoria-metrics >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null 2>&1; then sudo=sudo; else \
	    echo "make install: victoria-metrics (the time-series server of the tests and the embedded stack) is" \
	      "missing and this is neither root nor has sudo: run 'apt-get install victoria-metrics' as root" >&2; \
	    exit 0; fi; \
	  echo "make install: installing Debian's victoria-metrics (the time-series server)"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq victoria-metrics; }
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --extra test

demo: install  ## materialise the demo estate, then serve the Dagster UI and the dashboards
	$(UV) run --frozen cloudforge demo $(DEMO_ARGS)

run: install  ## materialise everything once, headless
	$(UV) run --frozen cloudforge run

# The FinOps Foundation's FOCUS validator for tests/demo/test_focus_validator.py: it needs Python >= 3.12
# (pyenv's, else python3.12 on the PATH) and numpy >= 2 (pyarrow needs it, though the validator pins < 2).
FOCUS_VALIDATOR := .focus-validator
focus-validator:  ## the FOCUS validator's own venv (skipped, with a note, without Python 3.12)
	@python=$$(ls -d $$HOME/.pyenv/versions/3.12*/bin/python 2>/dev/null | tail -n 1); \
	python=$${python:-$$(command -v python3.12 || true)}; \
	if [ -x $(FOCUS_VALIDATOR)/bin/focus-validator ]; then exit 0; fi; \
	if [ -z "$$python" ]; then echo "no Python 3.12: the FOCUS validator test will be skipped"; exit 0; fi; \
	$$python -m venv $(FOCUS_VALIDATOR) && \
	$(FOCUS_VALIDATOR)/bin/pip install --quiet focus-validator==2.2.1 && \
	$(FOCUS_VALIDATOR)/bin/pip install --quiet 'numpy>=2' 2>&1 | grep -v "dependency conflicts\|requires numpy" || true

test: install  ## the test suite (real embedded PostgreSQL, moto server, local HTTP receivers) but its slow tier (make test-e2e)
	$(UV) run --frozen pytest -m "not e2e and not dbt"

test-e2e: install focus-validator  ## the slow tier (marked e2e or dbt): the dbt builds, the demo's real `cloudforge run`, `cloudforge demo`s
	$(UV) run --frozen pytest -m "e2e or dbt"

bench: install  ## the benchmarks
	$(UV) run --frozen cloudforge bench inventory
