"""Signed-in sessions for a load test (`make bench BENCH=load`, and `manage.py load_sessions` for a
deployment), with the pages each person browses.

A load test must not log in through the login form: its rate limits (per address and per account)
would shape the test, and every log-in is a slow password hash. So the sessions are made beforehand,
straight in the session store, exactly as django.contrib.auth.login leaves them (the user's id, the
backend, the session hash of the password), and written with each person's pages to a JSON file
that bench/locustfile.py reads. The load tool needs nothing else from the site (no Django).

Staff and coordinators reach their pages only with two-factor authentication set up
(mentorship/mfa.py): the people chosen here without it are left out and named.

Only for demo and test accounts: a session is a way into the account, so ``sessions_for`` takes
only people whose email address is at one of ``domains`` (the demo's and the city-scale data's
by default), and each session expires after ``minutes``. ``sessions_forget`` ends them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from evaluation.demo.scale import DOMAIN as SCALE_DOMAIN
from matching.messaging.services import conversation_for_match
from matching.models import Match, MatchStatus
from mentorship import mfa

DEMO_DOMAINS = ("example.org", SCALE_DOMAIN)
BACKEND = "django.contrib.auth.backends.ModelBackend"

# What each kind of person opens, by URL name, with how often (relative weights): a mentor or mentee
# reads the dashboard and the pair's conversation most, the match page and its journal (check-ins,
# goals) next; a coordinator the program's overview, applicants and matches, the inbox and reports.
PAGES = {
    "participant": {
        "dashboard": 25,
        "matching:conversation": 20,
        "matching:match": 12,
        "evaluation:pair": 12,
        "matching:meetings": 6,
        "evaluation:checkin_new": 4,
        "evaluation:goal_new": 2,
        "programs:enrollment": 4,
        "programs:library": 4,
        "programs:public_events": 3,
        "evaluation:calendar": 3,
        "profile": 3,
        "matching:requests": 2,
    },
    "coordinator": {
        "dashboard": 10,
        "programs:dashboard": 15,
        "programs:applicants": 12,
        "programs:applicant": 8,
        "matching:matches": 12,
        "matching:match": 10,
        "evaluation:pair": 5,
        "evaluation:program_dashboard": 8,
        "evaluation:contacts_due": 5,
        "matching:concerns": 5,
        "matching:inbox": 8,
        "programs:events": 2,
    },
    "staff": {
        "dashboard": 10,
        "evaluation:staff_dashboard": 10,
        "evaluation:people": 6,
        "audit_list": 6,
        "programs:dashboard": 8,
        "matching:matches": 6,
        "evaluation:program_dashboard": 6,
    },
}


@dataclass
class Made:
    """The file's content (``as_json``), and who was left out and why."""

    sessions: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    def as_json(self):
        return {
            "cookie_name": settings.SESSION_COOKIE_NAME,
            "weights": PAGES,
            "sessions": self.sessions,
        }


def session_make(user, *, minutes):
    """A session signed in as ``user``, as django.contrib.auth.login leaves one; its key."""
    store = SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(minutes * 60)
    store.create()
    return store.session_key


def sessions_forget(keys):
    """End the sessions ``keys`` (the load test's, read back from its file)."""
    return SessionStore.get_model_class().objects.filter(session_key__in=list(keys)).delete()[0]


def _at_domains(user, domains):
    return user.email.rsplit("@", 1)[-1].lower() in {d.lower() for d in domains}


def participant_pages(match, enrollment):
    """Everything a mentor or mentee of ``match`` (``enrollment`` theirs) browses: [(name, url)]."""
    slug = match.program.slug
    conversation = conversation_for_match(match=match)  # made on first use, as the match page does
    urls = {
        "dashboard": reverse("dashboard"),
        "matching:conversation": reverse("matching:conversation", args=[conversation.pk]),
        "matching:match": reverse("matching:match", args=[match.pk]),
        "evaluation:pair": reverse("evaluation:pair", args=[match.pk]),
        "matching:meetings": reverse("matching:meetings", args=[match.pk]),
        "evaluation:checkin_new": reverse("evaluation:checkin_new", args=[match.pk]),
        "evaluation:goal_new": reverse("evaluation:goal_new", args=[match.pk]),
        "programs:enrollment": reverse("programs:enrollment", args=[enrollment.pk]),
        "programs:library": reverse("programs:library", args=[slug]),
        "programs:public_events": reverse("programs:public_events", args=[slug]),
        "evaluation:calendar": reverse("evaluation:calendar"),
        "profile": reverse("profile"),
        "matching:requests": reverse("matching:requests"),
    }
    return sorted(urls.items())


def manager_pages(program, matches, applicants, *, staff=False):
    """A coordinator's pages of ``program`` (a few of its matches and applicants); staff's pages."""
    slug = program.slug
    urls = [
        ("dashboard", reverse("dashboard")),
        ("programs:dashboard", reverse("programs:dashboard", args=[slug])),
        ("programs:applicants", reverse("programs:applicants", args=[slug])),
        ("matching:matches", reverse("matching:matches", args=[slug])),
        ("evaluation:program_dashboard", reverse("evaluation:program_dashboard", args=[slug])),
        ("evaluation:contacts_due", reverse("evaluation:contacts_due", args=[slug])),
        ("matching:concerns", reverse("matching:concerns", args=[slug])),
        ("matching:inbox", reverse("matching:inbox", args=[slug])),
        ("programs:events", reverse("programs:events", args=[slug])),
    ]
    urls += [("matching:match", reverse("matching:match", args=[pk])) for pk in matches]
    urls += [("evaluation:pair", reverse("evaluation:pair", args=[pk])) for pk in matches]
    urls += [("programs:applicant", reverse("programs:applicant", args=[slug, pk])) for pk in applicants]
    if staff:
        urls += [
            ("evaluation:staff_dashboard", reverse("evaluation:staff_dashboard")),
            ("evaluation:people", reverse("evaluation:people")),
            ("audit_list", reverse("audit_list")),
        ]
    return urls


def sessions_for(program, *, participants, managers=(), staff=(), minutes=240, domains=DEMO_DOMAINS, seed=1):
    """Sessions for ``participants`` mentors and mentees of ``program`` in an active match (drawn at
    random, seeded), and for the ``managers`` (coordinators of it) and ``staff`` users given. Only
    accounts at ``domains``; staff and coordinators only with two-factor authentication set up."""
    made = Made()
    rng = random.Random(seed)
    active = list(
        Match.objects.filter(program=program, status=MatchStatus.ACTIVE)
        .select_related("program", "mentee__user", "mentor__user")
        .order_by("pk")
    )
    rng.shuffle(active)
    taken = set()
    # Mentees and mentors in turn, one of each match; then their partners if more are wanted.
    for side in (0, 1):
        for k, match in enumerate(active):
            if len(taken) >= participants:
                break
            mentee_side = (k + side) % 2 == 0
            enrollment = match.mentee if mentee_side else match.mentor
            user = enrollment.user
            if user.pk in taken or not user.is_active or not _at_domains(user, domains):
                continue
            taken.add(user.pk)
            pages = participant_pages(match, enrollment)
            role = "mentee" if mentee_side else "mentor"
            made.sessions.append(_entry(user, "participant", role, pages, minutes))
    some_matches = [m.pk for m in active[:20]]
    applicants = list(program.enrollments.order_by("-pk").values_list("pk", flat=True)[:20])
    for users, kind in ((managers, "coordinator"), (staff, "staff")):
        for user in users:
            why = _refusal(user, domains, program if kind == "coordinator" else None)
            if why:
                made.skipped.append((user.email, why))
                continue
            pages = manager_pages(program, some_matches, applicants, staff=kind == "staff")
            made.sessions.append(_entry(user, kind, kind, pages, minutes))
    made.sessions = _interleaved(made.sessions)
    return made


def _refusal(user, domains, program):
    if not _at_domains(user, domains):
        return "not at a demo or test domain"
    if not user.is_active:
        return "inactive"
    if program is not None and not program.coordinators.filter(pk=user.pk).exists() and not user.is_staff:
        return "not a coordinator of the program"
    if program is None and not user.is_staff:
        return "not staff"
    if settings.MFA_REQUIRED_FOR_STAFF and mfa.must_set_up_mfa(user):
        return "no two-factor authentication set up (they would reach only its page)"
    return None


def _entry(user, kind, role, pages, minutes):
    return {
        "user": user.pk,
        "kind": kind,
        "role": role,
        "session": session_make(user, minutes=minutes),
        "pages": [[name, url] for name, url in pages if name in PAGES[kind]],
    }


def _interleaved(sessions):
    """Coordinators and staff spread evenly among the participants: the first n sessions of the file
    (a load test with n users) have about the same mix as the whole."""
    managers = [s for s in sessions if s["kind"] != "participant"]
    others = [s for s in sessions if s["kind"] == "participant"]
    if not managers:
        return others
    step = max(1, len(sessions) // len(managers))
    result = []
    for k in range(len(sessions)):
        if k % step == step // 2 and managers:
            result.append(managers.pop(0))
        elif others:
            result.append(others.pop(0))
        else:
            result.append(managers.pop(0))
    return result
