"""No application module over 500 lines (README, "Layout"): a module that long mixes jobs, and is
split by job, as a package when its parts belong together."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["mentorship", "programs", "matching", "evaluation"]
MAX_LINES = 500


def test_no_application_module_is_over_500_lines():
    too_long = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > MAX_LINES:
                too_long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not too_long, f"modules over {MAX_LINES} lines (split them by job):\n" + "\n".join(too_long)
