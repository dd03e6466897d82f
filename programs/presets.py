"""What the create form starts from: a program template (sensible settings for the usual kinds of
program, ``/programs/new?template=youth``) or a copy of an existing program (``?from=<slug>``). Either
only fills the form in; the coordinator changes what they like before creating the program."""

from programs.models import DEFAULT_CHECKLIST, Audience, MatchingMode, Program

PRESETS = {
    "youth": {
        "label": "Youth one-to-one",
        "summary": "Young people aged 12 to 18, one mentor each, meeting every two weeks for a year; "
        "mentors fully screened, parents' consent for under-18s.",
        "initial": {
            "audience": Audience.YOUTH,
            "is_rolling": True,
            "checkin_cadence_days": 14,
            "min_commitment_months": 12,
            "default_mentor_capacity": 1,
            "satisfaction_survey_days": 90,
            "matching_mode": MatchingMode.COORDINATOR,
            "auto_suggestions": False,
            "max_distance_km": 10,
            "criteria_weights": {
                "goals": 4,
                "interests": 3,
                "availability": 2,
                "location": 2,
                "preferences": 1,
            },
            "checklist": [(label, days) for _, label, days in DEFAULT_CHECKLIST],
            "questions": [
                ("What would you like to get out of the program?", True),
                ("Is there anything that would help you take part (access, language, times)?", False),
            ],
            "description": "One-to-one mentoring for young people aged 12 to 18. Volunteer mentors, "
            "checked and trained, meet their mentee every two weeks for at least a year, in person "
            "or online.",
        },
    },
    "professional": {
        "label": "Professional network",
        "summary": "Adults in a sector or employer network; mentors take two or three mentees, "
        "meet monthly for six months and choose from suggestions.",
        "initial": {
            "audience": Audience.ADULT,
            "is_rolling": True,
            "checkin_cadence_days": 30,
            "min_commitment_months": 6,
            "default_mentor_capacity": 2,
            "satisfaction_survey_days": 90,
            "matching_mode": MatchingMode.PARTICIPANTS,
            "auto_suggestions": True,
            # Adults arrange their own contact: their messages are not held for a coordinator.
            "holds_contact_details": False,
            "max_distance_km": None,
            "criteria_weights": {
                "goals": 5,
                "interests": 2,
                "availability": 2,
                "location": 0,
                "preferences": 1,
            },
            "checklist": [("Agreement signed", None), ("Induction", None)],
            "questions": [
                ("What would you like to work on with a mentor?", True),
                ("Your role and organisation", False),
            ],
            "description": "Mentoring between professionals: experienced members guide newer ones "
            "through career questions. Pairs meet monthly for at least six months, mostly online.",
        },
    },
}


def preset_initial(key):
    """The create form's initial values for the template ``key``, or None if there is none."""
    preset = PRESETS.get(key)
    return dict(preset["initial"]) if preset else None


def program_copy_initial(program):
    """What the create form starts from to duplicate ``program``: its settings, weights, checklist,
    questions and areas; never its people, coordinators, status or dates."""
    fields = [f.name for f in Program._meta.concrete_fields]
    skip = {"id", "slug", "status", "created_by", "created_at", "updated_at", "start_date", "end_date"}
    initial = {name: getattr(program, name) for name in fields if name not in skip}
    initial["name"] = f"{program.name} (copy)"
    initial["checklist"] = [(item.name, item.valid_days) for item in program.checklist_items.current()]
    initial["questions"] = [(q.text, q.required) for q in program.questions.all()]
    initial["areas"] = [(a.name, a.latitude, a.longitude) for a in program.program_areas.all()]
    return initial
