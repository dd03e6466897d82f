"""A person's data download: every model that holds something of a person is in it or left out
with a reason (so a new model cannot be forgotten), it holds the person's data from every app, and
it holds no secret and nobody else's email address."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from evaluation import personal_data
from evaluation.models import CalendarFeed
from mentorship.models import AuditEntry, Profile, User
from programs.models import Invitation
from tests import scenarios

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _covered():
    parts = {part.model: part for part in personal_data.PARTS}
    left_out = set(personal_data.LEFT_OUT)
    return parts, left_out


def _label(model):
    return model._meta.label_lower


def test_every_relation_to_a_persons_rows_is_in_the_download_or_left_out_with_a_reason():
    """Walks every installed model: a relation (foreign key, one-to-one, many-to-many) to the user
    model, or to a model whose rows are someone's (their enrollments, matches...), must be followed
    by a part of the download or left out, model or relation, with a reason."""
    parts, left_out = _covered()
    owners = {User} | set(personal_data.PERSONAL_MODELS)
    owners |= {apps.get_model(label) for label in left_out}
    forgotten = []
    for model in apps.get_models():
        if _label(model) in left_out:
            continue
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete or field.many_to_many) or field.auto_created:
                continue
            if field.related_model not in owners:
                continue
            followed = model in parts and field.name in parts[model].links
            if not followed and (_label(model), field.name) not in personal_data.LEFT_OUT_LINKS:
                forgotten.append(f"{_label(model)}.{field.name}")
    assert forgotten == [], (
        "add these to evaluation.personal_data.PARTS (a link), or to LEFT_OUT / LEFT_OUT_LINKS with the "
        f"reason: {forgotten}"
    )


def test_every_model_holding_an_email_address_is_in_the_download_or_left_out():
    parts, left_out = _covered()
    missing = [
        _label(model)
        for model in apps.get_models()
        if any(isinstance(f, models.EmailField) for f in model._meta.concrete_fields)
        and model not in parts
        and _label(model) not in left_out
    ]
    assert missing == []


def test_every_left_out_thing_names_a_real_model_or_field_and_says_why():
    for label, why in personal_data.LEFT_OUT.items():
        assert apps.get_model(label) and len(why) > 20
    for (label, name), why in personal_data.LEFT_OUT_LINKS.items():
        assert apps.get_model(label)._meta.get_field(name) and len(why) > 20
    for part in personal_data.PARTS:
        for name, why in part.omit.items():
            assert part.model._meta.get_field(name) and len(why) > 20


@pytest.fixture
def history():
    return scenarios.person_with_history()


@pytest.fixture
def staff():
    return scenarios.person(email="sid@staff.test", display_name="Sid Staff", is_staff=True)


def download(client, staff, user):
    client.force_login(staff)
    response = client.get(reverse("evaluation:person_data", args=[user.pk]))
    assert response.status_code == 200
    return response


def unzip(response):
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def test_the_download_is_a_zip_of_one_json_file_and_a_csv_per_model(client, staff, history):
    response = download(client, staff, history.user)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    files = unzip(response)
    expected = {"data.json"} | {
        f"csv/{p.model._meta.app_label}.{p.model._meta.model_name}.csv" for p in personal_data.PARTS
    }
    assert set(files) == expected
    profile = list(csv.DictReader(io.StringIO(files["csv/mentorship.profile.csv"])))
    assert profile[0]["bio"] == "Marigold likes chess."
    assert profile[0]["languages"] == "English"


def test_the_download_holds_the_persons_data_from_every_app(client, staff, history):
    data = json.loads(unzip(download(client, staff, history.user))["data.json"])["data"]
    has = {app: {model for model, rows in models_.items() if rows} for app, models_ in data.items()}
    assert {"user", "profile", "auditentry", "outboundemail"} <= has["mentorship"]
    assert {"enrollment", "statuschange", "answer", "screeningrecord", "invitation"} <= has["programs"]
    assert {"match", "matchrequest"} <= has["matching"]
    assert {
        "checkin",
        "goal",
        "goalnote",
        "surveyresponse",
        "staffcontact",
        "reminder",
        "calendarfeed",
    } <= has["evaluation"]
    assert has["account"] == {"emailaddress"} and has["mfa"] == {"authenticator"}

    assert data["mentorship"]["user"][0]["email"] == "marigold.quenby@example.org"
    assert data["mentorship"]["profile"][0]["date_of_birth"] == "1990-03-04"
    assert {a["email"] for a in data["account"]["emailaddress"]} == {
        "marigold.quenby@example.org",
        "marigold@elsewhere.test",
    }
    assert data["programs"]["answer"][0]["text"] == "Marigold's answer: a job in tech"
    assert data["programs"]["answer"][0]["question"] == "What would you like to get out of it?"
    [match] = data["matching"]["match"]
    assert (match["your_role"], match["partner"], match["mentor"]) == ("mentee", "Morgan", "another person's")
    assert {c["logged_by"] for c in data["evaluation"]["checkin"]} == {"you", "someone else"}
    # Her own survey answers; never her partner's.
    assert [s["text"] for s in data["evaluation"]["surveyresponse"]] == ["Thanks from Marigold"]
    assert "notes" not in data["evaluation"]["staffcontact"][0]
    assert {e["action"] for e in data["mentorship"]["auditentry"]} >= {"enrollment.status"}


def test_the_download_holds_no_secret_and_no_other_persons_email(client, staff, history):
    user = history.user
    everything = "\n".join(unzip(download(client, staff, user)).values())
    secrets = [
        user.password,
        CalendarFeed.objects.get(user=user).token,
        str(Invitation.objects.get(email=user.email).token),
        "JBSWY3DPEHPK3PXPSECRET",
    ]
    for secret in secrets:
        assert secret not in everything
    assert personal_data.KEY_REMOVED in everything  # the invitation email's link
    assert set(EMAIL.findall(everything)) <= {"marigold.quenby@example.org", "marigold@elsewhere.test"}
    assert "morgan@history.test" not in everything and "rosa@history.test" not in everything


def test_text_a_spreadsheet_would_run_is_made_plain(client, staff, history):
    Profile.objects.filter(user=history.user).update(bio='=HYPERLINK("http://evil.test","x")')
    files = unzip(download(client, staff, history.user))
    profile = next(csv.DictReader(io.StringIO(files["csv/mentorship.profile.csv"])))
    assert profile["bio"].startswith("'=")
    assert json.loads(files["data.json"])["data"]["mentorship"]["profile"][0]["bio"].startswith("=")


def test_each_download_is_on_the_audit_trail_without_the_persons_name_or_email(client, staff, history):
    download(client, staff, history.user)
    entry = AuditEntry.objects.get(action="person.data_exported")
    assert (entry.actor, entry.target_type, entry.target_id) == (staff, "mentorship.user", history.user.pk)
    for needle in ("Marigold", "Quenby", "marigold.quenby@example.org"):
        assert needle not in entry.summary + entry.actor_label


def test_a_coordinators_download_names_their_programs_and_no_applicant(client, staff, history):
    data = json.loads(unzip(download(client, staff, history.coordinator))["data.json"])["data"]
    assert {p["name"] for p in data["programs"]["program"]} == {
        "Riverside Mentoring",
        "Harbour Mentors",
        "Northside Careers",
    }
    assert all(p["coordinators"] == ["you"] for p in data["programs"]["program"])
    assert data["programs"]["enrollment"] == [] and data["programs"]["statuschange"] == []
