"""Forms of a pair's journal. Each lists its fields explicitly: the match, the author and the
respondent come from the URL and the request, never from what is posted."""

from django import forms
from django.utils import timezone

from evaluation.models import CheckInMode, ContactMethod, GoalStatus, SurveyKind
from evaluation.services import FOLLOW_UPS, RATED_SURVEYS, SELF_ASSESSMENTS
from mentorship.forms import DateInput
from mentorship.once import OnceFormMixin

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value):
    return value == "yes"


def _date_field(label):
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=DateInput(),
    )


def _scale_field(label, *, low=1, high=5, low_text="", high_text="", required=True):
    def text(n):
        if n == low and low_text:
            return f"{n}: {low_text}"
        if n == high and high_text:
            return f"{n}: {high_text}"
        return str(n)

    return forms.TypedChoiceField(
        label=label,
        choices=[(n, text(n)) for n in range(low, high + 1)],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose a number from {low} to {high}."},
    )


def _notes_field(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInForm(OnceFormMixin, forms.Form):
    occurred_on = _date_field("Date")
    held = forms.TypedChoiceField(
        label="Did the meeting take place?",
        choices=[("yes", "Yes, we met"), ("no", "No, it was missed")],
        coerce=_yes_no,
        initial="yes",
        widget=forms.RadioSelect,
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)",
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text="Only if you met.",
    )
    mode = forms.ChoiceField(
        label="How did you meet?",
        choices=CheckInMode.choices,
        initial=CheckInMode.IN_PERSON,
        widget=forms.RadioSelect,
    )
    rating = _scale_field("How did it go?", low_text="not well", high_text="very well", required=False)
    notes = _notes_field("Short notes", "Seen by your partner and your coordinator.")


class StaffContactForm(OnceFormMixin, forms.Form):
    contacted_on = _date_field("Date of the contact")
    method = forms.ChoiceField(
        label="How were they contacted?",
        choices=ContactMethod.choices,
        initial=ContactMethod.PHONE,
        widget=forms.RadioSelect,
    )
    notes = _notes_field("Notes", "Seen by the program's coordinators only.")


class GoalForm(OnceFormMixin, forms.Form):
    title = forms.CharField(
        label="Goal", max_length=200, help_text="For example: “Apply for two apprenticeships”."
    )
    target_date = forms.DateField(
        label="Target date (optional)",
        required=False,
        widget=DateInput(),
    )


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(label="Status", choices=GoalStatus.choices, widget=forms.RadioSelect)
    note = _notes_field("Add a progress note (optional)", "Seen by the pair and the coordinator.")


# --- Surveys ------------------------------------------------------------------------------------

SURVEY_INTROS = {
    SurveyKind.PAIRING_FIT: "You have had your first meeting: two short questions about the pairing.",
    SurveyKind.SATISFACTION: "A quick check on how your mentoring is going.",
    SurveyKind.EXIT: "Your match has closed. Your answers help the program do better for the next pairs.",
    SurveyKind.SELF_START: "Where you are now, at the start. You will be asked the same at the end, "
    "so that you can see how far you have come.",
    SurveyKind.SELF_END: "Where you are now, at the end of your match: the same questions as at the start.",
    SurveyKind.FOLLOW_UP_3: "It has been a few months since your match ended. How are things?",
    SurveyKind.FOLLOW_UP_12: "It has been a year since your match ended. How are things?",
}
RATING_QUESTIONS = {
    SurveyKind.PAIRING_FIT: ("How well does this pairing fit?", "not at all", "very well"),
    SurveyKind.SATISFACTION: ("How satisfied are you with your mentoring?", "not at all", "very satisfied"),
    SurveyKind.EXIT: ("Overall, how satisfied are you with your match?", "not at all", "very satisfied"),
}
TEXT_QUESTIONS = {
    SurveyKind.PAIRING_FIT: "Anything you would like your coordinator to know? (optional)",
    SurveyKind.SATISFACTION: "What is going well, and what could be better? (optional)",
    SurveyKind.EXIT: "What worked, and what would you change? (optional)",
}


class SurveyForm(forms.Form):
    """The questions of one built-in survey. ``skills`` are the self-assessment's goal names."""

    def __init__(self, *args, kind, skills=(), partner_role="partner", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.skills = list(skills)
        if kind in RATED_SURVEYS:
            question, low, high = RATING_QUESTIONS[kind]
            self.fields["rating"] = _scale_field(question, low_text=low, high_text=high)
            if kind == SurveyKind.EXIT:
                self.fields["nps"] = _scale_field(
                    "How likely are you to recommend this program to a friend?",
                    low=0,
                    high=10,
                    low_text="not at all likely",
                    high_text="extremely likely",
                )
            self.fields["text"] = forms.CharField(
                label=TEXT_QUESTIONS[kind],
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        elif kind in SELF_ASSESSMENTS:
            self.fields["confidence"] = _scale_field(
                "How confident do you feel about your next steps?", low_text="not at all", high_text="very"
            )
            for index, name in enumerate(self.skills):
                self.fields[f"skill_{index}"] = _scale_field(
                    f"{name}: how are you doing?", low_text="just starting", high_text="confident"
                )
        elif kind in FOLLOW_UPS:
            self.fields["where_now"] = forms.CharField(
                label="Where are you now?",
                max_length=1000,
                help_text="For example: studying, working, an apprenticeship, looking for work.",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields["still_in_touch"] = forms.TypedChoiceField(
                label=f"Are you still in touch with your {partner_role}?",
                choices=YES_NO,
                coerce=_yes_no,
                widget=forms.RadioSelect,
            )
            self.fields["would_mentor"] = forms.TypedChoiceField(
                label="Would you mentor someone yourself?",
                choices=YES_NO,
                coerce=_yes_no,
                widget=forms.RadioSelect,
            )

    def answer(self):
        """The service's keyword arguments for the cleaned answer."""
        data = self.cleaned_data
        if self.kind in RATED_SURVEYS:
            return {"rating": data["rating"], "nps": data.get("nps"), "text": data["text"]}
        if self.kind in SELF_ASSESSMENTS:
            skills = {name: data[f"skill_{index}"] for index, name in enumerate(self.skills)}
            return {"answers": {"confidence": data["confidence"], "skills": skills}}
        return {
            "answers": {
                "where_now": data["where_now"],
                "still_in_touch": data["still_in_touch"],
                "would_mentor": data["would_mentor"],
            }
        }


class EraseForm(forms.Form):
    """Erasure on request cannot be undone: staff type the person's email address to confirm."""

    confirm_email = forms.CharField(
        label="Type the person's email address to confirm",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_email(self):
        typed = self.cleaned_data["confirm_email"].strip()
        if typed.lower() != self.person.email.lower():
            raise forms.ValidationError("That is not this person's email address.")
        return typed
