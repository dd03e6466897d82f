from django import forms
from django.utils import timezone

from mentorship.forms import DateInput, validate_date_of_birth
from mentorship.models import age_on
from mentorship.once import OnceFormMixin
from programs.applicants import BULK_MOVES
from programs.models import (
    ENROLLMENT_TRANSITIONS,
    Enrollment,
    EnrollmentStatus,
    HeardAbout,
    Partner,
    ProgramStatus,
)
from programs.rules import age_problem

DATE_INPUT = DateInput()


class AreaChoiceField(forms.ChoiceField):
    """One of the program's areas, or "Prefer not to say" (empty)."""

    def __init__(self, *, program, **kwargs):
        kwargs.setdefault("label", "Which area are you in? (optional)")
        kwargs.setdefault(
            "help_text",
            "Matching uses it to find someone near you. Your match partner sees only the area's name, "
            "never your address.",
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
    # Nothing preselected: a first answer given for them would skew the "heard via" figures.
    heard_about = forms.ChoiceField(
        label="How did you hear about the program?",
        choices=[("", "Choose one…"), *HeardAbout.choices],
        error_messages={"required": "Choose how you heard about the program."},
    )
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
        self._partner_field(program)

    def _partner_field(self, program):
        """The program's current partners, right after "how did you hear": read only when the answer
        is "A partner organisation" (no script needed: the select is always there)."""
        offered = Partner.objects.filter(program=program, archived_at__isnull=True).order_by("name", "pk")
        if not offered.exists():
            return
        self.fields["partner"] = forms.ModelChoiceField(
            label="Which partner organisation?",
            queryset=offered,
            required=False,
            empty_label="Not listed, or not a partner",
            help_text="Only if you chose “A partner organisation” above. Not in the list? Leave this "
            "empty and name it in the box below.",
        )
        names = [name for name in self.fields if name != "partner"]
        names.insert(names.index("heard_about") + 1, "partner")
        self.order_fields(names)

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
        if data.get("heard_about") != HeardAbout.PARTNER:
            data["partner"] = None  # a partner picked, then another answer chosen: not a partner's
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
    # The applicant page has several forms with a "note": each has its own prefix, so that every
    # label points at its own field.
    prefix = "decision"
    # Nothing preselected: a click on the button must never wait-list or decline by default.
    status = forms.ChoiceField(
        label="New status", choices=[], error_messages={"required": "Choose the decision to make."}
    )
    note = forms.CharField(
        label="Note to the applicant (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The applicant reads it: it is included in the email about the decision. For a note "
        "only coordinators see, use “Private notes” below.",
    )

    def __init__(self, *args, enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = [s for s in ENROLLMENT_TRANSITIONS[enrollment.status] if s != EnrollmentStatus.WITHDRAWN]
        self.has_moves = bool(allowed)
        self.fields["status"].choices = [("", "Choose a decision…")] + [
            (s.value, s.label) for s in EnrollmentStatus if s in allowed
        ]


class ScreeningForm(forms.Form):
    prefix = "screening"
    item = forms.ModelChoiceField(queryset=None, label="Checklist item")
    completed_on = forms.DateField(label="Completed on", widget=DATE_INPUT)
    expires_on = forms.DateField(
        label="Expires on", required=False, widget=DATE_INPUT, help_text="Empty: from the item's validity."
    )
    note = forms.CharField(label="Note on this item", required=False, max_length=300)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = program.checklist_items.current()


class CapacityForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ["capacity"]


class ApplicantNoteForm(OnceFormMixin):
    prefix = "private"
    text = forms.CharField(
        label="Private note",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the program's coordinators and staff see it: never the applicant, and it is "
        "never emailed.",
    )


class ApplicantBulkForm(OnceFormMixin):
    """The applicant list's actions on the people ticked: a move, an email, or the export."""

    prefix = "bulk"
    ACTIONS = [*((status.value, label) for status, label in BULK_MOVES.items()), ("email", "Email"),
               ("export", "Export")]  # fmt: skip

    selected = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={"required": "Tick at least one person first."},
        widget=forms.CheckboxSelectMultiple,
    )
    action = forms.ChoiceField(choices=ACTIONS)
    subject = forms.CharField(label="Subject", max_length=150, required=False)
    body = forms.CharField(
        label="Message",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Each person gets it at their own address, starting “Hello” and their name; under-18s "
        "too, as with decisions: write nothing private.",
    )

    def __init__(self, *args, applicants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = applicants

    def clean(self):
        data = super().clean()
        if data.get("action") == "email":
            for name, words in (("subject", "a subject"), ("body", "the message")):
                if not (data.get(name) or "").strip():
                    self.add_error(name, f"Write {words} for the email.")
        return data
