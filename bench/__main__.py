"""`make bench`: the project's benchmarks. Each reports its figures as ratios against a baseline
measured side by side in the same run (the machines are shared and noisy), and works on data of
its own (synthetic arrays, or a database bench_<pid> created and dropped on the same server).

    .venv/bin/python -m bench                  # all
    .venv/bin/python -m bench matching         # one of BENCHMARKS below
    .venv/bin/python -m bench matching --skip-dense-large   # without the ~70 s dense reference
"""

import importlib
import os
import sys

# The benchmarks run on the development servers (embedded unless DATABASE_URL / REDIS_URL are
# set), in development mode like `make run`: without DEBUG the settings require production's
# variables.
os.environ.setdefault("DEBUG", "true")

BENCHMARKS = {
    "matching": "bench.matching_engine",
    "matching-service": "bench.matching_service",
    "reminders": "bench.reminders",
    "evaluation": "bench.evaluation",
    "audit": "bench.audit",
    "messages": "bench.messages",
    "groups": "bench.groups",
    "pages": "bench.pages",
    # gunicorn under locust on city-scale data (~5 min; locust comes with requirements-bench.txt).
    "load": "bench.load",
}


def main(argv):
    names = [a for a in argv if not a.startswith("--")] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    for name in names:
        print(f"\n== {name}", flush=True)
        module = importlib.import_module(BENCHMARKS[name])
        if name == "matching":
            module.run(skip_dense_large="--skip-dense-large" in argv)
        else:
            module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
