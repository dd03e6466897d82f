from django.core.management.base import BaseCommand

from matching import runs


class Command(BaseCommand):
    help = "Run the nightly match suggestions now (programs with automatic suggestions on)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say which programs would run; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        for program, outcome in runs.suggestions_sweep(dry_run=dry_run):
            self.stdout.write(f"{program.name}: {outcome}")
