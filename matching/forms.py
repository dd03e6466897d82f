from django import forms

from matching.models import ClosureReason
from programs.models import Enrollment, Role


class AcceptAboveForm(forms.Form):
    min_score = forms.IntegerField(
        label="Accept every suggestion scoring at least", min_value=0, max_value=100, initial=70
    )


class ManualMatchForm(forms.Form):
    mentee = forms.ModelChoiceField(queryset=Enrollment.objects.none(), label="Mentee")
    mentor = forms.ModelChoiceField(queryset=Enrollment.objects.none(), label="Mentor")

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
