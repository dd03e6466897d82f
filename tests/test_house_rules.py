"""Rules for the tests themselves, and for which code may import which."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
# The apps, lowest first: each may import only the ones before it (README, "Layout").
APPS = ["mentorship", "programs", "matching", "evaluation"]


def imported_modules(tree):
    """The dotted names a module imports (for ``from a import b``: both ``a`` and ``a.b``, since
    ``b`` may be a module)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield node.lineno, [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            yield node.lineno, [base, *(f"{base}.{alias.name}" for alias in node.names)]


def test_no_module_under_tests_imports_a_test_module():
    # Shared builders live in support modules (tests/scenarios.py, tests/factories.py,
    # tests/<app>/helpers.py, ...): a test module that imports another runs that module's
    # fixtures and tests' setup for nothing, and breaks when it is split or renamed.
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, names in imported_modules(tree):
            tests = [n for n in names if n.startswith(("tests.", ".")) and is_test_module(n)]
            if tests:
                offenders.append(f"{path.relative_to(TESTS.parent)}:{line} imports {tests[0]}")
    assert not offenders, "test modules imported:\n" + "\n".join(offenders)


def is_test_module(dotted):
    return any(part.startswith("test_") for part in dotted.split("."))


def package_imports(package):
    """(path, line, top-level packages imported) for every import in every module of ``package``,
    management commands and migrations included, and imports inside functions too."""
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, names in imported_modules(tree):
            yield path.relative_to(ROOT), line, {name.split(".")[0] for name in names}


def test_production_code_never_imports_tests():
    # Demo data lives in the application (evaluation/demo/); the tests import it from there.
    offenders = [
        f"{path}:{line}"
        for package in [*APPS, "bench"]
        for path, line, tops in package_imports(package)
        if "tests" in tops
    ]
    assert not offenders, "imports of tests/ from production code:\n" + "\n".join(offenders)


def test_each_app_imports_only_the_apps_below_it():
    # A lower app shows something of a higher one through a setting (DASHBOARD_PANELS...), never
    # through an import.
    offenders = []
    for rank, app in enumerate(APPS):
        above = set(APPS[rank + 1 :])
        for path, line, tops in package_imports(app):
            offenders += [f"{path}:{line} imports {name}" for name in sorted(tops & above)]
    assert not offenders, "imports against the layering:\n" + "\n".join(offenders)


def test_the_makefile_declares_only_targets_it_has():
    import re

    makefile = (TESTS.parent / "Makefile").read_text()
    phony = set(re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split())
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    assert phony <= targets, f"declared but missing: {sorted(phony - targets)}"
    assert {"run", "test"} <= targets


def test_a_by_argument_is_taken_only_where_it_is_used():
    # STYLE.md: a service takes ``by`` (who acts) only if it uses it (a rule, a record, the audit).
    unused = []
    for app in APPS:
        for path in sorted((TESTS.parent / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                names = [a.arg for a in (*node.args.args, *node.args.kwonlyargs)]
                if "by" in names and not any(
                    isinstance(n, ast.Name) and n.id == "by" for n in ast.walk(node)
                ):
                    unused.append(f"{path.relative_to(TESTS.parent)}:{node.lineno} {node.name}")
    assert not unused, "by taken but not used:\n" + "\n".join(unused)
