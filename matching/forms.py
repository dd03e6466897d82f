import django_filters
from django import forms

from matching.models import ClosureReason, Concern, ConcernStatus, ConcernUrgency
from mentorship.fast_choices import PeopleSelect
from mentorship.once import OnceFormMixin
from programs.models import Enrollment, Role


class AcceptAboveForm(forms.Form):
    min_score = forms.IntegerField(
        label="Accept every suggestion scoring at least", min_value=0, max_value=100, initial=70
    )


class ManualMatchForm(forms.Form):
    # Every approved mentee and mentor of the program: thousands at city scale (mentorship/fast_choices.py).
    mentee = forms.ModelChoiceField(queryset=Enrollment.objects.none(), label="Mentee", widget=PeopleSelect)
    mentor = forms.ModelChoiceField(queryset=Enrollment.objects.none(), label="Mentor", widget=PeopleSelect)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        approved = (
            program.enrollments.filter(status="approved")
            .select_related("user__profile")
            .order_by("user__profile__display_name", "pk")
        )
        self.fields["mentee"].queryset = approved.filter(role=Role.MENTEE)
        self.fields["mentor"].queryset = approved.filter(role=Role.MENTOR)
        self.fields["mentee"].label_from_instance = self.fields["mentor"].label_from_instance = lambda e: (
            e.user.display_name
        )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label="Why is the match closing?", choices=ClosureReason.choices)
    anticipated = forms.TypedChoiceField(
        label="Was the closure planned (for example, the agreed time is over)?",
        choices=[("yes", "Yes, planned"), ("no", "No, unexpected")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    rematch_eligible = forms.TypedChoiceField(
        label="Can the mentee be matched again?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    notes = forms.CharField(
        label="Notes (coordinators only)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequestForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=Enrollment.objects.none(), widget=forms.HiddenInput)
    message = forms.CharField(label="A short message (optional)", required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Enrollment.objects.filter(pk__in=[m.pk for m in mentors])


# --- Safeguarding concerns ------------------------------------------------------------------------


class ConcernForm(OnceFormMixin, forms.Form):
    what_happened = forms.CharField(
        label="What happened?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you saw, heard or were told; when and where; who was involved. "
        "Only the program's safeguarding leads read it. Up to 5000 characters.",
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?", choices=ConcernUrgency.choices, widget=forms.RadioSelect
    )


# The button for each triage step, by the status it moves the concern to.
CONCERN_STEP_LABELS = {
    ConcernStatus.ACKNOWLEDGED: "Acknowledge",
    ConcernStatus.RESOLVED: "Mark resolved",
    ConcernStatus.ESCALATED: "Escalate",
}


class ConcernMoveForm(forms.Form):
    """A triage step: the button pressed says where to (the service checks it is allowed)."""

    to_status = forms.ChoiceField(
        choices=ConcernStatus.choices,
        error_messages={"required": "Choose a step.", "invalid_choice": "Choose one of the steps offered."},
    )
    note = forms.CharField(
        label="Note with this step (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The status the lead saw: a step is taken from there, not from whatever another lead did since.
    seen = forms.ChoiceField(choices=ConcernStatus.choices, widget=forms.HiddenInput)

    def __init__(self, *args, concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.fields["seen"].initial = concern.status
        self.steps = [(s.value, CONCERN_STEP_LABELS[s]) for s in ConcernStatus if concern.can_become(s)]

    def clean(self):
        seen = self.cleaned_data.get("seen")
        if seen and seen != self.concern.status:
            raise forms.ValidationError(
                f"Another lead changed this concern meanwhile: it is now "
                f"{self.concern.get_status_display().lower()}. Check the notes below before taking a step."
            )
        return self.cleaned_data


class ConcernNoteForm(OnceFormMixin, forms.Form):
    text = forms.CharField(label="Note", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ConcernFilter(django_filters.FilterSet):
    """The leads' list of a program's concerns (the queryset comes from the view, newest first)."""

    status = django_filters.ChoiceFilter(choices=ConcernStatus.choices, empty_label="Any status")

    class Meta:
        model = Concern
        fields = ["status"]
