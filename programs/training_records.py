"""The one way a training becomes completed for a person, however it was done: online (the last page
read and the quiz passed), in person (present when attendance was taken) or elsewhere (recorded by
a coordinator). Completion sets the expiry from the training's validity, the hours it counts for,
and writes the audit trail. Authoring is in programs/trainings.py, taking a training in
programs/training_progress.py; both call here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship.services import audit_record
from programs.models import CompletedBy, Role, TrainingFor, TrainingRecord


def training_check_audience(training, enrollment):
    """Refuse a record of ``training`` on an enrollment it is not for: a mentor's training on a
    mentor, a mentee's on a mentee, a guardian's on a mentee (the guardian's child)."""
    if training.program_id != enrollment.program_id:
        raise ValidationError("That training belongs to another program.")
    expected = Role.MENTEE if training.audience == TrainingFor.GUARDIAN else training.audience
    if enrollment.role != expected:
        raise ValidationError(f"“{training.title}” is for {training.get_audience_display().lower()}.")


def training_record_for(training, enrollment, *, lock=False):
    """The person's record of ``training``, made on first use (started now)."""
    training_check_audience(training, enrollment)
    record, _ = TrainingRecord.objects.get_or_create(training=training, enrollment=enrollment)
    if lock:
        record = TrainingRecord.objects.select_for_update().get(pk=record.pk)
    return record


@transaction.atomic
def training_complete(
    *, training, enrollment, how, completed_on=None, by=None, score=None, hours=None, note=""
):
    """Record ``training`` as completed for ``enrollment`` (``how``: a CompletedBy). Renews an
    earlier completion (a refresher taken again). ``by``: the coordinator who recorded it, or None
    when the person (or their guardian) completed it themselves."""
    today = timezone.localdate()
    completed_on = completed_on or today
    if completed_on > today:
        raise ValidationError("The date it was completed cannot be in the future.")
    if how not in CompletedBy.values:
        raise ValidationError("Say how the training was done.")
    record = training_record_for(training, enrollment, lock=True)
    record.completed_on = completed_on
    record.expires_on = training.expiry_for(completed_on)
    record.completed_by = how
    record.score = score
    record.hours = training.hours if hours is None else hours
    record.recorded_by = by
    record.note = note[:300]
    if training.is_online and how == CompletedBy.ONLINE:
        record.pages_read = training.pages.count()
    record.save()
    summary = f"{training.title} ({CompletedBy(how).label.lower()})"
    audit_record(actor=by, action="training.completed", target=enrollment, summary=summary)
    return record
