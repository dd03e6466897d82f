"""Forms a coordinator uses to set a program up: the program's settings (and, when creating one,
its checklist, questions and areas as lines of text), and one area at a time on the settings page.

Every field says what it does and what a sensible value is: a first-time coordinator should not
need a manual.
"""

from django import forms
from django.core.exceptions import ValidationError

from mentorship.forms import DateInput
from programs.models import CRITERIA, DEFAULT_CHECKLIST, DEFAULT_WEIGHTS, Area, Format, Program

MAX_LINES = 50

CRITERIA_LABELS = {
    "goals": ("Goals and skills", "How many of the mentee's goals the mentor lists as skills."),
    "interests": ("Shared interests", "How many of the mentee's interests the mentor shares."),
    "availability": ("Times both can meet", "How much their weekly free times overlap."),
    "location": (
        "Location",
        "Same area, both happy to meet online, or how close their areas are (full marks at 0 km, "
        "none from 25 km).",
    ),
    "preferences": (
        "Partner preferences",
        "Whether the mentee's wishes about the mentor (gender, age) are met.",
    ),
}

WEIGHTS_INTRO = (
    "A pair's score (0 to 100) adds up these five things, each counted by its weight. Only the "
    "proportions matter: 0 ignores a criterion, 10 counts it most. The defaults (4, 3, 2, 1, 1) suit "
    "most programs; raise “Location” where people cannot travel far."
)


# The open statuses of a pair (matching.models.OPEN_MATCH_STATUSES; programs does not import matching).
OPEN_PAIR_STATUSES = ("proposed", "active", "paused")


class ProgramForm(forms.ModelForm):
    """Settings a coordinator edits. Status, coordinators, slug, checklist, questions and areas have
    their own actions on the settings page."""

    class Meta:
        model = Program
        fields = [
            "name",
            "description",
            "audience",
            "format",
            "group_size",
            "circle_size",
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
            "holds_contact_details",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "name": "Name",
            "is_rolling": "Rolling: people join at any time (no fixed dates)",
            "start_date": "Start date",
            "end_date": "End date (optional)",
        }
        help_texts = {
            "name": "What applicants see, e.g. “Northside Youth Mentoring”.",
            "description": "Shown on the program's public page: who it is for, what mentors and mentees "
            "do, how often they meet. A few sentences.",
            "audience": "Youth: mentees may be under 18, so dates of birth are asked and under-18s need a "
            "parent's consent. Adult: everyone is 18 or over. Mixed: both.",
            "format": "One-to-one: a mentor with one mentee (or a few, one by one). Group: a mentor or "
            "co-mentors with a group of mentees. Peer circles: mentees meet in small circles, with an "
            "optional facilitator.",
            "group_size": "Group programs: the most mentees in a group unless a group says otherwise. "
            "2 to 40.",
            "circle_size": "Peer-circle programs: people per circle (circles of one fewer or one more are "
            "formed so that everyone fits). 3 to 12.",
            "is_rolling": "Most programs are rolling. Untick it for a cohort with start and end dates.",
            "start_date": "When pairs start meeting. Only for a program with fixed dates.",
            "end_date": "When the cohort ends. Only for a program with fixed dates.",
            "checkin_cadence_days": "How often each pair logs a meeting; reminders follow it. 14 (every two "
            "weeks) suits most programs; 7 for intensive ones, 30 for light-touch ones.",
            "min_commitment_months": "How long pairs agree to meet; closing earlier counts as an early "
            "closure in the reports. 12 is usual for youth mentoring, 6 for professional mentoring.",
            "default_mentor_capacity": "How many mentees a mentor takes unless they say otherwise: 1 for "
            "youth one-to-one, 2 or 3 for professional mentoring. 1 to 10.",
            "satisfaction_survey_days": "How often participants get a short satisfaction survey: 90 "
            "(quarterly) is usual. 14 to 365.",
            "matching_mode": "Coordinator decides: you accept or decline the suggested pairs. Participants "
            "choose: mentees see their suggestions and ask a mentor; you still see everything.",
            "auto_suggestions": "Matching runs by itself each night when someone new is ready, so "
            "suggestions are waiting for you. Leave it off to run matching yourself.",
            "min_score": "Optional, 0 to 100: pairs scoring lower are never suggested. Leave it empty at "
            "first; 40 is a cautious floor once you know your scores.",
            "max_distance_km": "Optional: two people who both want to meet in person are not paired if "
            "their areas are farther apart than this. For example 10 in a city, 30 in the countryside.",
            "holds_contact_details": "Recommended wherever mentees may be under 18: a phone number, email "
            "address or social media name in a pair's message is hidden from the partner until a "
            "coordinator releases it, so that contact stays on the site until you are happy with it.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        weights = (self.instance.criteria_weights if self.instance.pk else None) or {}
        weights = {**DEFAULT_WEIGHTS, **weights, **self.initial.get("criteria_weights", {})}
        for criterion in CRITERIA:
            label, help_text = CRITERIA_LABELS.get(criterion, (criterion, ""))
            self.fields[f"weight_{criterion}"] = forms.IntegerField(
                label=f"Weight: {label.lower()}",
                min_value=0,
                max_value=10,
                initial=weights[criterion],
                help_text=f"{help_text} Default {DEFAULT_WEIGHTS[criterion]}.",
            )
        # Sizes matter to group and peer-circle programs only: left out, they keep their value.
        for name in ("group_size", "circle_size"):
            self.fields[name].required = False
        self.fields["start_date"].widget.attrs["data-fixed-dates"] = ""
        self.fields["end_date"].widget.attrs["data-fixed-dates"] = ""
        self.fields["is_rolling"].widget.attrs["data-rolling"] = ""

    FIELDSETS = [
        ("The program", "", ["name", "description", "audience", "format", "group_size", "circle_size"]),
        (
            "Dates and commitment",
            "",
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
        ("Matching", "", ["matching_mode", "auto_suggestions", "min_score", "max_distance_km"]),
        ("Messages", "", ["holds_contact_details"]),
        ("Matching criteria weights", WEIGHTS_INTRO, [f"weight_{c}" for c in CRITERIA]),
    ]

    def fieldsets(self):
        return [
            (legend, intro, [self[name] for name in names if name in self.fields])
            for legend, intro, names in self.FIELDSETS
        ]

    def clean(self):
        data = super().clean()
        if data.get("is_rolling"):
            # A rolling program has no dates: whatever the (hidden) date inputs hold is ignored,
            # a half-typed one included.
            for name in ("start_date", "end_date"):
                self.errors.pop(name, None)
                data[name] = None
        elif not data.get("start_date") and "start_date" not in self.errors:
            self.add_error(
                "start_date", "A program with fixed dates needs a start date (or make it rolling)."
            )
        elif data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The end date comes before the start date.")
        for name in ("group_size", "circle_size"):
            if data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name) or Program._meta.get_field(name).default
        self._check_format_change(data.get("format"))
        if all(data.get(f"weight_{c}") == 0 for c in CRITERIA if f"weight_{c}" in data):
            raise ValidationError("At least one matching criterion needs a weight above 0.")
        return data

    def _check_format_change(self, new):
        """No switch away from one-to-one while pairs are open, nor to it while groups are open
        (through the reverse relations: programs never imports matching)."""
        old = self.instance.format if self.instance.pk else None
        if old is None or new is None or new == old:
            return
        pairs_open = self.instance.matches.filter(status__in=OPEN_PAIR_STATUSES).exists()
        if old == Format.ONE_TO_ONE and pairs_open:
            self.add_error("format", "Pairs are still open: close them before changing the format.")
        elif new == Format.ONE_TO_ONE and self.instance.groups.exclude(status="closed").exists():
            self.add_error("format", "Groups are still open: close them before making it one-to-one.")

    def criteria_weights(self):
        return {c: self.cleaned_data[f"weight_{c}"] for c in CRITERIA}

    def service_fields(self):
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
        fields["criteria_weights"] = self.criteria_weights()
        return fields


class LinesField(forms.CharField):
    """Several things, one per line, each parsed by ``parse_line`` (which raises ValidationError with
    a message about that line). Blank lines are dropped; the same thing twice is kept once."""

    def __init__(self, *, rows=6, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def parse_line(self, line):
        return line

    def format_item(self, item):
        return item

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(self.format_item(item) for item in value)
        return value

    def clean(self, value):
        items, seen, errors = [], set(), []
        lines = [" ".join(line.split()) for line in (super().clean(value) or "").splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_LINES:
            raise ValidationError(f"Please give at most {MAX_LINES} lines; there are {len(lines)}.")
        for number, line in enumerate(lines, start=1):
            try:
                item = self.parse_line(line)
            except ValidationError as error:
                errors.append(ValidationError(f"Line {number} (“{line[:30]}”): {' '.join(error.messages)}"))
                continue
            key = (item if isinstance(item, str) else item[0]).casefold()
            if key not in seen:
                seen.add(key)
                items.append(item)
        if errors:
            raise ValidationError(errors)
        return items


def _split_last_number(line):
    """ "Background check, 730" -> ("Background check", "730"); "References" -> ("References", None)."""
    head, comma, tail = line.rpartition(",")
    if comma and tail.strip().lstrip("-").replace(".", "", 1).isdigit():
        return head.strip(), tail.strip()
    return line, None


class ChecklistLinesField(LinesField):
    def parse_line(self, line):
        name, days = _split_last_number(line)
        if len(name) > 80:
            raise ValidationError("keep the name to 80 characters.")
        if days is None:
            return (name, None)
        if not days.isdigit() or not 1 <= int(days) <= 3650:
            raise ValidationError("the number after the comma is how many days it stays valid: 1 to 3650.")
        return (name, int(days))

    def format_item(self, item):
        name, days = item
        return f"{name}, {days}" if days else name


REQUIRED_MARK = "(required)"


class QuestionLinesField(LinesField):
    def parse_line(self, line):
        required = line.lower().endswith(REQUIRED_MARK)
        text = line[: -len(REQUIRED_MARK)].strip() if required else line
        if not text:
            raise ValidationError("write the question before “(required)”.")
        if len(text) > 300:
            raise ValidationError("keep each question to 300 characters.")
        return (text, required)

    def format_item(self, item):
        text, required = item
        return f"{text} {REQUIRED_MARK}" if required else text


class AreaLinesField(LinesField):
    def parse_line(self, line):
        parts = [part.strip() for part in line.split(",")]
        if len(parts) == 1:
            name, lat, lon = parts[0], None, None
        elif len(parts) == 3:
            name = parts[0]
            try:
                lat, lon = float(parts[1]), float(parts[2])
            except ValueError:
                raise ValidationError("give the point as two numbers: latitude, longitude.") from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValidationError("the latitude is -90 to 90 and the longitude -180 to 180.")
        else:
            raise ValidationError("write a name, or a name, a latitude and a longitude, separated by commas.")
        if not name or len(name) > 80:
            raise ValidationError("each area needs a name of at most 80 characters.")
        return (name, lat, lon)

    def format_item(self, item):
        name, lat, lon = item
        return f"{name}, {lat}, {lon}" if lat is not None and lon is not None else name


class ProgramCreateForm(ProgramForm):
    """Creating a program: its settings and, as lines of text, its screening checklist, application
    questions and areas (each then has its own list on the settings page)."""

    checklist = ChecklistLinesField(
        label="Screening checklist for mentors (one item per line)",
        help_text="A mentor is matched only when every item is recorded. After a comma, how many days "
        "an item stays valid, e.g. “Background check, 730” (two years). Leave it empty for none.",
    )
    questions = QuestionLinesField(
        label="Application questions (one per line, optional)",
        rows=3,
        help_text="Asked of every applicant besides their motivation, e.g. “What would you like to get "
        "out of the program?”. End a question with “(required)” to make an answer required.",
    )
    areas = AreaLinesField(
        label="Areas people choose from (one per line, optional)",
        help_text="Neighbourhoods or towns, never streets or postcodes: a match partner sees the name. "
        "Optionally a point for distance after commas: “Old Town, 51.455, -2.592”. You can add them "
        "later in the settings.",
    )

    FIELDSETS = [
        *ProgramForm.FIELDSETS,
        ("Screening, questions and areas", "", ["checklist", "questions", "areas"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].initial = [(label, days) for _, label, days in DEFAULT_CHECKLIST]

    def service_fields(self):
        fields = super().service_fields()
        fields.update({name: self.cleaned_data[name] for name in ("checklist", "questions", "areas")})
        return fields


class AreaForm(forms.ModelForm):
    """One of the program's areas: its name and approximate point."""

    class Meta:
        model = Area
        fields = ["name", "latitude", "longitude"]
        labels = {"name": "Area name", "latitude": "Latitude (optional)", "longitude": "Longitude (optional)"}
        widgets = {
            # Text, not type="number": a browser sends "" for what it cannot parse, and the
            # coordinator would lose what they typed instead of seeing why it is wrong.
            "latitude": forms.TextInput(attrs={"inputmode": "decimal"}),
            "longitude": forms.TextInput(attrs={"inputmode": "decimal"}),
        }

    def __init__(self, *args, brief=False, **kwargs):
        super().__init__(*args, **kwargs)
        if brief:  # an area already listed: the add form below explains the fields once
            for field in self.fields.values():
                field.help_text = ""

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if "latitude" not in self.errors and "longitude" not in self.errors:
            if lat is not None and lon is None:
                self.add_error("longitude", "Give the longitude too, or clear the latitude.")
            elif lon is not None and lat is None:
                self.add_error("latitude", "Give the latitude too, or clear the longitude.")
        return data
