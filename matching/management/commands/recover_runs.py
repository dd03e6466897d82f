from django.core.management.base import BaseCommand

from matching import runs


class Command(BaseCommand):
    help = (
        "Send again the matching runs nobody is doing: queued but never taken (the task was lost), "
        "or running long after their worker stopped (three tries, then failed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done; change nothing.")

    def handle(self, *args, dry_run, **options):
        report = runs.runs_recover(dry_run=dry_run)
        for run, outcome in report:
            self.stdout.write(f"Run {run.pk} of {run.program.name} ({run.status}): {outcome}")
        if not report:
            self.stdout.write("No run needs recovering.")
