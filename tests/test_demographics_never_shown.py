"""Demographic answers never appear on a person-level page, in an export or in an email.

In the URL matrix's world (tests/scenarios.py url_world), the mentee, the mentor and the outsider
answer the program's questions with distinctive words and options. Then every page of the site
(tests/url_matrix.py MATRIX) is read as the coordinator, staff, the mentee and the mentor (the
mentee's partner): the applicant pages, the match and pair pages, staff's person pages, dashboards,
feeds... None shows an answer. Every export (CSV) of the program and across programs, and the emails
the site sends about those people, hold none either. The exceptions: the person's own answer form,
and, as group names only, the pages about the questions themselves (their options are the program's
list, not anyone's answer): the questions page, the equity report and the funder report's equity
summary, which show no self-described words at all.
"""

import pytest
from django.core import mail
from django.urls import reverse

from evaluation import exports
from mentorship.models import OutboundEmail
from programs import demographics
from programs.applicants import enrollment_acknowledge
from tests.url_matrix import MATRIX, sign_in

OWN_WORDS = "Zyxwvu-self-described"
SECOND_WORDS = "Zyxwvu-second"
OPTION = "Qzxoption-Nebula"
MARKERS = ("Zyxwvu", OPTION)
# Pages about the questions (the options are the program's list, shown as group names), the
# funder report (its equity summary, in aggregate) and the person's own form: the only places an
# option may appear. Self-described words appear on none
# but the person's own form.
QUESTION_PAGES = {
    "programs:demographic_questions",
    "programs:demographic_question_edit",
    "evaluation:equity",
}
OWN_FORM = "programs:about_you"
READERS = ("coordinator", "staff", "mentee", "mentor", "outsider")


def _text(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def seeded(w):
    lead = w.people.coordinator
    first = demographics.question_add(
        program=w.program, by=lead, topic="ethnicity", options=["Group one", OPTION, "Group three"]
    )
    second = demographics.question_add(program=w.program, by=lead, topic="gender")
    demographics.answers_save(enrollment=w.mentee_enrollment, answers={first.pk: (OPTION, "")})
    demographics.answers_save(
        enrollment=w.mentor_enrollment,
        answers={first.pk: (demographics.OWN_WORDS, OWN_WORDS), second.pk: ("Woman", "")},
    )
    demographics.answers_save(
        enrollment=w.outsider_enrollment, answers={second.pk: (demographics.OWN_WORDS, SECOND_WORDS)}
    )
    return w


def test_no_page_shows_anyones_answers(client, login_as, seeded):
    w = seeded
    seen = []
    for name, row in MATRIX.items():
        if name.startswith("admin") or name == OWN_FORM:
            continue
        row.prepare(w)
        url = reverse(name, kwargs=row.args(w))
        for role in READERS:
            sign_in(client, login_as, w, role)
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = _text(response)
            aggregate = name in QUESTION_PAGES or name.startswith("evaluation:funder")
            markers = ("Zyxwvu",) if aggregate else MARKERS
            seen.extend(f"{name} as {role}: {m}" for m in markers if m in text)
    assert not seen, seen


def test_the_own_form_is_the_exception_and_only_for_its_owner(client, login_as, seeded):
    w = seeded
    url = reverse("programs:about_you", args=[w.mentor_enrollment.pk])
    sign_in(client, login_as, w, "mentor")
    assert OWN_WORDS in client.get(url).text
    for role in ("coordinator", "staff", "mentee", "outsider"):
        sign_in(client, login_as, w, role)
        assert client.get(url).status_code == 404


def test_no_export_holds_them(client, login_as, seeded):
    w = seeded
    today = w.match.started_on.isoformat()
    targets = [("coordinator", reverse("evaluation:program_export", args=[w.program.slug]))]
    targets.append(("staff", reverse("evaluation:staff_export")))
    targets.append(("coordinator", reverse("programs:applicants_export", args=[w.program.slug])))
    for role, url in targets:
        sign_in(client, login_as, w, role)
        if "applicants" in url:
            responses = [client.get(url)]
        else:
            responses = [
                client.post(
                    url,
                    {"dataset": key, "file_format": "csv", "on": today, "start": "2000-01-01", "end": today},
                )  # fmt: skip
                for key in exports.DATASETS
            ]
        for response in responses:
            assert response.status_code == 200
            text = _text(response)
            assert text.strip()
            for marker in MARKERS:
                assert marker not in text, (url, marker)


def test_no_email_holds_them(seeded):
    w = seeded
    for enrollment in (w.mentee_enrollment, w.mentor_enrollment, w.outsider_enrollment):
        enrollment_acknowledge(enrollment=enrollment)
    emails = list(OutboundEmail.objects.all())
    assert emails
    for email in emails:
        for marker in MARKERS:
            assert marker not in email.subject and marker not in email.body
    for message in mail.outbox:
        for marker in MARKERS:
            assert marker not in message.subject and marker not in message.body
