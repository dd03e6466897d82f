import datetime as dt

from django.core.management.base import BaseCommand

from evaluation import retention


class Command(BaseCommand):
    help = (
        "Anonymise the people past the retention policy (what the nightly task does). Safe to run "
        "any number of times: each person is anonymised once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who is due (ids and reasons, no names); change nothing.",
        )
        parser.add_argument("--on", type=dt.date.fromisoformat, help="As of this date (default today).")

    def handle(self, *args, dry_run, on, **options):
        if dry_run:
            due = retention.retention_due(on=on)
            for item in due:
                self.stdout.write(f"user #{item.user_id}: {item.stage} ({item.reason})")
            self.stdout.write(f"{len(due)} due; nothing changed (dry run).")
            return
        done = retention.retention_apply(on=on)
        for item in done:
            self.stdout.write(f"user #{item.user_id}: {item.stage} anonymised ({item.reason})")
        self.stdout.write(f"{len(done)} anonymised.")
