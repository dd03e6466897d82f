from django.core.management.base import BaseCommand

from mentorship.models import OutboundEmail
from mentorship.services import MAX_EMAIL_ATTEMPTS, email_send_pending


class Command(BaseCommand):
    help = "Send the emails still waiting in the outbox (what the 5-minute sweep does)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be sent; send nothing.")

    def handle(self, *args, dry_run, **options):
        waiting = OutboundEmail.objects.filter(
            sent_at__isnull=True, dropped_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS
        )
        if dry_run:
            for kind, count in sorted(_by_kind(waiting).items()):
                self.stdout.write(f"{kind}: {count} waiting")
            self.stdout.write(f"{waiting.count()} emails would be sent.")
            return
        self.stdout.write(f"{email_send_pending()} emails sent.")


def _by_kind(queryset):
    counts = {}
    for kind in queryset.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return counts
