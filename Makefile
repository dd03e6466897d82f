# The two commands of the README: `make run` and `make test`. Both set up .venv themselves.
# Both run in development mode (DEBUG=true; `DEBUG=false make run` tries production's settings
# with the embedded servers): DEBUG is off unless set, and without it the settings require the
# production variables (README "Configuration").
VENV := .venv
PY := $(VENV)/bin/python
# Re-install only when a requirements file changes, so a second start takes seconds.
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean-var

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(./bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) -m mentorship.launcher

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(PY) -m pytest

# The benchmarks add the load tool (requirements-bench.txt: locust), which only they install.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $(BENCH_STAMP)

# Benchmarks (ratios against baselines run side by side); BENCH="matching --skip-dense-large" picks.
bench: $(BENCH_STAMP)
	DEBUG=$${DEBUG:-true} $(PY) -m bench $(BENCH)

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean-var:
	rm -rf var/
