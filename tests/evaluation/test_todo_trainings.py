"""The coordinators' to-do (evaluation/todo.py) counts the required trainings of people still taking
part whose completion expires within 30 days or has expired, with a link to the people x trainings
overview: on the dashboard's "To do" panel and in the daily email, in the same number of queries
however many people and records there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import digests, todo
from programs import services as program_services
from programs.models import CompletedBy, TrainingFor
from programs.training_records import training_complete
from programs.trainings import training_create, training_publish
from tests import scenarios

pytestmark = pytest.mark.django_db

YEAR = 365


def training(program, lead, title, audience, *, required=True, publish=True):
    """An in-person refresher valid for a year (in person: it needs no pages to be published)."""
    made = training_create(
        program=program, by=lead, title=title, audience=audience, kind="in_person", required=required,
        valid_days=YEAR,
    )  # fmt: skip
    if publish:
        training_publish(training=made, by=lead)
    return made


def done(training, enrollment, *, expires_in):
    """``training`` completed by ``enrollment`` long enough ago that it runs out in ``expires_in`` days."""
    completed_on = timezone.localdate() - dt.timedelta(days=YEAR - expires_in)
    return training_complete(
        training=training, enrollment=enrollment, how=CompletedBy.EXTERNAL, completed_on=completed_on
    )


def trained_program(lead, name, domain):
    """Expiring or expired, and counted (3): a mentor's safeguarding refresher in 10 days, another
    mentor's already expired, a teenager's guardian's orientation in 5 days. Not counted: a
    refresher running out in 40 days, an optional training expiring in 3, a withdrawn mentor's,
    a draft's."""
    program = scenarios.program(coordinator=lead, name=name)
    safeguarding = training(program, lead, "Safeguarding refresher", TrainingFor.MENTOR)
    orientation = training(program, lead, "Guardian orientation", TrainingFor.GUARDIAN)
    optional = training(program, lead, "Storytelling", TrainingFor.MENTOR, required=False)
    draft = training(program, lead, "Next year's refresher", TrainingFor.MENTOR, publish=False)
    soon = scenarios.ready_mentor(program=program, email=f"soon@{domain}", display_name="Sol Soon")
    done(safeguarding, soon, expires_in=10)
    done(optional, soon, expires_in=3)
    done(draft, soon, expires_in=3)
    late = scenarios.ready_mentor(program=program, email=f"late@{domain}", display_name="Lou Late")
    done(safeguarding, late, expires_in=-20)
    later = scenarios.ready_mentor(program=program, email=f"later@{domain}", display_name="Lee Later")
    done(safeguarding, later, expires_in=40)
    teen = scenarios.ready_mentee(program=program, email=f"teen@{domain}", display_name="Tam", minor=True)
    done(orientation, teen, expires_in=5)
    gone = scenarios.ready_mentor(program=program, email=f"gone@{domain}", display_name="Gil Gone")
    done(safeguarding, gone, expires_in=2)
    program_services.enrollment_withdraw(enrollment=gone, by=gone.user)
    return program


@pytest.fixture
def lead():
    return scenarios.coordinator(email="lead@trainings-todo.test", display_name="Lena Lead")


@pytest.fixture
def program(lead):
    return trained_program(lead, "Trained Program", "trained.test")


def trainings_item(lead, program):
    [section] = [s for s in todo.coordinator_todo(lead, on=timezone.localdate()) if s.program == program]
    return next((item for item in section.items if item.key == "trainings"), None)


def test_expiring_and_expired_required_trainings_are_counted_with_a_link(lead, program):
    item = trainings_item(lead, program)
    # The two mentors' refreshers (in 10 days, expired) and the guardian's orientation (in 5 days);
    # not the one in 40 days, the optional training, the draft, nor the withdrawn mentor's.
    assert item.count == 3
    assert item.text == "3 trainings expiring within 30 days or expired"
    assert item.url == reverse("programs:trainings_people", args=[program.slug]) + "?expiring=on"


def test_nothing_expiring_soon_means_no_item(lead):
    quiet = scenarios.program(coordinator=lead, name="Quiet Program")
    refresher = training(quiet, lead, "Refresher", TrainingFor.MENTOR)
    optional = training(quiet, lead, "Optional", TrainingFor.MENTEE, required=False)
    mentor = scenarios.ready_mentor(program=quiet, email="fine@quiet.test")
    done(refresher, mentor, expires_in=40)
    done(optional, scenarios.ready_mentee(program=quiet, email="m@quiet.test"), expires_in=1)
    sections = [s for s in todo.coordinator_todo(lead, on=timezone.localdate()) if s.program == quiet]
    assert not sections or all(item.key != "trainings" for item in sections[0].items)


def test_a_withdrawn_person_is_not_counted(lead, program):
    soon = program.enrollments.get(user__email="soon@trained.test")
    program_services.enrollment_withdraw(enrollment=soon, by=soon.user)
    assert trainings_item(lead, program).count == 2


def test_the_dashboard_shows_it_and_the_link_lists_the_people(client, lead, program):
    client.force_login(lead)
    page = client.get(reverse("dashboard")).text
    url = reverse("programs:trainings_people", args=[program.slug]) + "?expiring=on"
    assert f'<a href="{url}">3 trainings expiring within 30 days or expired</a>' in page
    # The link lists exactly the people counted (the same rule: expiring_records), each cell saying
    # which training runs out.
    overview = client.get(url)
    assert overview.status_code == 200
    listed = {enrollment.user.display_name for enrollment in overview.context["page"].object_list}
    assert listed == {"Sol Soon", "Lou Late", "Tam"}
    assert "expiring soon" in overview.text and "Expired" in overview.text


def test_the_daily_email_says_the_same(lead, program, mailoutbox, send_queued_emails):
    mailoutbox.clear()
    digests.coordinator_digests_send()
    send_queued_emails()
    [email] = [m for m in mailoutbox if m.to == [lead.email]]
    item = trainings_item(lead, program)
    assert item.text in email.body and item.url in email.body
    assert "3 trainings expiring" in email.subject
    assert "Tam" not in email.body and "Sol" not in email.body  # counts and links only


def test_the_same_queries_however_many_people_and_records(lead, program):
    on = timezone.localdate()
    with CaptureQueriesContext(connection) as first:
        todo.coordinator_todo(lead, on=on)
    trained_program(lead, "Second Trained Program", "second.test")
    more_mentor = scenarios.ready_mentor(program=program, email="more@trained.test")
    done(program.trainings.get(title="Safeguarding refresher"), more_mentor, expires_in=1)
    with CaptureQueriesContext(connection) as more:
        sections = todo.coordinator_todo(lead, on=on)
    assert len(sections) == 2
    assert trainings_item(lead, program).count == 4
    assert len(more) == len(first) <= 10


def test_a_mentee_who_no_longer_needs_consent_does_not_count_the_orientation(lead, program):
    teen = program.enrollments.get(user__email="teen@trained.test")
    adult = timezone.localdate().replace(year=timezone.localdate().year - 19)
    teen.user.profile.date_of_birth = adult
    teen.user.profile.save(update_fields=["date_of_birth"])
    assert trainings_item(lead, program).count == 2  # the two mentors' refreshers
