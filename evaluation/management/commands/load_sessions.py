"""Signed-in sessions of demo or test accounts for a load test of a deployment (evaluation/load_sessions.py).

    manage.py load_sessions --program city-scale-demo --participants 180 \\
        --coordinator city-coordinator@example.org --staff ops@example.org --out sessions.json
    locust -f bench/locustfile.py --host https://mentoring.example.org --headless -u 200 -r 10 -t 2m
    manage.py load_sessions --forget sessions.json

Run it with the deployment's own settings (on one of its machines): the sessions are signed with
its SECRET_KEY. Staff and coordinators need two-factor authentication set up, or they are left out.
Each session is a way into the account until it expires (--minutes) or is forgotten, so: only
accounts at the demo's domains (or --domain, a test domain of the operator's), and without DEBUG
(production) only with --on-production. Never for real people's accounts.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from evaluation import load_sessions
from mentorship.models import User
from programs.models import Program


class Command(BaseCommand):
    help = "Signed-in sessions of demo/test accounts, and their pages, for a load test (bench/locustfile.py)."

    def add_arguments(self, parser):
        parser.add_argument("--program", help="The program (slug): its mentors and mentees in active matches")
        parser.add_argument("--participants", type=int, default=150, help="How many mentors and mentees.")
        parser.add_argument("--coordinator", action="append", default=[], help="A coordinator's email.")
        parser.add_argument("--staff", action="append", default=[], help="A staff member's email (repeat).")
        parser.add_argument("--minutes", type=int, default=240, help="The sessions expire after this long.")
        parser.add_argument(
            "--domain",
            action="append",
            default=[],
            help=f"Only accounts at this email domain (default: {', '.join(load_sessions.DEMO_DOMAINS)}).",
        )
        parser.add_argument("--out", default="load-sessions.json", help="The file for the load tool.")
        parser.add_argument("--forget", metavar="FILE", help="End the sessions listed in FILE, and stop.")
        parser.add_argument(
            "--on-production",
            action="store_true",
            help="Needed without DEBUG: this deployment's operator asks for sessions of test accounts.",
        )

    def handle(self, *args, **options):
        if options["forget"]:
            keys = [s["session"] for s in json.loads(Path(options["forget"]).read_text())["sessions"]]
            ended = load_sessions.sessions_forget(keys)
            self.stdout.write(f"{ended} of {len(keys)} sessions ended.")
            return
        if not settings.DEBUG and not options["on_production"]:
            raise CommandError(
                "Without DEBUG this makes real sessions in a live database: add --on-production if the "
                "operator asked for a load test with test accounts."
            )
        if not options["program"]:
            raise CommandError("--program is required.")
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(f"No program {options['program']!r}.")
        made = load_sessions.sessions_for(
            program,
            participants=options["participants"],
            managers=self._users(options["coordinator"]),
            staff=self._users(options["staff"]),
            minutes=options["minutes"],
            domains=options["domain"] or load_sessions.DEMO_DOMAINS,
        )
        for email, why in made.skipped:
            self.stderr.write(f"Left out {email}: {why}.")
        Path(options["out"]).write_text(json.dumps(made.as_json()))
        kinds = {}
        for session in made.sessions:
            kinds[session["kind"]] = kinds.get(session["kind"], 0) + 1
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
        self.stdout.write(
            f"Sessions ({summary}) written to {options['out']}; they expire in {options['minutes']} "
            f"minutes. End them after the test: manage.py load_sessions --forget {options['out']}"
        )

    def _users(self, emails):
        found = {u.email.lower(): u for u in User.objects.filter(email__in=[e.lower() for e in emails])}
        missing = [e for e in emails if e.lower() not in found]
        if missing:
            raise CommandError(f"No account for {', '.join(missing)}.")
        return [found[e.lower()] for e in emails]
