"""The events' forms: an event (coordinators), attendance (a phone in the room), feedback (from the
emailed link)."""

import datetime as dt

from django import forms
from django.utils import timezone

from mentorship.forms import DateInput
from programs.event_access import audience_programs_for
from programs.models import Event, EventFeedback

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class EventForm(forms.ModelForm):
    date = forms.DateField(label="Date", widget=DateInput())
    start = forms.TimeField(label="Starts at", widget=TIME_INPUT)
    programs = forms.ModelMultipleChoiceField(
        label="For the people of",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Their approved participants can come. Choose “open to the public” to let anyone signed in "
            "come too."
        ),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "description",
            "duration_minutes",
            "place",
            "link",
            "capacity",
            "is_public",
        ]
        labels = {"duration_minutes": "Length (minutes)", "capacity": "Places"}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    field_order = ["title", "kind", "date", "start", "duration_minutes", "place", "link", "capacity",
                   "description", "programs", "is_public"]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = audience_programs_for(user)
        self.fields["programs"].queryset = choices
        event = self.instance
        if event.pk:
            local = timezone.localtime(event.starts_at)
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("start", local.time().replace(second=0, microsecond=0))
            self.initial.setdefault("programs", [p.pk for p in event.programs.all() if p in choices])

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start"):
            # The program's local time (settings.TIME_ZONE), as every date on the site.
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(data["date"], data["start"]))
        if not data.get("place") and not data.get("link") and not self.errors:
            self.add_error("place", "Say where it happens, or give the online link.")
        return data

    def _post_clean(self):
        # The service validates the event (full_clean) once starts_at is known.
        pass

    def service_fields(self):
        data = self.cleaned_data
        names = ("title", "kind", "description", "starts_at", "duration_minutes", "place", "link",
                 "capacity", "is_public", "programs")  # fmt: skip
        return {name: data[name] for name in names}


class EventAttendanceForm(forms.Form):
    """One "came" checkbox per person going: ticked or not, sent at once."""

    def __init__(self, *args, rsvps, **kwargs):
        super().__init__(*args, **kwargs)
        self.rsvps = list(rsvps)
        for answer in self.rsvps:
            self.fields[f"came_{answer.pk}"] = forms.BooleanField(
                label=answer.user.display_name, required=False, initial=bool(answer.attended)
            )

    def rows(self):
        return [(answer, self[f"came_{answer.pk}"]) for answer in self.rsvps]

    def present(self):
        """{rsvp pk: True or False} for programs.events.attendance_take."""
        return {answer.pk: self.cleaned_data[f"came_{answer.pk}"] for answer in self.rsvps}


RATINGS = [(5, "5: excellent"), (4, "4: good"), (3, "3: all right"), (2, "2: not great"), (1, "1: poor")]


class EventFeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label="How was it?", choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )

    class Meta:
        model = EventFeedback
        fields = ["rating", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
