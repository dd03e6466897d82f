"""The resource library's forms: the search, a resource's form and the copy list."""

from django import forms
from django.core.exceptions import ValidationError

from programs.models import ResourceAudience, ResourceKind, ResourceTopic
from programs.resources import PLACES
from programs.uploads import ALLOWED_TEXT, inspect_upload


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=100, required=False)
    topic = forms.ChoiceField(
        label="Topic", required=False, choices=[("", "All topics"), *ResourceTopic.choices]
    )


def _topic_help():
    shown = "; ".join(f"{ResourceTopic(topic).label}: {where}" for topic, where in PLACES.items())
    return f"Every resource is in the library. Some topics are shown where they help too ({shown})."


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=150)
    summary = forms.CharField(
        max_length=300, required=False, help_text="One or two sentences: shown in the library's list."
    )
    topic = forms.ChoiceField(choices=ResourceTopic.choices)
    audience = forms.ChoiceField(label="Who can see it", choices=ResourceAudience.choices)
    kind = forms.ChoiceField(
        label="What it is", choices=ResourceKind.choices, widget=forms.RadioSelect, initial=ResourceKind.PAGE
    )
    body = forms.CharField(
        label="The page",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="For a page: blank lines between paragraphs, “## Heading”, “- item” for lists, "
        "**bold**, [words](https://example.org) for links.",
    )
    url = forms.URLField(
        label="Link", max_length=500, required=False, assume_scheme="https", help_text="For a link."
    )
    upload = forms.FileField(
        label="File",
        required=False,
        help_text=f"For a file: {ALLOWED_TEXT}. Its type is checked from its content.",
    )
    every_program = forms.BooleanField(
        label="Publish to every program",
        required=False,
        help_text="Staff only: the resource shows in every program's library, "
        "marked “From the organisation”.",
    )

    def __init__(self, *args, user, resource=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.fields["topic"].help_text = _topic_help()
        if not user.is_staff:
            del self.fields["every_program"]
        if resource is not None and resource.file_id:
            now = f"Now: {resource.file.name}. Choose a file only to replace it. {ALLOWED_TEXT}."
            self.fields["upload"].help_text = now
        self.checked_upload = None

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            self.checked_upload = inspect_upload(upload)  # a refusal is this field's error
        return upload

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        errors = {}
        if kind == ResourceKind.PAGE and not (data.get("body") or "").strip():
            errors["body"] = "Write the page."
        if kind == ResourceKind.LINK and not data.get("url") and "url" not in self.errors:
            errors["url"] = "Give the link's address."
        has_file = data.get("upload") or (self.resource is not None and self.resource.file_id)
        if kind == ResourceKind.FILE and not has_file and "upload" not in self.errors:
            errors["upload"] = "Choose the file to upload."
        if errors:
            raise ValidationError(errors)
        return data

    def service_fields(self):
        data = dict(self.cleaned_data)
        if "every_program" not in self.fields:
            data.pop("every_program", None)
        data["upload"] = data.get("upload") or None
        return data

    @classmethod
    def initial_for(cls, resource):
        initial = {
            name: getattr(resource, name) for name in ("title", "summary", "topic", "audience", "kind")
        }
        initial.update(body=resource.body, url=resource.url, every_program=resource.program_id is None)
        return initial


class CopyForm(forms.Form):
    """The resources of other programs to copy in (ids checked against what the user may copy)."""

    resources = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        field = self.fields["resources"]
        field.choices = [(r.pk, r.title) for r in self.candidates]
        field.error_messages["required"] = "Choose at least one resource to copy."

    def chosen(self):
        wanted = set(self.cleaned_data["resources"])
        return [r for r in self.candidates if r.pk in wanted]
