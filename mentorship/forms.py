"""Forms for people: the profile a person keeps once for every program."""

import datetime as dt

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from mentorship.models import (
    AVAILABILITY_SLOTS,
    DAY_PARTS,
    DAYS,
    ContactMethod,
    Profile,
    age_on,
)
from mentorship.services import (
    audit_record,
    languages_get_or_create,
    profile_set_name,
    tags_get_or_create,
)

MAX_NAMES = 20
MAX_NAME_LENGTH = 60  # Tag.name and Language.name
MAX_AGE = 110
TAG_FIELDS = ("interests", "skills", "goals")
PRIVATE_HELP = "Never shown to a match partner."


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (2026-11-25) whatever the site's locale:
    a localised value (25/11/2026) shows as an empty field and is sent back empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def slots_from_mask(mask):
    """The availability mask as the checkbox values it stands for: ["0", "8"] for bits 0 and 8."""
    return [str(slot) for slot, _ in AVAILABILITY_SLOTS if mask >> slot & 1]


def mask_from_slots(slots):
    return sum(1 << int(slot) for slot in set(slots))


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def validate_date_of_birth(born, *, today=None):
    """Refuse a birthday in the future or an age over MAX_AGE (a typo in the year, usually)."""
    today = today or timezone.localdate()
    if born > today:
        raise forms.ValidationError("Your date of birth can’t be in the future.", code="future")
    if age_on(born, today) > MAX_AGE:
        raise forms.ValidationError(
            "Please check the year: that would make you over %(max)s.",
            code="too_old",
            params={"max": MAX_AGE},
        )


def parse_names(text):
    """ "Python, chess,, python " -> ["Python", "chess"]: trimmed, first spelling wins."""
    names = {}
    for raw in text.split(","):
        name = " ".join(raw.split())
        if name:
            names.setdefault(name.lower(), name)
    return list(names.values())


class NameListField(forms.CharField):
    """Pick or add: comma-separated names, cleaned to a list of distinct names.

    The browser suggests existing names from a <datalist>; anything else becomes a new name when
    the form is saved (not here: an invalid form must create nothing).
    """

    def __init__(self, *, datalist, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"list": datalist, "autocomplete": "off", "data-pick-list": ""})

    def clean(self, value):
        names = parse_names(super().clean(value))
        errors = []
        if len(names) > MAX_NAMES:
            errors.append(
                forms.ValidationError(
                    "Please give at most %(max)s names here; there are %(count)s.",
                    code="too_many",
                    params={"max": MAX_NAMES, "count": len(names)},
                )
            )
        for name in names:
            if len(name) > MAX_NAME_LENGTH:
                errors.append(
                    forms.ValidationError(
                        "“%(start)s…” is too long: keep each name to %(max)s characters.",
                        code="too_long",
                        params={"start": name[:20], "max": MAX_NAME_LENGTH},
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return names


class AvailabilityField(forms.TypedMultipleChoiceField):
    """The weekly 7 x 3 grid of checkboxes, cleaned to the model's 21-bit mask."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        choices = [(str(slot), label) for slot, label in AVAILABILITY_SLOTS]
        super().__init__(choices=choices, coerce=int, required=False, **kwargs)

    def prepare_value(self, value):
        # The initial value is the model's int; a bound form gives back the ticked values.
        if isinstance(value, int):
            return slots_from_mask(value)
        return value

    def clean(self, value):
        return mask_from_slots(super().clean(value))

    def has_changed(self, initial, data):
        return mask_from_slots(self.prepare_value(initial or 0)) != mask_from_slots(data or [])


class ProfileForm(forms.ModelForm):
    languages = NameListField(
        label="Languages you speak",
        datalist="language-suggestions",
        help_text="Separate them with commas, e.g. “English, Polish”. Pick a suggestion or type a new one.",
    )
    interests = NameListField(
        label="Interests",
        datalist="tag-suggestions",
        help_text="What you enjoy or care about, separated by commas, e.g. “football, drawing”.",
    )
    skills = NameListField(
        label="Skills you can share",
        datalist="tag-suggestions",
        help_text="What you could help someone with, separated by commas.",
    )
    goals = NameListField(
        label="Goals",
        datalist="tag-suggestions",
        help_text="What you would like help with, separated by commas.",
    )
    availability = AvailabilityField(label="When you could usually meet")

    availability_parts = DAY_PARTS  # the table's column headings

    class Meta:
        model = Profile
        # Explicit on purpose: user, created_at and anything added to the model later stay out of
        # reach of a crafted POST.
        fields = [
            "display_name",
            "pronouns",
            "bio",
            "date_of_birth",
            "gender",
            "availability",
            "area",
            "latitude",
            "longitude",
            "meeting_mode",
            "partner_gender",
            "partner_gender_importance",
            "partner_age_band",
            "partner_age_band_importance",
            "phone",
            "contact_method",
            "email_reminders",
            "board_digest",
        ]
        labels = {
            "display_name": "Name to show",
            "bio": "A short bio",
            "meeting_mode": "How you would like to meet",
            "partner_gender": "Partner’s gender",
            "partner_gender_importance": "How much the partner’s gender matters",
            "partner_age_band": "Partner’s age",
            "partner_age_band_importance": "How much the partner’s age matters",
            "phone": "Phone number",
            "contact_method": "Best way to reach you",
            "email_reminders": "Send me reminder emails",
            "board_digest": "Email me a daily digest of new discussion posts",
        }
        help_texts = {
            "display_name": "How coordinators and your match partner see you, e.g. your first name.",
            "pronouns": "Optional, e.g. she/her, he/him, they/them.",
            "bio": "A few sentences for your match partner: what you do, what you hope for. "
            "Up to 1000 characters.",
            "date_of_birth": f"{PRIVATE_HELP} Your age is used only for screening and matching rules.",
            "gender": f"Optional. {PRIVATE_HELP}",
            "area": "Where you would meet in person, e.g. “Northside” or “N1 4AB”.",
            "latitude": "Optional, with the longitude, for distance-based matching.",
            "longitude": "Optional, with the latitude.",
            "partner_gender_importance": "“Required” means you will only be matched with people who fit.",
            "partner_age_band_importance": "“Required” means you will only be matched with people who fit.",
            "phone": f"Optional. {PRIVATE_HELP} Coordinators use it to reach you.",
            "email_reminders": "For example when a check-in with your match partner is due.",
        }
        widgets = {
            "date_of_birth": DateInput(),
            "bio": forms.Textarea(attrs={"rows": 5}),
            # Text, not type="number": a browser sends "" for what it cannot parse, and the person
            # would lose what they typed instead of seeing why it is wrong.
            "latitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "longitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "meeting_mode": forms.RadioSelect,
            "partner_gender_importance": forms.RadioSelect,
            "partner_age_band_importance": forms.RadioSelect,
            "contact_method": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The blank choice says what it means instead of "---------".
        self._blank_choice("gender", "Prefer not to say")
        self._blank_choice("partner_gender", "No preference")
        self._blank_choice("partner_age_band", "No preference")

        # Hints for the date picker; clean_date_of_birth decides.
        today = timezone.localdate()
        earliest = years_before(today, MAX_AGE + 1) + dt.timedelta(days=1)
        self.fields["date_of_birth"].widget.attrs.update(
            {"min": earliest.isoformat(), "max": today.isoformat(), "autocomplete": "bday"}
        )
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"

        # Where a person is comes from the area they choose in a program's application (the
        # program's list of neighbourhoods, each with a point): nobody, least of all a teenager, is
        # asked for coordinates. Staff can still type them (and a free area) for special cases.
        user = self.instance.user if self.instance.user_id else None
        self.free_location = bool(user and user.is_staff)
        if not self.free_location:
            for name in ("area", "latitude", "longitude"):
                del self.fields[name]

        if self.instance.pk:
            # Read through .all() so that a view's prefetch_related serves these.
            for name in ("languages", *TAG_FIELDS):
                self.initial.setdefault(
                    name, ", ".join(obj.name for obj in getattr(self.instance, name).all())
                )

    def _blank_choice(self, name, label):
        field = self.fields[name]
        field.choices = [("", label), *[c for c in field.choices if c[0] != ""]]

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born is not None:
            validate_date_of_birth(born)
        if self.instance.user_id and born != self.instance.date_of_birth:
            # The apps above this one say whether the new date breaks one of their rules (a
            # mentor who would be a minor), named in settings so that this app never imports them.
            for path in settings.DATE_OF_BIRTH_CHECKS:
                problem = import_string(path)(user=self.instance.user, date_of_birth=born)
                if problem:
                    raise forms.ValidationError(problem)
        return born

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        # Only when both fields parsed: a typo in one already has its own message.
        if "latitude" not in self.errors and "longitude" not in self.errors:
            if latitude is not None and longitude is None:
                self.add_error("longitude", "Give the longitude too, or clear the latitude.")
            elif longitude is not None and latitude is None:
                self.add_error("latitude", "Give the latitude too, or clear the longitude.")
        if cleaned.get("contact_method") in (ContactMethod.PHONE, ContactMethod.TEXT) and not cleaned.get(
            "phone"
        ):
            self.add_error("phone", "Give a phone number, or choose email as the way to reach you.")
        return cleaned

    def availability_grid(self):
        """The rows of the availability table: (day, [(slot, "Monday morning", ticked), ...])."""
        ticked = {str(slot) for slot in self["availability"].value() or []}
        return [
            (
                day,
                [
                    (day_index * 3 + part_index, f"{day} {part}", str(day_index * 3 + part_index) in ticked)
                    for part_index, part in enumerate(DAY_PARTS)
                ],
            )
            for day_index, day in enumerate(DAYS)
        ]

    def save(self, commit=True):
        # One transaction: the profile, its new tags and its links are saved together or not at all.
        with transaction.atomic():
            if "date_of_birth" in self.changed_data:
                # Programs flag an approved person whose date of birth changed (see Profile).
                self.instance.date_of_birth_changed_at = timezone.now()
                audit_record(
                    actor=self.instance.user, action="profile.date_of_birth", target=self.instance,
                    summary="changed",
                )  # fmt: skip
            return super().save(commit=commit)

    def _save_m2m(self):
        super()._save_m2m()
        profile = self.instance
        profile.languages.set(languages_get_or_create(names=self.cleaned_data["languages"]))
        for name in TAG_FIELDS:
            getattr(profile, name).set(tags_get_or_create(names=self.cleaned_data[name]))


class SignupNameForm(forms.Form):
    """What sign-up asks beyond email and password (settings.ACCOUNT_SIGNUP_FORM_CLASS): a name,
    so that the site greets people by it, not by their email address. allauth's sign-up form is
    built on this class, and calls ``signup`` once the account exists."""

    name = forms.CharField(
        label="Your name",
        max_length=80,  # Profile.display_name
        help_text="How coordinators and your match partner will see you, e.g. your first name. "
        "You can change it in your profile.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Please tell us your name.", code="required")
        return name

    def signup(self, request, user):
        profile_set_name(profile=user.profile, name=self.cleaned_data["name"])
