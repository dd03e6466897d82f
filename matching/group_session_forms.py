"""The forms of a group's page (matching/views/groups.py, group_sessions.py): plan or change a
session, take attendance (a phone's page), rate a session, add a shared goal."""

from django import forms
from django.utils import timezone

from matching.group_sessions import (
    AGENDA_LIMIT,
    FEEDBACK_LIMIT,
    GOAL_LIMIT,
    LINK_LIMIT,
    NOTES_LIMIT,
    PLACE_LIMIT,
)
from matching.meeting_forms import PlannedTimeMixin
from matching.meetings import MAX_MINUTES, MIN_MINUTES
from mentorship.forms import DateInput
from mentorship.once import OnceFormMixin


class SessionForm(PlannedTimeMixin, OnceFormMixin, forms.Form):
    date = forms.DateField(label="Date", widget=DateInput())
    time = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        label="Length (minutes)",
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=90,
        widget=forms.NumberInput(attrs={"step": 15}),
    )
    place = forms.CharField(
        label="Place",
        required=False,
        max_length=PLACE_LIMIT,
        help_text="A public place: a library, a school room.",
    )
    link = forms.CharField(
        label="Online link",
        required=False,
        max_length=LINK_LIMIT,
        help_text="The https:// link of the video call, if the group meets online.",
    )
    agenda = forms.CharField(
        label="Agenda", required=False, max_length=AGENDA_LIMIT, widget=forms.Textarea(attrs={"rows": 4})
    )

    private_field = "agenda"

    def session_fields(self):
        data = self.cleaned_data
        return {key: data[key] for key in ("starts_at", "duration_minutes", "place", "link", "agenda")}


def session_initial(session):
    local = timezone.localtime(session.starts_at)
    return {
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": session.duration_minutes,
        "place": session.place,
        "link": session.link,
        "agenda": session.agenda,
    }


HELD_CHOICES = [("yes", "Yes, it was held"), ("no", "No, it did not happen")]


class AttendanceForm(forms.Form):
    """One checkbox per current member (``present_<enrollment id>``), held yes/no, notes."""

    held = forms.ChoiceField(label="Was the session held?", choices=HELD_CHOICES, widget=forms.RadioSelect)
    notes = forms.CharField(
        label="How it went (the session's check-in)",
        required=False,
        max_length=NOTES_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"present_{member.enrollment_id}"] = forms.BooleanField(
                required=False, initial=bool(member.present)
            )

    def member_rows(self):
        """(membership, bound checkbox) per member, for the template."""
        return [(m, self[f"present_{m.enrollment_id}"]) for m in self.members]

    def present_ids(self):
        return [m.enrollment_id for m in self.members if self.cleaned_data.get(f"present_{m.enrollment_id}")]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How was it? (1 = not good, 5 = very good)",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Anything to add? (optional)",
        required=False,
        max_length=FEEDBACK_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GoalForm(OnceFormMixin, forms.Form):
    title = forms.CharField(label="Goal", max_length=GOAL_LIMIT)
    target_date = forms.DateField(label="Target date (optional)", required=False, widget=DateInput())
