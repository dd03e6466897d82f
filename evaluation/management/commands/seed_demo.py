from django.core.management.base import BaseCommand, CommandError

from evaluation.demo import scale as scale_data
from evaluation.demo import site
from evaluation.demo.people import DEMO_PASSWORD
from mentorship.models import User


class Command(BaseCommand):
    help = "Create the demo program's people (used by `make run` on its first start)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any account exists.")
        parser.add_argument("--print-logins", action="store_true", help="Only print the demo log-ins.")
        parser.add_argument(
            "--scale",
            choices=sorted(scale_data.SCALES),
            help=(
                "Only build a big program's history beside the demo, once per database (city: 20,000 "
                "people, 10,000 matches, 500,000 check-ins, in the program “City Scale Demo”)."
            ),
        )

    def handle(self, *args, if_empty, print_logins, scale=None, **options):
        if scale:
            self._scale(scale)
            return
        if print_logins:
            self._print_logins()
            return
        if if_empty and User.objects.exists():
            self.stdout.write("Accounts exist already; demo data left as it is.")
            return
        site.demo_site()
        self.stdout.write(self.style.SUCCESS("Demo data created."))

    def _print_logins(self):
        emails = [email for _, email in site.DEMO_LOGINS]
        present = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        if not present:
            self.stdout.write("  No demo accounts in this database (it was not seeded by seed_demo).")
            return
        self.stdout.write(f"  Demo log-ins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(
            "  (staff and coordinators set up an authenticator app at their first log-in; "
            "MFA_REQUIRED_FOR_STAFF=false skips that for a local demo)"
        )
        for role, email in site.DEMO_LOGINS:
            if email in present:
                self.stdout.write(f"    {role:<14} {email}")
        self.stdout.write("")

    def _scale(self, name):
        sizes = scale_data.SCALES[name]
        self.stdout.write(
            f"Building “{scale_data.PROGRAM_NAME}”: {sizes.people:,} people, {sizes.matches:,} matches, "
            f"{sizes.checkins:,} check-ins..."
        )
        try:
            built = scale_data.build_city(sizes=sizes, log=lambda step: self.stdout.write(f"  {step}"))
        except scale_data.AlreadyBuilt as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in built.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Built in {built.seconds:.1f} s: {counts}."))
        self.stdout.write(
            f"  Log in as {built.coordinator.email} (password {DEMO_PASSWORD}) and open "
            f"/programs/{built.program.slug}/reports/."
        )
