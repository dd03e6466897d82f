from django.core.management.base import BaseCommand

from mentorship.models import User
from tests import scenarios


class Command(BaseCommand):
    help = "Create the demo program's people (used by `make run` on its first start)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any account exists.")
        parser.add_argument("--print-logins", action="store_true", help="Only print the demo log-ins.")

    def handle(self, *args, if_empty, print_logins, **options):
        if print_logins:
            self._print_logins()
            return
        if if_empty and User.objects.exists():
            self.stdout.write("Accounts exist already; demo data left as it is.")
            return
        scenarios.demo_site()
        self.stdout.write(self.style.SUCCESS("Demo data created."))

    def _print_logins(self):
        emails = [email for _, email in scenarios.DEMO_LOGINS]
        present = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        if not present:
            self.stdout.write("  No demo accounts in this database (it was not seeded by seed_demo).")
            return
        self.stdout.write(f"  Demo log-ins (password for all: {scenarios.DEMO_PASSWORD}):")
        for role, email in scenarios.DEMO_LOGINS:
            if email in present:
                self.stdout.write(f"    {role:<14} {email}")
        self.stdout.write("")
