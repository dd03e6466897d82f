"""The forms of the stories' pages (evaluation/views/stories.py)."""

from django import forms

from evaluation.models import StoryConsent
from evaluation.stories import CONSENT_HELP
from mentorship.once import OnceFormMixin

TEXT_MAX = 4000


def _consent_choices(minor):
    extra = " A parent or guardian must agree too: we email them the story to read first." if minor else ""
    return [
        (value, f"{label}. {CONSENT_HELP[value]}{extra if value != StoryConsent.NOT_SHARED else ''}")
        for value, label in StoryConsent.choices
    ]


class StoryForm(forms.Form):
    """A participant's story and their consent. ``minor``: the guardian's agreement is said too."""

    title = forms.CharField(label="Title (optional)", max_length=120, required=False)
    text = forms.CharField(
        label="Your story",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What changed for you? A moment you remember? Up to 4,000 characters. "
        "Please leave out other people's names and anything that could identify someone else.",
    )
    consent = forms.ChoiceField(
        label="May we share it?",
        widget=forms.RadioSelect,
        help_text="You can change this, or withdraw your story completely, at any time from My stories: "
        "it is then removed from the public page and from the reports to funders.",
    )

    def __init__(self, *args, minor=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].choices = _consent_choices(minor)


class NewStoryForm(OnceFormMixin, StoryForm):
    """A new story: sent once however often the button is pressed (mentorship.once)."""


class ProposeEditForm(forms.Form):
    text = forms.CharField(
        label="Shorter version",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The author is emailed and approves or declines it; only an approved version is published.",
    )


class GuardianAnswerForm(forms.Form):
    agree = forms.TypedChoiceField(
        label="Do you agree to this story being published as described?",
        choices=[("yes", "Yes, I agree"), ("no", "No, I do not agree")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
