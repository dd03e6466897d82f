"""Reports and exports sliced by local partner, and the partner contact's aggregate page: the figures
against hand counts on a small scenario, and never a name on the contact's page.

The scenario (every date today, so all in the default period), in one program:
- Riverside High School (the partner) brought six approved mentees, one mentee still applied and
  one approved mentor; the program has two more approved mentees and three more mentors of its own.
- Active matches: two of Riverside's mentees with the program's mentors, Riverside's mentor with one
  of the program's mentees, and one pair with nobody from Riverside.
Hand counts, all / Riverside: mentee applicants 9 / 7, approved mentees 8 / 6, mentor applicants
4 / 1, active matches 4 / 3.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.urls import reverse

from evaluation import kpis
from evaluation import services as evaluation_services
from evaluation.models import ExportRecord, SurveyResponse
from matching.models import Match
from programs import partners
from programs.models import Program, Role
from tests import scenarios

pytestmark = pytest.mark.django_db

# Distinctive names and emails: none may appear on the partner contact's page.
RIVERSIDE_MENTEES = ["Zephyrine Quillfeather", "Octavian Brambleworth", "Perpetua Inkwhistle",
                     "Leopold Marrowfax", "Isolde Thistledown", "Barnaby Wolfsbane"]  # fmt: skip


@dataclass
class Sliced:
    program: object
    partner: object
    other_partner: object
    lead: object
    contact: object
    match_ids: dict  # "riverside" / "elsewhere" -> ids


def _mentee(program, name, n, partner=None):
    enrollment = scenarios.ready_mentee(
        program=program, email=f"{name.split()[0].lower()}.{n}@people.test", display_name=name
    )
    if partner is not None:
        partners.enrollment_partner_set(
            enrollment=enrollment, partner=partner, by=program.coordinators.first()
        )
    return enrollment


def _mentor(program, name, n, partner=None):
    enrollment = scenarios.ready_mentor(
        program=program, email=f"mentor.{n}@people.test", display_name=name, capacity=3
    )
    if partner is not None:
        partners.enrollment_partner_set(
            enrollment=enrollment, partner=partner, by=program.coordinators.first()
        )
    return enrollment


@pytest.fixture
def sliced(db):
    lead = scenarios.coordinator(email="lead@sliced.test", display_name="Lead Coordinator")
    program = scenarios.program(coordinator=lead, name="Harbour Mentoring")
    partner = partners.partner_create(program=program, by=lead, name="Riverside High School", kind="school")
    other_partner = partners.partner_create(program=program, by=lead, name="Harbour Bakery", kind="business")
    ours = [_mentee(program, name, n, partner) for n, name in enumerate(RIVERSIDE_MENTEES)]
    applied = scenarios.person(email="applied@people.test", display_name="Hieronymus Applewood")
    scenarios.enroll(program=program, user=applied, role=Role.MENTEE, partner=partner)
    our_mentor = _mentor(program, "Cornelius Riverbank", 0, partner)
    their_mentees = [_mentee(program, f"Program Mentee{n}", 10 + n) for n in range(2)]
    their_mentors = [_mentor(program, f"Program Mentor{n}", 10 + n) for n in range(3)]
    match = scenarios.active_match
    riverside = [
        match(program=program, mentee=ours[0], mentor=their_mentors[0], by=lead).pk,
        match(program=program, mentee=ours[1], mentor=their_mentors[1], by=lead).pk,
        match(program=program, mentee=their_mentees[0], mentor=our_mentor, by=lead).pk,
    ]
    elsewhere = [match(program=program, mentee=their_mentees[1], mentor=their_mentors[2], by=lead).pk]
    contact = scenarios.person(email="contact@riverside.test", display_name="Riverside Contact")
    viewer, _ = partners.viewer_grant(partner=partner, email=contact.email, by=lead)
    partners.viewer_accept(token=viewer.token, user=contact)
    return Sliced(
        program, partner, other_partner, lead, contact, {"riverside": riverside, "elsewhere": elsewhere}
    )


def dashboard(client, s, **query):
    response = client.get(reverse("evaluation:program_dashboard", args=[s.program.slug]), query)
    assert response.status_code == 200
    return response


def test_the_dashboard_sliced_by_partner_counts_only_its_people(client, sliced):
    s = sliced
    client.force_login(s.lead)
    everyone = dashboard(client, s).context["report"]
    riverside = dashboard(client, s, partner=s.partner.pk)
    report = riverside.context["report"]
    hand = {("applicants", "mentee"): (9, 7), ("approved", "mentee"): (8, 6),
            ("applicants", "mentor"): (4, 1), ("active_matches", ""): (4, 3)}  # fmt: skip
    for (key, segment), (all_count, partner_count) in hand.items():
        assert everyone.value(key, segment) == all_count, key
        assert report.value(key, segment) == partner_count, key
    assert "Showing people brought by" in riverside.text and "Riverside High School" in riverside.text
    assert f'<option value="{s.partner.pk}" selected>' in riverside.text
    # A partner with nobody: zero; a partner of no program of this page: the whole program.
    assert dashboard(client, s, partner=s.other_partner.pk).context["report"].value("active_matches") == 0
    assert dashboard(client, s, partner=99999).context["report"].value("active_matches") == 4


def test_a_partners_slice_matches_the_kpis_computed_for_its_people(client, sliced):
    s = sliced
    client.force_login(s.lead)
    response = dashboard(client, s, partner=s.partner.pk)
    report = response.context["report"]
    direct = kpis.compute(
        Program.objects.filter(pk=s.program.pk),
        on=report.on,
        start=report.start,
        end=report.end,
        people=partners.partner_people_ids(s.partner),
    )
    assert [(f.key, f.segment, f.value) for f in report.figures] == [
        (f.key, f.segment, f.value) for f in direct.figures
    ]


def _export(client, s, dataset, partner=None):
    report = dashboard(client, s).context["report"]
    data = {
        "dataset": dataset,
        "file_format": "csv",
        "on": report.on,
        "start": report.start,
        "end": report.end,
    }
    if partner is not None:
        data["partner"] = partner.pk
    response = client.post(reverse("evaluation:program_export", args=[s.program.slug]), data)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_exports_sliced_by_partner_hold_only_its_peoples_rows_and_say_so(client, sliced):
    s = sliced
    client.force_login(s.lead)
    every = _export(client, s, "matches")
    assert sorted(int(r["match_id"]) for r in every) == sorted(
        s.match_ids["riverside"] + s.match_ids["elsewhere"]
    )
    ours = _export(client, s, "matches", s.partner)
    assert sorted(int(r["match_id"]) for r in ours) == sorted(s.match_ids["riverside"])
    record = ExportRecord.objects.filter(dataset="matches").latest("pk")
    assert record.parameters["partner"] == s.partner.pk
    assert record.parameters["partner_name"] == "Riverside High School"
    assert "people brought by Riverside High School" in record.parameters["label"]
    assert _export(client, s, "matches", s.other_partner) == []

    # Check-ins: those of its people's matches; survey answers: those its people gave.
    matches = Match.objects.filter(pk__in=s.match_ids["riverside"] + s.match_ids["elsewhere"])
    for match in matches.select_related("mentor__user", "mentee__user"):
        evaluation_services.checkin_log(
            match=match, by=match.mentor.user, occurred_on=dt.date.today(), rating=4
        )
        for role, enrollment in (("mentee", match.mentee), ("mentor", match.mentor)):
            SurveyResponse.objects.create(
                match=match, respondent=enrollment.user, role=role, kind="satisfaction", period=1, rating=4
            )
    checkins = _export(client, s, "checkins", s.partner)
    assert sorted(int(r["match_id"]) for r in checkins) == sorted(s.match_ids["riverside"])
    assert len(_export(client, s, "checkins")) == 4
    answers = _export(client, s, "surveys", s.partner)
    # Two of Riverside's mentees answered in their matches, Riverside's mentor in theirs.
    assert len(answers) == 3 and len(_export(client, s, "surveys")) == 8
    riverside_mentor_match = s.match_ids["riverside"][2]
    assert {(int(r["match_id"]), r["respondent_role"]) for r in answers} == {
        (s.match_ids["riverside"][0], "mentee"),
        (s.match_ids["riverside"][1], "mentee"),
        (riverside_mentor_match, "mentor"),
    }

    figures = {(r["kpi"], r["segment"]): r["value"] for r in _export(client, s, "kpis", s.partner)}
    assert figures[("active_matches", "")] == "3" and figures[("applicants", "mentee")] == "7"
    # The export page, opened from the sliced dashboard, keeps the slice and says so.
    page = client.get(reverse("evaluation:program_export", args=[s.program.slug]), {"partner": s.partner.pk})
    assert "Showing people brought by" in page.text and f'name="partner" value="{s.partner.pk}"' in page.text


def test_the_partner_contact_sees_aggregates_only_and_no_name(client, sliced):
    s = sliced
    client.force_login(s.contact)
    response = client.get(reverse("evaluation:partner_report", args=[s.partner.pk]))
    assert response.status_code == 200
    page = response.text
    for name in [*RIVERSIDE_MENTEES, "Hieronymus Applewood", "Cornelius Riverbank", "Program Mentee",
                 "Program Mentor", "people.test", "Lead Coordinator"]:  # fmt: skip
        assert name not in page, name
    figures = {f.label: f.text for f in response.context["figures"]}
    assert figures["Applicants (mentees)"] == "7"
    assert figures["Approved (mentees)"] == "6"
    assert figures["Applicants (mentors)"] == "fewer than 5"  # one mentor
    assert figures["Active matches on D"] == "fewer than 5"  # three matches
    assert "fewer than 5" in page


def test_the_partner_contact_reaches_no_person_level_page(client, sliced):
    s = sliced
    client.force_login(s.contact)
    slug = s.program.slug
    pages = [
        reverse("programs:applicants", args=[slug]),
        reverse("programs:applicant", args=[slug, s.partner.people.first().pk]),
        reverse("matching:matches", args=[slug]),
        reverse("matching:match", args=[s.match_ids["riverside"][0]]),
        reverse("evaluation:pair", args=[s.match_ids["riverside"][0]]),
        reverse("evaluation:program_dashboard", args=[slug]),
        reverse("evaluation:program_export", args=[slug]),
        reverse("programs:partner", args=[slug, s.partner.pk]),
        reverse("evaluation:partner_report", args=[s.other_partner.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url


def test_the_programs_coordinators_and_staff_preview_the_contacts_page_and_nobody_else(
    client, sliced, people
):
    s = sliced
    url = reverse("evaluation:partner_report", args=[s.partner.pk])
    client.force_login(s.lead)
    response = client.get(url)
    assert response.status_code == 200 and "A preview" in response.text
    client.force_login(people.staff)
    assert client.get(url).status_code == 200
    for user in [people.coordinator, people.mentee, people.outsider]:
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_ratings_from_few_of_the_partners_people_are_hidden_from_its_contact(sliced):
    """Three of the partner's people have matches; they log twelve rated check-ins between them.
    Twelve ratings, but three people: the contact sees "fewer than 5", not the mean."""
    import datetime as dt

    from evaluation.models import CheckIn
    from evaluation.partner_reports import partner_figures
    from matching.models import Match

    for match in Match.objects.filter(pk__in=sliced.match_ids["riverside"]).select_related("mentee__user"):
        for day in range(4):
            when = dt.date.today() - dt.timedelta(days=day)
            CheckIn.objects.create(match=match, logged_by=match.mentee.user, occurred_on=when, rating=5)
    today = dt.date.today()
    figures = {
        f.label: f
        for f in partner_figures(sliced.partner, on=today, start=today - dt.timedelta(days=30), end=today)
    }
    satisfaction = figures["Satisfaction (mentees)"]
    assert satisfaction.suppressed and satisfaction.text == "fewer than 5"
