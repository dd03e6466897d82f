from django.core.management.base import BaseCommand

from evaluation import meeting_reminders, reminders
from evaluation.digests import coordinator_digests_preview, coordinator_digests_send
from evaluation.todo import todo_summary
from programs.limited import limited_first_name


def _n(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Send the check-in reminders that are due now (what the hourly task does), or with --digests "
        "the coordinators' daily digests. Safe to run any number of times: each goes out once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be sent (no addresses); change nothing."
        )
        parser.add_argument(
            "--digests", action="store_true", help="The coordinators' daily digests instead of reminders."
        )

    def handle(self, *args, dry_run, digests, **options):
        if digests:
            self._digests(dry_run)
        elif dry_run:
            self._preview()
        else:
            report = reminders.reminders_sweep()
            sent = report.sent
            self.stdout.write(
                f"Recorded {report.recorded['due']} due and {report.recorded['overdue']} overdue reminders"
                + (
                    f", and {_n(report.meetings_recorded, 'meeting reminder')}"
                    if report.meetings_recorded
                    else ""
                )
                + " (new rows; each is sent once)."
            )
            skipped = ", ".join(f"{count} because {reason}" for reason, count in sorted(sent.skipped.items()))
            self.stdout.write(
                f"Handled {_n(sent.reminders, 'reminder')}: {_n(sent.emails, 'email')} queued, "
                f"{sent.opted_out} with reminders off, {sum(sent.skipped.values())} no longer needed"
                + (f" ({skipped})." if skipped else ".")
            )

    def _preview(self):
        # Pair ids and first names only: this output ends up in terminals and logs.
        deliveries = reminders.reminders_preview()
        emails = 0
        for delivery in deliveries:
            line = f"pair {delivery.pair.match_id}: {delivery.kind}, period from {delivery.period_start}: "
            if delivery.skipped:
                line += f"nobody ({delivery.skipped})"
            else:
                names = [person.name for person, _ in delivery.to]
                names += [f"not {person.name} (reminders off)" for person in delivery.opted_out]
                line += ", ".join(names)
            emails += len(delivery.to)
            self.stdout.write(line)
        for delivery in meeting_reminders.meeting_reminders_preview():
            line = f"pair {delivery.meeting.match_id}: meeting at {delivery.starts_at:%Y-%m-%d %H:%M}: "
            if delivery.skipped:
                line += f"nobody ({delivery.skipped})"
            else:
                names = [limited_first_name(side) for _, side, _ in delivery.to]
                names += [
                    f"not {limited_first_name(side)} (reminders off)" for _, side, _ in delivery.opted_out
                ]
                line += ", ".join(names)
            deliveries.append(delivery)
            emails += len(delivery.to)
            self.stdout.write(line)
        self.stdout.write(
            f"Dry run: {_n(len(deliveries), 'reminder')}, {_n(emails, 'email')} would be sent. "
            "Nothing changed."
        )

    def _digests(self, dry_run):
        if not dry_run:
            report = coordinator_digests_send()
            self.stdout.write(
                f"Sent {_n(report.sent, 'digest')}; "
                f"{report.nothing_to_say} coordinators had nothing to report."
            )
            return
        previews = coordinator_digests_preview()
        for coordinator, sections in previews:
            name = reminders.first_name(coordinator)
            self.stdout.write(f"coordinator {coordinator.pk} ({name}): {todo_summary(sections)}")
        self.stdout.write(f"Dry run: {_n(len(previews), 'digest')} would be sent. Nothing changed.")
