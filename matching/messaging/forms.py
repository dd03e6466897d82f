"""The message box and the report form."""

from django import forms

from matching.models import ConcernUrgency
from matching.models.conversations import MESSAGE_MAX_LENGTH
from mentorship.once import OnceFormMixin


class MessageForm(OnceFormMixin, forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=f"Up to {MESSAGE_MAX_LENGTH} characters.",
        error_messages={
            "required": "Write a message first.",
            "max_length": f"A message can be {MESSAGE_MAX_LENGTH} characters at most; this one has "
            "%(show_value)d. Shorten it, or send it in two parts.",
        },
    )


class ReportForm(OnceFormMixin, forms.Form):
    what_worries = forms.CharField(
        label="What worries you about this message?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only the program's safeguarding leads read it, with the message. Up to 5000 characters.",
        error_messages={"required": "Say what worries you, in a few words."},
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=ConcernUrgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how urgent it is."},
    )
