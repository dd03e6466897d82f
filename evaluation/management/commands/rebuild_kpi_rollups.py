from django.core.management.base import BaseCommand, CommandError

from evaluation.rollups import rollups_rebuild


class Command(BaseCommand):
    help = (
        "Recount the KPI rollups of check-ins (per program and day, per match and cadence period) from "
        "the check-ins themselves. Database triggers keep them; this is for data restored with triggers "
        "off, and for checking. Safe to run at any time: check-in writes wait for it (a few seconds)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare with a recount and change nothing; exit with an error if they differ.",
        )

    def handle(self, *args, check, **options):
        drift = rollups_rebuild(dry_run=check)
        summary = f"{drift.days} day rows and {drift.periods} period rows differed from a recount"
        if check and not drift.clean:
            raise CommandError(f"{summary}. Run manage.py rebuild_kpi_rollups to recount them.")
        self.stdout.write(f"{summary}; " + ("nothing changed." if check else "both rollups recounted."))
