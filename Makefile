# The two commands of the README: `make run` and `make test`. Both set up .venv themselves.
VENV := .venv
PY := $(VENV)/bin/python
# Re-install only when a requirements file changes, so a second start takes seconds.
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format check-deploy clean-var

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(./bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m mentorship.launcher

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

# Benchmarks (ratios against baselines run side by side); BENCH="matching --skip-dense-large" picks.
bench: $(STAMP)
	$(PY) -m bench $(BENCH)

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean-var:
	rm -rf var/
