"""The board's forms: a new topic (its title and first post), a reply, and a report."""

from django import forms

from matching.messaging.forms import ReportForm as MessageReportForm
from matching.models.boards import POST_MAX_LENGTH
from mentorship.once import OnceFormMixin

TITLE_MAX_LENGTH = 200


def _body_field(label):
    return forms.CharField(
        label=label,
        max_length=POST_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": POST_MAX_LENGTH}),
        help_text=f"Up to {POST_MAX_LENGTH} characters. Everyone on this board reads it.",
        error_messages={
            "required": "Write something first.",
            "max_length": f"A post can be {POST_MAX_LENGTH} characters at most; this one has "
            "%(show_value)d. Shorten it, or post it in two parts.",
        },
    )


class TopicForm(OnceFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        strip=True,
        help_text="What it is about, in a few words.",
        error_messages={"required": "Give the topic a title."},
    )
    body = _body_field("Your first post")


class ReplyForm(OnceFormMixin, forms.Form):
    body = _body_field("Your reply")


class PostReportForm(MessageReportForm):
    """The message report form, asking about a post."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what_worries"].label = "What worries you about this post?"
        self.fields[
            "what_worries"
        ].help_text = "Only the program's safeguarding leads read it, with the post. Up to 5000 characters."
