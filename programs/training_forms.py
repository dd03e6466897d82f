"""The coordinators' training forms: a training's settings, a page, a quiz question, a session,
attendance, a training done elsewhere, and the overview's filter."""

import datetime as dt

from django import forms
from django.utils import timezone

from mentorship.fast_choices import PeopleSelect
from mentorship.forms import DateInput
from programs.models import Role, Training, TrainingPage, TrainingSession
from programs.trainings import MAX_CHOICES, MIN_CHOICES

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["title", "summary", "audience", "kind", "required", "valid_days", "hours", "pass_mark"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if data.get("kind") == "in_person" and data.get("pass_mark"):
            self.add_error("pass_mark", "Only an online training has a quiz and a pass mark.")
        return data


class PageForm(forms.ModelForm):
    image_file = forms.FileField(
        label="Image (optional)",
        required=False,
        help_text="A picture to show on the page: PNG, JPEG, GIF or WebP.",
    )
    remove_image = forms.BooleanField(label="Take the image off", required=False)

    class Meta:
        model = TrainingPage
        fields = ["title", "body", "image_alt"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "body": "Paragraphs (an empty line between), headings (## Heading), lists (- item) and links.",
            "image_alt": "What the image shows, for people who cannot see it.",
        }

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing or not self.instance.image_id:
            del self.fields["remove_image"]

    def clean(self):
        data = super().clean()
        has_image = data.get("image_file") or (self.instance.image_id and not data.get("remove_image"))
        if has_image and not data.get("image_alt"):
            self.add_error("image_alt", "Describe the image, for people who cannot see it.")
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", max_length=300)
    explanation = forms.CharField(
        label="Why the right answer is right",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown to the person after they answer.",
    )
    correct = forms.TypedChoiceField(
        label="The right answer",
        coerce=int,
        choices=[(i, f"Answer {i + 1}") for i in range(MAX_CHOICES)],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(MAX_CHOICES):
            self.fields[f"choice_{i}"] = forms.CharField(
                label=f"Answer {i + 1}", max_length=200, required=False
            )
        # The right answer's radios after the answers they point at.
        self.order_fields([*(f"choice_{i}" for i in range(MAX_CHOICES)), "correct"])
        self.order_fields(["text", *self.fields])

    def clean(self):
        data = super().clean()
        filled = [i for i in range(MAX_CHOICES) if (data.get(f"choice_{i}") or "").strip()]
        if len(filled) < MIN_CHOICES:
            self.add_error(None, f"Give at least {MIN_CHOICES} answers to choose from.")
        correct = data.get("correct")
        if correct is not None and not data.get(f"choice_{correct}"):
            self.add_error("correct", "The right answer must be one you filled in.")
        return data

    def service_fields(self):
        """What programs.trainings.question_add takes: the filled-in answers, in order, and the
        index of the right one among them."""
        data = self.cleaned_data
        given = [
            (i, data[f"choice_{i}"].strip())
            for i in range(MAX_CHOICES)
            if data.get(f"choice_{i}", "").strip()
        ]
        correct = next(n for n, (i, _) in enumerate(given) if i == data["correct"])
        return {
            "text": data["text"],
            "explanation": data["explanation"],
            "choices": [text for _, text in given],
            "correct": correct,
        }


class SessionForm(forms.ModelForm):
    date = forms.DateField(label="Date", widget=DateInput())
    start = forms.TimeField(label="Starts at", widget=TIME_INPUT)
    end = forms.TimeField(label="Ends at", widget=TIME_INPUT)

    class Meta:
        model = TrainingSession
        fields = ["place", "capacity", "note"]
        labels = {"capacity": "Places", "note": "Note for those who sign up"}

    field_order = ["date", "start", "end", "place", "capacity", "note"]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if day and start and end:
            if end <= start:
                self.add_error("end", "The session must end after it starts.")
            else:
                # The program's local time (settings.TIME_ZONE), as every date on the site.
                data["starts_at"] = timezone.make_aware(dt.datetime.combine(day, start))
                data["ends_at"] = timezone.make_aware(dt.datetime.combine(day, end))
        return data

    def service_fields(self):
        data = self.cleaned_data
        return {key: data[key] for key in ("starts_at", "ends_at", "place", "capacity", "note")}


PRESENT_CHOICES = [("", "Not marked"), ("yes", "Present"), ("no", "Absent")]


class AttendanceForm(forms.Form):
    """One present/absent choice per person signed up to the session."""

    def __init__(self, *args, signups, **kwargs):
        super().__init__(*args, **kwargs)
        self.signups = list(signups)
        for signup in self.signups:
            initial = {True: "yes", False: "no"}.get(signup.attended, "")
            self.fields[f"signup_{signup.pk}"] = forms.ChoiceField(
                label=signup.enrollment.user.display_name,
                choices=PRESENT_CHOICES,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
            )

    def rows(self):
        return [(signup, self[f"signup_{signup.pk}"]) for signup in self.signups]

    def present(self):
        """{signup pk: True, False or None} for programs.trainings.attendance_take."""
        marks = {"yes": True, "no": False}
        return {s.pk: marks.get(self.cleaned_data[f"signup_{s.pk}"]) for s in self.signups}


class AddPersonForm(forms.Form):
    # Everyone the training is for: thousands at city scale (mentorship/fast_choices.py).
    enrollment = forms.ModelChoiceField(label="Add someone who came", queryset=None, widget=PeopleSelect)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = people
        self.fields["enrollment"].label_from_instance = lambda e: e.user.display_name


def _training_label(training):
    return training.title if training.is_published else f"{training.title} (draft)"


class ExternalTrainingForm(forms.Form):
    training = forms.ModelChoiceField(label="Training", queryset=None)
    completed_on = forms.DateField(label="Completed on", widget=DateInput())
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        help_text="Where they did it, and what shows it (a certificate, a letter).",
    )

    def __init__(self, *args, trainings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = trainings
        self.fields["training"].label_from_instance = _training_label

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date it was completed cannot be in the future.")
        return day


class PeopleFilterForm(forms.Form):
    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Everyone"), *Role.choices])
    incomplete = forms.BooleanField(label="Only those with a training not complete", required=False)
    expiring = forms.BooleanField(
        label="Only those with a required training expiring within 30 days or expired", required=False
    )
