"""The load test's sessions and pages (evaluation/load_sessions.py, `manage.py load_sessions`): every
page the load tool opens answers 200 to its person, signed in by a session the site accepts; only
demo or test accounts, and staff or coordinators only with two-factor authentication."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from evaluation import load_sessions

DOMAINS = ("urls.test",)


def _with_totp(user):
    secret = {"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults=secret)
    return user


def _signed_in(client, settings, session):
    client.cookies[settings.SESSION_COOKIE_NAME] = session["session"]
    return client


def test_every_page_of_the_file_answers_200_to_its_person(w, client, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True  # the gate on, as in production
    made = load_sessions.sessions_for(
        w.program,
        participants=2,
        managers=[_with_totp(w.people.coordinator)],
        staff=[w.people.staff],
        domains=DOMAINS,
    )
    assert made.skipped == []
    by_user = {s["user"]: s for s in made.sessions}
    everyone = (w.people.mentee, w.people.mentor, w.people.coordinator, w.people.staff)
    assert set(by_user) == {p.pk for p in everyone}
    assert by_user[w.people.mentee.pk]["role"] == "mentee" and by_user[w.people.mentor.pk]["role"] == "mentor"
    data = json.loads(json.dumps(made.as_json()))  # as the load tool reads it
    for session in data["sessions"]:
        names = {name for name, _ in session["pages"]}
        # Every page the load tool weighs for this kind of person is in their list, and nothing else.
        assert names == set(data["weights"][session["kind"]]), session["kind"]
        client.cookies.clear()
        _signed_in(client, settings, session)
        for name, url in session["pages"]:
            response = client.get(url, headers={"x-forwarded-proto": "https"})
            assert response.status_code == 200, (session["role"], name, url, response.status_code)


def test_the_session_is_signed_in_as_login_leaves_it(w, client, settings):
    made = load_sessions.sessions_for(w.program, participants=1, domains=DOMAINS)
    [session] = made.sessions
    response = _signed_in(client, settings, session).get("/dashboard/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == session["user"]


def test_forgotten_sessions_are_signed_out(w, client, settings):
    made = load_sessions.sessions_for(w.program, participants=2, domains=DOMAINS)
    assert load_sessions.sessions_forget([s["session"] for s in made.sessions]) == 2
    response = _signed_in(client, settings, made.sessions[0]).get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_only_demo_or_test_accounts_and_two_factor_for_managers(w, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    # url_world's people are at urls.test: not a demo domain, so nobody by default.
    made = load_sessions.sessions_for(w.program, participants=5, staff=[w.people.staff])
    assert made.sessions == [] and made.skipped == [(w.people.staff.email, "not at a demo or test domain")]
    # The coordinator has no authenticator: they would reach only the two-factor set-up page.
    made = load_sessions.sessions_for(
        w.program, participants=0, managers=[w.people.coordinator], domains=DOMAINS
    )
    assert made.sessions == [] and "two-factor" in made.skipped[0][1]
    # Staff pages only for staff; a program's pages only for its coordinators.
    made = load_sessions.sessions_for(
        w.program,
        participants=0,
        managers=[w.people.other_coordinator],
        staff=[w.people.mentor],
        domains=DOMAINS,
    )
    assert sorted(why for _, why in made.skipped) == ["not a coordinator of the program", "not staff"]


def test_the_command_writes_the_file_and_refuses_production_without_the_flag(w, tmp_path, settings):
    out = tmp_path / "sessions.json"
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--on-production"):
        call_command("load_sessions", program=w.program.slug, out=str(out), domain=["urls.test"])
    assert not out.exists()
    slug = w.program.slug
    call_command(
        "load_sessions", program=slug, participants=2, out=str(out), domain=["urls.test"], on_production=True
    )
    data = json.loads(out.read_text())
    assert len(data["sessions"]) == 2 and data["cookie_name"] == settings.SESSION_COOKIE_NAME
    call_command("load_sessions", forget=str(out))
    assert load_sessions.sessions_forget([s["session"] for s in data["sessions"]]) == 0
