"""Every URL of the site, visited as every kind of person (tests/scenarios.py ROLES).

The URLs come from Django's resolver (allauth's and the admin's included), so a new URL fails the
suite until it has a row in MATRIX (tests/url_matrix.py; test_every_url_has_a_row) or, under
/admin/, is covered by the admin rule at the end (test_every_admin_url_is_covered_by_the_rule).
A row says what a GET answers each role and, for a view that takes a POST, what an empty POST
answers the roles that may not act there; test_the_roles_that_may_not_act_change_nothing also
checks that every table is exactly as it was afterwards.

The rows and the world live in tests/url_matrix.py (other walks of every page share them).
The world (tests/scenarios.py url_world) is built once for the module, in a transaction rolled
back at its end; each test (one URL, every role) runs in a savepoint of its own inside it, so no
test sees another's writes.
"""

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.scenarios import ROLES
from tests.url_matrix import (
    ACTS,
    ADMIN_LOGIN,
    LOGIN,
    MATRIX,
    matches,
    outcome,
    roles,
    sign_in,
    to,
    to_exactly,
)

# --- The resolver ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, as written in the URLconfs
    name: str | None  # with its namespaces: "programs:detail"
    callback: Callable

    @property
    def key(self):
        """How the matrix names it: its name, or its route when it has none."""
        return self.name or self.route


def walk(resolver=None, prefix="", namespaces=()):
    """Every URL pattern of the site, included URLconfs (allauth, admin, the apps) too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from walk(entry, prefix + str(entry.pattern), inner)
        else:
            assert isinstance(entry, URLPattern)
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Pattern(route=prefix + str(entry.pattern), name=name, callback=entry.callback)


def is_admin(pattern):
    return pattern.route.startswith("admin/")


def test_every_url_has_a_row():
    patterns = [p for p in walk() if not is_admin(p)]
    keys = [p.key for p in patterns]
    assert len(keys) == len(set(keys)), "two URL patterns share a name"
    missing = sorted(set(keys) - set(MATRIX))
    assert not missing, f"URLs with no row in the matrix: {missing}"
    stale = sorted(set(MATRIX) - set(keys))
    assert not stale, f"rows for URLs that are gone: {stale}"


def reads_a_post(callback):
    """Whether a view handles a POST, as far as its own source (decorators included) shows. A view
    that reads its form through a helper is not seen: its row says so by hand (match_concern)."""
    return "POST" in inspect.getsource(inspect.unwrap(callback))


def test_every_view_that_takes_a_post_says_who_may_not():
    # The project's views; allauth's forms are allauth's, and the admin has its own rule below.
    own = [p for p in walk() if not is_admin(p) and not p.callback.__module__.startswith("allauth.")]
    missing = sorted(p.key for p in own if reads_a_post(p.callback) and MATRIX[p.key].post is None)
    assert not missing, f"views that take a POST with no post expectations: {missing}"


@pytest.mark.parametrize("name", list(MATRIX))
def test_each_url_answers_each_role_as_expected(client, login_as, w, name):
    row = MATRIX[name]
    row.prepare(w)
    url = reverse(name, kwargs=row.args(w))
    wrong = []
    for role in ROLES:
        sign_in(client, login_as, w, role)
        got = outcome(client.get(url))
        if not matches(got, row.get[role]):
            wrong.append(f"{role} got {got}, expected {row.get[role]}")
    assert not wrong, f"GET {url}: " + "; ".join(wrong)


def fingerprint():
    """Every table's rows, hashed in one query; sessions change with each login and are left out."""
    tables = [
        t for t in connection.introspection.table_names() if t not in ("django_session", "django_migrations")
    ]
    row_hash = "(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {} t)"
    columns = ", ".join(row_hash.format(connection.ops.quote_name(table)) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # noqa: S608 (the database's own table names)
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.mark.parametrize("name", [name for name, row in MATRIX.items() if row.post is not None])
def test_the_roles_that_may_not_act_change_nothing(client, login_as, w, name):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.args(w))
    wrong = []
    for role in ROLES:
        if row.post[role] is ACTS:
            continue
        sign_in(client, login_as, w, role)
        before = fingerprint()
        got = outcome(client.post(url, {}))
        if not matches(got, row.post[role]):
            wrong.append(f"{role} got {got}, expected {row.post[role]}")
        changed = [table for table, rows in fingerprint().items() if rows != before[table]]
        if changed:
            wrong.append(f"{role} changed {changed}")
    assert not wrong, f"POST {url}: " + "; ".join(wrong)


# --- The admin: one rule for every page of it ------------------------------------------------------
# Anyone but staff is sent to the admin's login (which sends the anonymous to the site's login and
# refuses the signed-in). Staff get each ModelAdmin's pages as its permissions say (200, or 403 where
# it allows no adding, changing or deleting), for a real object of each model; the site's own pages
# (and the one extra page of the user admin) are listed here.

ADMIN_SITE = {
    "admin:index": roles(ADMIN_LOGIN, staff=200),
    "admin:login": roles(403, anonymous=LOGIN, staff=to_exactly("/admin/")),
    "admin:logout": roles(to_exactly("/admin/"), staff=405),  # logging out is a POST
    "admin:password_change": roles(ADMIN_LOGIN, staff=200),
    "admin:password_change_done": roles(ADMIN_LOGIN, staff=200),
    "admin:autocomplete": roles(ADMIN_LOGIN, staff=403),  # asked without a field to complete
    "admin:jsi18n": roles(ADMIN_LOGIN, staff=200),
    "admin:view_on_site": roles(ADMIN_LOGIN, staff=to("http://testserver/programs/")),
    "admin:app_list": roles(ADMIN_LOGIN, staff=200),
    "admin/(?P<url>.*)$": roles(ADMIN_LOGIN, staff=404),  # the catch-all: no such admin page
    "admin:auth_user_password_change": roles(ADMIN_LOGIN, staff=200),  # UserAdmin's own extra page
}


def admin_url(pattern, w):
    """The pattern's URL, filled with real values: each model's first row, the world's program."""
    model_admin = getattr(pattern.callback, "model_admin", None)
    values = {"id": w.people.mentee.pk, "app_label": "programs", "url": "no-such-page/"}
    if model_admin is not None:
        values["object_id"] = model_admin.model._default_manager.order_by("pk").first().pk
    else:
        values["content_type_id"] = ContentType.objects.get_for_model(w.program).pk
        values["object_id"] = w.program.pk
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m[1]]), pattern.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), path)
    return "/" + path.replace("^", "").replace("$", "")


def admin_expected(pattern, w, url):
    """What each role gets at an admin URL (see above)."""
    if pattern.key in ADMIN_SITE:
        return ADMIN_SITE[pattern.key]
    model_admin = pattern.callback.model_admin
    request = RequestFactory().get(url)
    request.user = w.people.staff
    obj = model_admin.model._default_manager.order_by("pk").first()
    page = pattern.name.rsplit("_", 1)[-1] if pattern.name else None
    if pattern.name is None:  # the old object URL: on to its change page
        staff = to(url + "change/")
    elif page == "add":
        staff = 200 if model_admin.has_add_permission(request) else 403
    elif page == "delete":
        staff = 200 if model_admin.has_delete_permission(request, obj) else 403
    elif page == "changelist":
        staff = 200 if model_admin.has_view_or_change_permission(request) else 403
    else:  # change, history
        staff = 200 if model_admin.has_view_or_change_permission(request, obj) else 403
    return roles(ADMIN_LOGIN, staff=staff)


def test_every_admin_url_is_covered_by_the_rule():
    uncovered = [
        p.key
        for p in walk()
        if is_admin(p) and not hasattr(p.callback, "model_admin") and p.key not in ADMIN_SITE
    ]
    assert not uncovered, f"admin URLs neither of a ModelAdmin nor in ADMIN_SITE: {uncovered}"


@pytest.mark.parametrize("role", ROLES)
def test_each_admin_url_answers_each_role_as_expected(client, login_as, w, role):
    login_as(w, role)
    wrong = []
    for pattern in filter(is_admin, walk()):
        url = admin_url(pattern, w)
        expected = admin_expected(pattern, w, url)[role]
        got = outcome(client.get(url))
        if not matches(got, expected):
            wrong.append(f"{url}: {got}, expected {expected}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
