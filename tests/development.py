"""A pytest plugin (pyproject: ``-p tests.development``) loaded before Django's settings are: the
tests run in development mode, as `make run` does.

DEBUG is off unless set, and without it the settings require the production variables. This sets
DEBUG in the environment before pytest-django reads the settings (a conftest.py comes too late),
so that plain ``python -m pytest`` works, and so do the worker, beat and command subprocesses the
tests start, which inherit the environment. Behaviour that differs in production is put back per
test (tests/conftest.py: ``_production_like``), or run in a subprocess with production's variables
(tests/mentorship/test_settings.py).
"""

import os

os.environ.setdefault("DEBUG", "true")
