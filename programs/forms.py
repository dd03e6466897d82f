from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentorship.forms import validate_date_of_birth
from mentorship.models import age_on
from programs.models import (
    CRITERIA,
    ENROLLMENT_TRANSITIONS,
    Enrollment,
    EnrollmentStatus,
    HeardAbout,
    Program,
    ProgramStatus,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class ProgramForm(forms.ModelForm):
    """Settings a coordinator edits. Status, coordinators and slug have their own actions."""

    class Meta:
        model = Program
        fields = [
            "name",
            "description",
            "audience",
            "format",
            "is_rolling",
            "start_date",
            "end_date",
            "checkin_cadence_days",
            "min_commitment_months",
            "default_mentor_capacity",
            "satisfaction_survey_days",
            "matching_mode",
            "auto_suggestions",
            "min_score",
            "max_distance_km",
        ]
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weights = (self.instance.criteria_weights if self.instance.pk else None) or {}
        for criterion in CRITERIA:
            self.fields[f"weight_{criterion}"] = forms.IntegerField(
                label=f"Weight: {criterion}",
                min_value=0,
                max_value=10,
                initial=weights.get(
                    criterion, Program._meta.get_field("criteria_weights").default()[criterion]
                ),
                help_text="0 ignores it; 10 counts most.",
            )

    FIELDSETS = [
        ("The program", ["name", "description", "audience", "format"]),
        (
            "Dates and commitment",
            [
                "is_rolling",
                "start_date",
                "end_date",
                "checkin_cadence_days",
                "min_commitment_months",
                "default_mentor_capacity",
                "satisfaction_survey_days",
            ],
        ),
        ("Matching", ["matching_mode", "auto_suggestions", "min_score", "max_distance_km"]),
        ("Matching criteria weights", [f"weight_{c}" for c in CRITERIA]),
    ]

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean(self):
        data = super().clean()
        if data.get("is_rolling"):
            data["start_date"] = data["end_date"] = None
        elif not data.get("start_date"):
            self.add_error(
                "start_date", "A program with fixed dates needs a start date (or make it rolling)."
            )
        if all(data.get(f"weight_{c}") == 0 for c in CRITERIA if f"weight_{c}" in data):
            raise ValidationError("At least one matching criterion needs a weight above 0.")
        return data

    def criteria_weights(self):
        return {c: self.cleaned_data[f"weight_{c}"] for c in CRITERIA}

    def service_fields(self):
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["criteria_weights"] = self.criteria_weights()
        return fields


class ProgramStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ProgramStatus.choices)


class CoordinatorForm(forms.Form):
    email = forms.EmailField(label="Email of the co-coordinator")


class ChecklistItemForm(forms.Form):
    name = forms.CharField(max_length=80, label="Checklist item")
    valid_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Valid for (days)",
        help_text="Empty: never expires.",
    )


class QuestionForm(forms.Form):
    text = forms.CharField(max_length=300, label="Question")
    required = forms.BooleanField(required=False, label="An answer is required")


class ApplicationForm(forms.Form):
    """An application: the program's questions, a motivation, how they heard; mentee minors add a
    guardian; mentors may say how many mentees they can take."""

    motivation = forms.CharField(
        label="Why do you want to take part?", widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    heard_about = forms.ChoiceField(label="How did you hear about the program?", choices=HeardAbout.choices)
    heard_about_detail = forms.CharField(label="Anything to add (optional)", required=False, max_length=200)

    def __init__(self, *args, program, role, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.program, self.role, self.profile = program, role, profile
        for question in program.questions.all():
            self.fields[f"q_{question.pk}"] = forms.CharField(
                label=question.text,
                required=question.required,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=3000,
            )
        if role == "mentee" and profile.date_of_birth is None and program.audience != "adult":
            self.fields["date_of_birth"] = forms.DateField(
                label="Your date of birth",
                widget=DATE_INPUT,
                help_text="Used only for screening rules; never shown to a match partner.",
            )
        if role == "mentee" and program.audience != "adult":
            self.fields["guardian_name"] = forms.CharField(
                label="Parent or guardian's name", required=False, max_length=120
            )
            self.fields["guardian_email"] = forms.EmailField(
                label="Parent or guardian's email",
                required=False,
                help_text="Needed if you are under 18: we email them to ask for their consent.",
            )
        if role == "mentor":
            self.fields["capacity"] = forms.IntegerField(
                label="How many mentees could you take on?",
                min_value=1,
                max_value=10,
                initial=program.default_mentor_capacity,
            )

    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith("q_")]

    def answers(self):
        return {int(name[2:]): value for name, value in self.cleaned_data.items() if name.startswith("q_")}

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        validate_date_of_birth(value)  # the profile's rule: not in the future, not over 110
        return value

    def clean(self):
        data = super().clean()
        if "guardian_email" in self.fields:
            dob = data.get("date_of_birth") or self.profile.date_of_birth
            age = age_on(dob, timezone.localdate()) if dob else None
            if (
                age is not None
                and age < 18
                and not (data.get("guardian_name") and data.get("guardian_email"))
            ):
                self.add_error(
                    "guardian_email", "As you are under 18, we need a parent or guardian's name and email."
                )
        return data


class GuardianForm(forms.Form):
    guardian_name = forms.CharField(label="Parent or guardian's name", max_length=120)
    guardian_email = forms.EmailField(label="Parent or guardian's email")


class ConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        label="Do you give your consent?",
        choices=[("yes", "Yes, I consent"), ("no", "No, I do not consent")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="New status", choices=[])
    note = forms.CharField(label="Note (optional; included in the email)", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [s for s in ENROLLMENT_TRANSITIONS[enrollment.status] if s != EnrollmentStatus.WITHDRAWN]
        self.fields["status"].choices = [(s.value, s.label) for s in EnrollmentStatus if s in allowed]


class ScreeningForm(forms.Form):
    item = forms.ModelChoiceField(queryset=None, label="Checklist item")
    completed_on = forms.DateField(label="Completed on", widget=DATE_INPUT)
    expires_on = forms.DateField(
        label="Expires on", required=False, widget=DATE_INPUT, help_text="Empty: from the item's validity."
    )
    note = forms.CharField(label="Note", required=False, max_length=300)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = program.checklist_items.all()


class CapacityForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["capacity"]
