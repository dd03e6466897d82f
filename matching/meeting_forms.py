"""The forms of a pair's meetings: propose (or move) one, decline or cancel one with a reason."""

import datetime as dt

from django import forms
from django.utils import timezone

from matching.meetings import MAX_MINUTES, MIN_MINUTES, NOTE_LIMIT, PLACE_LIMIT, REASON_LIMIT
from matching.models import MeetingMode
from mentorship.forms import DateInput
from mentorship.once import OnceFormMixin


def starts_at_of(data):
    """The aware start of a planned meeting or session from a form's "date" and "time", in the
    program's local time (settings.TIME_ZONE, as every date on the site); None until both are
    valid."""
    day, start = data.get("date"), data.get("time")
    if day and start:
        return timezone.make_aware(dt.datetime.combine(day, start))
    return data.get("starts_at")


class PlannedTimeMixin:
    """A form planning a meeting or a session: its "date" and "time" read as one start
    (``starts_at_of``), and its free-text field (``private_field``) said to stay on the site when
    ``private`` (a youth program's emails leave it out)."""

    private_field = ""

    def __init__(self, *args, private=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.private_field].help_text = (
            "Shown on the site only, not in emails." if private else "Shown on the site and in the email."
        )

    def clean(self):
        data = super().clean()
        data["starts_at"] = starts_at_of(data)
        return data


class MeetingForm(PlannedTimeMixin, OnceFormMixin, forms.Form):
    date = forms.DateField(label="Date", widget=DateInput())
    time = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label="Length (minutes)",
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=60,
        widget=forms.NumberInput(attrs={"step": 15}),
    )
    mode = forms.ChoiceField(
        label="How will you meet?",
        choices=MeetingMode.choices,
        initial=MeetingMode.IN_PERSON,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label="Place or video link",
        required=False,
        max_length=PLACE_LIMIT,
        help_text="A public place (a library, a café), or the https:// link of the video call.",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    private_field = "note"

    def meeting_fields(self):
        """What the services take."""
        data = self.cleaned_data
        return {key: data[key] for key in ("starts_at", "duration_minutes", "mode", "place", "note")}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def initial_from(meeting=None, start=None):
    """The form's first values: a meeting's (to move it) or a suggested start (``?start=``)."""
    initial = {}
    if meeting is not None:
        local = timezone.localtime(meeting.starts_at)
        initial = {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "mode": meeting.mode,
            "place": meeting.place,
            "note": meeting.note,
        }
    if start:
        try:
            moment = dt.datetime.fromisoformat(start)
        except ValueError:
            return initial
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        initial.update(date=moment.date(), time=moment.time().replace(second=0, microsecond=0))
    return initial
