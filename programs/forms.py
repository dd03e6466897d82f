from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentorship.forms import DateInput, validate_date_of_birth
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
from programs.rules import age_problem

DATE_INPUT = DateInput()
MAX_AREAS = 50
MAX_AREA_LENGTH = 80  # Enrollment.area_name


class AreaListField(forms.CharField):
    """The program's areas, one per line, cleaned to a list: blank lines dropped, spaces tidied,
    a name given twice (in any case) kept once, in the order given."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value):
        names = {}
        for line in (super().clean(value) or "").splitlines():
            name = " ".join(line.split())
            if name:
                names.setdefault(name.casefold(), name)
        names = list(names.values())
        errors = [
            forms.ValidationError(
                "“%(start)s…” is too long: keep each area to %(max)s characters.",
                code="too_long",
                params={"start": name[:20], "max": MAX_AREA_LENGTH},
            )
            for name in names
            if len(name) > MAX_AREA_LENGTH
        ]
        if len(names) > MAX_AREAS:
            errors.append(
                forms.ValidationError(
                    "Please give at most %(max)s areas; there are %(count)s.",
                    code="too_many",
                    params={"max": MAX_AREAS, "count": len(names)},
                )
            )
        if errors:
            raise forms.ValidationError(errors)
        return names


class AreaChoiceField(forms.ChoiceField):
    """One of the program's areas, or "Prefer not to say" (empty)."""

    def __init__(self, *, program, **kwargs):
        kwargs.setdefault("label", "Which area are you in? (optional)")
        kwargs.setdefault(
            "help_text", "Your match partner sees this area's name; never your address or postcode."
        )
        choices = [("", "Prefer not to say"), *((name, name) for name in program.areas or [])]
        super().__init__(choices=choices, required=False, **kwargs)
        self.error_messages["invalid_choice"] = (
            "“%(value)s” is not one of this program's areas: choose one from the list."
        )


class EnrollmentAreaForm(forms.Form):
    """A participant changes the area they chose when applying."""

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_name"] = AreaChoiceField(program=program, label="Your area")


class ProgramForm(forms.ModelForm):
    """Settings a coordinator edits. Status, coordinators and slug have their own actions."""

    areas = AreaListField(
        label="Areas a participant can choose (one per line)",
        required=False,
        help_text=(
            "Neighbourhoods, not streets or postcodes: a match partner sees the name a person picks. "
            f"At most {MAX_AREAS}."
        ),
    )

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
            "areas",
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
        ("Areas", ["areas"]),
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
        if profile.date_of_birth is None and program.asks_date_of_birth_of(role):
            # Mentors must be adults and youth mentees may need a guardian: the age rule needs it.
            self.fields["date_of_birth"] = forms.DateField(
                label="Your date of birth",
                widget=DATE_INPUT,
                help_text="Used only for screening rules; never shown to a match partner.",
            )
        if program.asks_guardian_of(role):
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
        if program.areas:
            self.fields["area_name"] = AreaChoiceField(program=program)

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
        problem = age_problem(
            role=self.role, date_of_birth=data.get("date_of_birth") or self.profile.date_of_birth
        )
        if problem:
            field = "date_of_birth" if "date_of_birth" in self.fields else None
            self.add_error(field, problem)
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
    """The guardian's signed answer: their typed full name and relationship are the signature."""

    consent = forms.TypedChoiceField(
        label="Do you give your consent?",
        choices=[("yes", "Yes, I consent"), ("no", "No, I do not consent")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    signed_name = forms.CharField(
        label="Your full name", max_length=120, help_text="Typing your name here signs your answer."
    )
    relationship = forms.CharField(
        label="Your relationship to the young person",
        max_length=60,
        help_text="For example mother, father, legal guardian, foster carer.",
    )


class WithdrawConsentForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that the mentoring pauses at once and the coordinators are told.",
        error_messages={"required": "Tick the box to confirm that you withdraw your consent."},
    )


class LeadsForm(forms.Form):
    leads = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Safeguarding leads",
        help_text="They receive every concern at once. None ticked: every coordinator does.",
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leads"].queryset = program.coordinators.select_related("profile")
        self.fields["leads"].label_from_instance = lambda user: f"{user.display_name} ({user.email})"


class StatusForm(forms.Form):
    # Nothing preselected: a click on the button must never wait-list or decline by default.
    status = forms.ChoiceField(
        label="New status", choices=[], error_messages={"required": "Choose the decision to make."}
    )
    note = forms.CharField(label="Note (optional; included in the email)", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [s for s in ENROLLMENT_TRANSITIONS[enrollment.status] if s != EnrollmentStatus.WITHDRAWN]
        self.has_moves = bool(allowed)
        self.fields["status"].choices = [("", "Choose a decision…")] + [
            (s.value, s.label) for s in EnrollmentStatus if s in allowed
        ]


class ScreeningForm(forms.Form):
    item = forms.ModelChoiceField(queryset=None, label="Checklist item")
    completed_on = forms.DateField(label="Completed on", widget=DATE_INPUT)
    expires_on = forms.DateField(
        label="Expires on", required=False, widget=DATE_INPUT, help_text="Empty: from the item's validity."
    )
    note = forms.CharField(label="Note", required=False, max_length=300)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = program.checklist_items.current()


class CapacityForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["capacity"]
