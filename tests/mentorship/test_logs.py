"""Logs are JSON lines with a request id and a user id, and hold no names, email addresses, free
text or token links; gunicorn's access log and Django's follow the same redaction rule."""

import copy
import datetime as dt
import io
import json
import logging
import logging.config
import re
import uuid
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mentorship import logs
from mentorship.gunicorn_conf import Logger as GunicornLogger
from mentorship.models import OutboundEmail, User
from mentorship.tasks import send_pending_emails, send_queued_emails
from programs.models import Enrollment
from tests import scenarios
from tests.mentorship.production_env import PRODUCTION_ENV, run_django

PASSWORD = "a-long-and-unusual-passphrase"
# What must never reach a log line: the people's addresses and names, and what they wrote.
EMAIL = "zephyrine.q@example.org"
COORDINATOR_EMAIL = "corwin.lead@example.org"
SECRETS = [
    EMAIL,
    COORDINATOR_EMAIL,
    "Zephyrine",
    "Quillfeather",
    "Corwin",
    "Blackwood",
    "marine biology",  # the motivation
    "octopus",  # the answer to the program's question
    "tidepools",  # the profile's bio
    "lighthouse keeper",  # the coordinator's note, which goes into an email
    "+44 7700 900456",  # the phone number
]
ANY_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


@pytest.fixture
def json_log(settings, caplog):
    """Everything logged during the test at DEBUG, through the site's own LOGGING (its filters and
    its JSON formatter, as production writes it) with the console stream swapped for a buffer.

    The root and the loggers of the request cycle go down to DEBUG, as LOG_LEVEL=DEBUG would take
    them; the "django" logger itself stays where LOGGING pins it, whatever LOG_LEVEL says (its DEBUG
    lines print whole template contexts).

    Yields ``read()``, which answers (parsed lines, the text written, the records' messages and
    tracebacks as the code logged them, before any scrubbing)."""
    buffer = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"].update(formatter="json", stream=buffer)
    config["root"]["level"] = "DEBUG"
    for name in ("django.request", "django.server", "celery", "allauth"):
        config["loggers"].setdefault(name, {})["level"] = "DEBUG"
    logging.config.dictConfig(config)
    caplog.set_level(logging.DEBUG)

    def read():
        text = buffer.getvalue()
        formatter = logging.Formatter()
        raw = "\n".join(
            record.getMessage() + (formatter.formatException(record.exc_info) if record.exc_info else "")
            for record in caplog.records
        )
        return [json.loads(line) for line in text.splitlines()], text, raw

    yield read
    logging.config.dictConfig(django_settings.LOGGING)


def lines_with(lines, fragment):
    return [line for line in lines if fragment in line["message"]]


@pytest.mark.django_db
def test_a_whole_application_cycle_logs_json_lines_with_ids_and_no_personal_data(
    client, json_log, mailoutbox
):
    coordinator = scenarios.coordinator(email=COORDINATOR_EMAIL, display_name="Corwin Blackwood")
    program = scenarios.program(
        coordinator=coordinator, name="Harbour Mentoring", questions=["What would you like to learn?"]
    )
    question = program.questions.get()

    # Sign up, confirm the address from the email, log in.
    client.post(
        reverse("account_signup"),
        {"name": "Ana", "email": EMAIL, "password1": PASSWORD, "password2": PASSWORD},
    )
    confirm_url = re.search(r"http://testserver(/\S+)", mailoutbox[0].body).group(1)
    client.post(confirm_url)
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    newcomer = User.objects.get(email=EMAIL)

    # The profile: a form error first (a date of birth in the future), then saved with a name.
    profile = {
        "display_name": "Zephyrine Quillfeather",
        "bio": "I spend weekends at the tidepools.",
        "date_of_birth": "1994-05-06",
        "languages": "English",
        "availability": ["0"],
        "area": "Harbourside",
        "meeting_mode": "either",
        "partner_gender_importance": "nice",
        "partner_age_band_importance": "nice",
        "phone": "+44 7700 900456",
        "contact_method": "email",
    }
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert client.post(reverse("profile"), {**profile, "date_of_birth": future}).status_code == 200
    assert client.post(reverse("profile"), profile).status_code == 302

    # Apply, with free text, and a page that does not exist (signed in).
    response = client.post(
        reverse("programs:apply", args=[program.slug, "mentee"]),
        {
            "motivation": "I want to study marine biology.",
            "heard_about": "friend",
            f"q_{question.pk}": "Everything about the octopus.",
        },
    )
    assert response.status_code == 302
    assert client.get("/programs/no-such-program/").status_code == 404
    enrollment = Enrollment.objects.get(user=newcomer)

    # The coordinator looks at the application, tries a step that is not allowed (400), screens and
    # approves it with a note; the emails go out as the worker sends them.
    client.force_login(coordinator)
    slug = program.slug
    assert client.get(reverse("programs:applicants", args=[slug])).status_code == 200
    assert client.get(reverse("programs:applicant", args=[slug, enrollment.pk])).status_code == 200
    status_url = reverse("programs:applicant_status", args=[slug, enrollment.pk])
    assert client.post(status_url, {"decision-status": "approved"}).status_code == 400
    client.post(
        status_url,
        {"decision-status": "in_screening", "decision-note": "Your lighthouse keeper training counts."},
    )
    client.post(status_url, {"decision-status": "approved"})
    unsent = list(OutboundEmail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))
    assert unsent
    send_queued_emails.apply(args=[unsent])
    assert {EMAIL} <= {address for message in mailoutbox for address in message.to}

    # A guardian's link that is wrong: its token must not be written either.
    client.logout()
    token = str(uuid.uuid4())
    assert client.get(reverse("programs:guardian_consent", args=[token])).status_code == 404

    lines, text, raw = json_log()
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id", "user_id"} <= line.keys(), line
    # No personal data, whether written (scrubbed) or as the code logged it (so that the scrubbing
    # stays a backstop, not the reason this passes); no token.
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), secret
        assert secret.lower() not in raw.lower(), secret
    assert not ANY_EMAIL.search(text) and not ANY_EMAIL.search(raw)
    assert token not in text

    # The lines of a signed-in person's requests carry their id and the request's id.
    (not_found,) = lines_with(lines, "Not Found: /programs/no-such-program/")
    assert not_found["user_id"] == newcomer.pk and re.fullmatch(r"[0-9a-f]{32}", not_found["request_id"])
    (bad_request,) = lines_with(lines, f"Bad Request: {status_url}")
    assert bad_request["user_id"] == coordinator.pk and bad_request["request_id"] != not_found["request_id"]
    (anonymous,) = lines_with(lines, "Not Found: /consent/")
    assert anonymous["message"] == "Not Found: /consent/<redacted>/" and anonymous["user_id"] is None


def test_what_slips_into_a_message_is_caught_by_the_checks_above_and_addresses_are_masked(json_log):
    # Proof that the test above would fail: a name reaches the line as logged; an address reaches
    # the record (the raw check) but is masked in what is written.
    logging.getLogger("mentorship.views").info("profile saved for %s <%s>", "Zephyrine", EMAIL)
    lines, text, raw = json_log()
    assert "Zephyrine" in text and EMAIL in raw
    assert lines[-1]["message"] == "profile saved for Zephyrine <<email>>"


def test_production_writes_json_lines_through_the_context_filter():
    code = (
        "import django, logging; django.setup(); handler = logging.getLogger().handlers[0]; "
        "print(type(handler.formatter).__name__, [type(f).__name__ for f in handler.filters]); "
        "print([type(f).__name__ for f in logging.getLogger('django.request').filters])"
    )
    result = run_django(code, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["JSONFormatter ['ContextFilter']", "['RedactPathsFilter']"]


def test_a_log_format_that_is_neither_json_nor_plain_is_refused():
    result = run_django("import django; django.setup()", {**PRODUCTION_ENV, "LOG_FORMAT": "xml"})
    assert result.returncode != 0 and "LOG_FORMAT='xml' is not json or plain" in result.stderr


# --- Request ids --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_response_carries_a_fresh_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_when_it_is_short_and_plain(client, json_log):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a9c2e"}).headers["X-Request-ID"] == (
        "lb-7f3a9c2e"
    )
    client.get("/no-such-page/", headers={"X-Request-ID": "lb-7f3a9c2e"})
    assert lines_with(json_log()[0], "Not Found: /no-such-page/")[0]["request_id"] == "lb-7f3a9c2e"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "incoming", ["short", "x" * 65, "abc def ghi", "<script>alert(1)</script>", "a\nb-cdefgh"]
)
def test_a_request_id_that_is_not_short_and_plain_is_replaced(client, incoming):
    answered = client.get("/healthz", headers={"X-Request-ID": incoming}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", answered)


def test_lines_outside_a_request_or_task_carry_no_ids(json_log):
    logging.getLogger("mentorship").warning("nothing to do with a request")
    line = json_log()[0][-1]
    assert line["request_id"] is None and line["user_id"] is None and "task_id" not in line


@pytest.mark.django_db
def test_a_tasks_lines_carry_its_task_id(json_log):
    email = OutboundEmail.objects.create(to="someone@example.org", subject="s", body="b", kind="test")
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    result = send_pending_emails.apply()
    (line,) = lines_with(json_log()[0], "sent 1 delayed emails")
    assert line["task_id"] == result.id and line["request_id"] is None
    assert logs.current() == {}  # unbound when the task ended


# --- Token links out of the logs ----------------------------------------------------------------

TOKEN_ARGUMENT = re.compile(r"token|key|secret|code|uid", re.IGNORECASE)


def url_patterns(resolver=None, prefix="", namespace=""):
    """Every URL pattern of the site as (name, route, the names of its arguments)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        arguments = {*entry.pattern.regex.groupindex, *getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for name, sub_route, sub_arguments in url_patterns(entry, route, inner):
                yield name, sub_route, arguments | sub_arguments
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, route, arguments


def token_patterns():
    """The URL patterns with an argument whose name says it is a secret."""
    return [
        (name, route, arguments)
        for name, route, arguments in url_patterns()
        if any(TOKEN_ARGUMENT.search(argument) for argument in arguments)
    ]


def example_url(name, route, arguments):
    """The URL with a recognisable secret in it (a UUID where the converter wants one)."""
    secret = str(uuid.uuid4()) if "<uuid:" in route else "S3cr3tT0k3nValue"
    # The secret in each argument but the numbers (a training's id, a page's number) beside it.
    kwargs = {argument: 7 if f"<int:{argument}>" in route else secret for argument in arguments}
    if "uidb36" in arguments:
        kwargs["uidb36"] = "4k"
        kwargs["key"] = f"c8-{secret}"
    return reverse(name, kwargs=kwargs), secret


def test_the_site_has_the_token_links_this_test_knows_of():
    names = {name for name, _, _ in token_patterns()}
    assert {
        "account_confirm_email",
        "account_reset_password_from_key",
        "programs:guardian_consent",
        "programs:guardian",
        "programs:guardian_withdraw",
        "programs:invitation",
        "matching:guardian_concern",
        "matching:guardian_concern_received",
        "evaluation:feed",
    } <= names


@pytest.mark.parametrize(("name", "route", "arguments"), token_patterns())
def test_every_token_link_of_the_site_is_redacted(name, route, arguments):
    url, secret = example_url(name, route, arguments)
    for text in (
        url,
        f"{url}?page=2",
        f"GET {url} HTTP/1.1",
        f"Not Found: https://mentoring.example.org{url}",
    ):
        redacted = logs.redact_path(text)
        assert secret not in redacted and logs.REDACTED in redacted, text


@pytest.mark.parametrize(
    "path",
    [
        "/programs/harbour-mentoring/",
        "/calendar/",
        "/calendar/new-address/",
        "/accounts/password/reset/key/done/",
        "/matches/12/journal/?period=2026-05",
    ],
)
def test_paths_without_secrets_are_left_alone(path):
    assert logs.redact_path(path) == path


def test_query_parameters_named_token_or_key_are_redacted():
    assert logs.redact_path("/calendar/?token=abc123&page=2&api_key=zz") == (
        "/calendar/?token=<redacted>&page=2&api_key=<redacted>"
    )


@pytest.mark.django_db
def test_djangos_not_found_line_has_the_token_redacted(client, json_log):
    token = str(uuid.uuid4())
    client.get(f"/guardian/{token}/withdraw/")
    lines, text, raw = json_log()
    assert token not in text and token not in raw  # the filter sits on django.request itself
    assert lines_with(lines, "Not Found: /guardian/<redacted>/withdraw/")


def test_runservers_request_lines_have_the_token_redacted(json_log):
    token = str(uuid.uuid4())
    logging.getLogger("django.server").info('"%s" %s %s', f"GET /consent/{token}/ HTTP/1.1", "200", "512")
    lines, text, _ = json_log()
    assert token not in text
    assert lines[-1]["message"] == '"GET /consent/<redacted>/ HTTP/1.1" 200 512'


def test_gunicorns_access_line_is_json_with_the_token_redacted_and_no_client_details(capsys):
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    gunicorn_logger = GunicornLogger(config)
    response = SimpleNamespace(
        status="200 OK", sent=1234, headers=[("Content-Type", "text/html"), ("X-Request-ID", "abcd1234ef")]
    )
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/invitations/0f8e3c1a-1111-2222-3333-444455556666/?key=s3cret",
        "PATH_INFO": "/invitations/0f8e3c1a-1111-2222-3333-444455556666/",
        "QUERY_STRING": "key=s3cret",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": "Mozilla/5.0",
        "HTTP_REFERER": "https://mentoring.example.org/consent/0f8e3c1a-aaaa-bbbb-cccc-ddddeeeeffff/",
    }
    gunicorn_logger.access(response, None, environ, dt.timedelta(seconds=0, microseconds=42000))
    (line,) = [json.loads(text) for text in capsys.readouterr().out.splitlines()]
    assert line["logger"] == "gunicorn.access" and line["request_id"] == "abcd1234ef"
    assert line["message"] == "GET /invitations/<redacted>/?key=<redacted> 200 1234B 42ms"
    written = json.dumps(line)
    for detail in ("0f8e3c1a", "s3cret", "203.0.113.9", "Mozilla", "mentoring.example.org"):
        assert detail not in written
