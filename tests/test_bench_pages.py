"""bench/pages.py measures every coordinator and staff page of the URL matrix (tests/url_matrix.py):
its GET rows where the coordinator or staff gets 200, but the public pages, the links that are their
own key and allauth's. A page added to the matrix is added to the benchmark's list (or to the pages
it cannot measure, for want of rows in the city data), as the coordinator's page when they see it."""

from bench import pages
from tests import url_matrix as m


def test_the_benchmark_lists_every_coordinator_and_staff_page_of_the_matrix():
    expected = {}
    for name, row in m.MATRIX.items():
        if row.get == m.PUBLIC or name.startswith(("account_", "mfa_")):
            continue
        if row.get.get("coordinator") == 200:
            expected[name] = "coordinator"
        elif row.get.get("staff") == 200:
            expected[name] = "staff"
    listed = {name: role for role, kinds in pages.PAGES.items() for names in kinds.values() for name in names}
    assert set(listed) | set(pages.NOT_MEASURED) == set(expected)
    assert not set(listed) & set(pages.NOT_MEASURED)
    assert all(expected[name] == role for name, role in listed.items())
