"""No page repeats an id: a repeated id makes a label (or aria-labelledby, or a skip link) point at
the wrong element. Every page of the URL matrix that answers a role 200 with HTML is read as that
role, in the matrix's world."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.scenarios import ROLES
from tests.url_matrix import MATRIX, sign_in


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1


def repeated_ids(html):
    parser = Ids()
    parser.feed(html)
    parser.close()
    return sorted(value for value, count in parser.ids.items() if count > 1)


# Pages read a second time, about another object: the matrix's applicant is a mentee, and a
# mentor's page has more forms (the screening checklist).
OTHER_OBJECTS = {
    "programs:applicant (a mentor)": (
        "programs:applicant",
        lambda w: {"slug": w.program.slug, "pk": w.mentor_enrollment.pk},
    ),
}


def page_params():
    pages = {name: (name, MATRIX[name].args) for name, row in MATRIX.items() if 200 in row.get.values()}
    for key, (name, args) in {**pages, **OTHER_OBJECTS}.items():
        yield pytest.param(name, args, id=key)


@pytest.mark.parametrize(("name", "args"), list(page_params()))
def test_no_page_repeats_an_id(client, login_as, w, name, args):
    row = MATRIX[name]
    row.prepare(w)
    url = reverse(name, kwargs=args(w))
    wrong = []
    for role in ROLES:
        if row.get[role] != 200:
            continue
        sign_in(client, login_as, w, role)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        repeated = repeated_ids(response.content.decode())
        if repeated:
            wrong.append(f"as {role}: {repeated}")
    assert not wrong, f"GET {url} repeats ids: " + "; ".join(wrong)


def test_the_check_finds_a_repeated_id():
    assert repeated_ids('<label for="a">A</label><input id="a"><p id="b"></p><input id="a">') == ["a"]
    assert repeated_ids('<input id="a"><input id="b">') == []
