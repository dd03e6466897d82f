"""`make bench`: the project's benchmarks, each reported as a ratio against a baseline measured
side by side in the same run (the machines are shared and noisy).

The matching and evaluation benchmarks arrive with their issues; until then this says so and
exits cleanly.
"""

import sys

BENCHMARKS = []  # (name, callable) pairs registered by later issues


def main():
    if not BENCHMARKS:
        print("No benchmarks yet: the matching and evaluation issues add them.")
        return 0
    for name, run in BENCHMARKS:
        print(f"== {name}")
        run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
