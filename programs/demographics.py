"""Demographic questions (set up by coordinators) and a person's own answers (optional, changed or
cleared by them at any time).

Kept apart on purpose (programs/models/demographics.py): nothing here is read by matching, the
limited profile, applicant or match pages, exports, emails or feeds. The equity report
(evaluation/equity.py) reads the answers in aggregate only, small cells hidden. The person sees their
own answers on their own form, and nobody else sees anyone's.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mentorship.services import audit_record
from programs.models.demographics import DemographicAnswer, DemographicQuestion, DemographicTopic

PREFER_NOT_TO_SAY = "Prefer not to say"
OWN_WORDS = "In my own words"
# What the equity report calls those answers, and those who did not answer.
SELF_DESCRIBED = "Self-described"
NOT_ANSWERED = "Not answered"
MAX_OPTIONS = 30

# Presets: a question and inclusive options; "prefer not to say" and "in my own words" are always
# offered besides.
PRESETS = {
    DemographicTopic.GENDER: (
        "How do you describe your gender?",
        ["Woman", "Man", "Non-binary"],
    ),
    DemographicTopic.ETHNICITY: (
        "How would you describe your ethnic background?",
        [
            "Asian or Asian heritage",
            "Black or Black heritage",
            "Indigenous",
            "Latin American",
            "Middle Eastern or North African",
            "White",
            "Mixed or multiple backgrounds",
        ],
    ),  # fmt: skip
    DemographicTopic.DISABILITY: (
        "Do you consider yourself to have a disability or long-term condition?",
        ["Yes", "No"],
    ),
    DemographicTopic.FIRST_GENERATION: (
        "Would you be (or are you) the first in your family to go to university?",
        ["Yes", "No", "Not sure"],
    ),
    DemographicTopic.HOME_LANGUAGE: (
        "Which language do you mostly speak at home?",
        ["English", "Another language", "More than one language"],
    ),
    DemographicTopic.NEIGHBOURHOOD: (
        "Which neighbourhood do you live in?",
        [],
    ),
}


def clean_options(text_or_list):
    """The options from a textarea (one a line) or a list: stripped, no blanks, no repeats, none that
    clash with the two answers always offered."""
    lines = text_or_list.splitlines() if isinstance(text_or_list, str) else list(text_or_list)
    options, seen = [], set()
    for line in lines:
        option = " ".join(str(line).split())[:120]
        if not option or option.casefold() in seen:
            continue
        if option.casefold() in {PREFER_NOT_TO_SAY.casefold(), OWN_WORDS.casefold()}:
            continue  # always offered anyway
        seen.add(option.casefold())
        options.append(option)
    if len(options) > MAX_OPTIONS:
        raise ValidationError({"options": f"At most {MAX_OPTIONS} options."})
    return options


def questions_of(program, *, include_retired=False):
    questions = DemographicQuestion.objects.filter(program=program)
    if not include_retired:
        questions = questions.filter(archived_at__isnull=True)
    return questions.order_by("position", "pk")


@transaction.atomic
def question_add(*, program, by, topic, label="", options=None):
    """A question for ``program``: a preset (its wording and options unless given) or a custom one."""
    preset_label, preset_options = PRESETS.get(topic, ("", []))
    label = (label or preset_label).strip()
    if not label:
        raise ValidationError({"label": "Write the question."})
    options = clean_options(preset_options if options is None else options)
    position = (
        DemographicQuestion.objects.filter(program=program).aggregate(top=Max("position"))["top"] or 0
    ) + 1
    question = DemographicQuestion.objects.create(
        program=program, topic=topic, label=label[:200], options=options, position=position
    )
    audit_record(actor=by, action="demographics.question_added", target=question, summary=label[:200])
    return question


@transaction.atomic
def question_update(*, question, by, label, options):
    label = label.strip()
    if not label:
        raise ValidationError({"label": "Write the question."})
    question.label = label[:200]
    question.options = clean_options(options)
    question.save(update_fields=["label", "options"])
    audit_record(actor=by, action="demographics.question_changed", target=question, summary=question.label)
    return question


@transaction.atomic
def question_move(*, question, by, up):
    """One place up or down among the program's asked questions."""
    siblings = list(questions_of(question.program).select_for_update())
    if question not in siblings:
        return question
    k = siblings.index(question)
    other = k - 1 if up else k + 1
    if 0 <= other < len(siblings):
        siblings[k], siblings[other] = siblings[other], siblings[k]
    for position, each in enumerate(siblings, start=1):
        if each.position != position:
            DemographicQuestion.objects.filter(pk=each.pk).update(position=position)
    audit_record(actor=by, action="demographics.question_moved", target=question, summary=question.label)
    return question


@transaction.atomic
def question_retire(*, question, by):
    """No longer asked; its answers still count in the equity report."""
    updated = DemographicQuestion.objects.filter(pk=question.pk, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    if updated:
        audit_record(
            actor=by, action="demographics.question_retired", target=question, summary=question.label
        )
    return bool(updated)


@transaction.atomic
def question_restore(*, question, by):
    updated = DemographicQuestion.objects.filter(pk=question.pk, archived_at__isnull=False).update(
        archived_at=None
    )
    if updated:
        audit_record(
            actor=by, action="demographics.question_restored", target=question, summary=question.label
        )
    return bool(updated)


def answers_of(enrollment):
    """The person's own answers, by question id (for their own form only)."""
    return {a.question_id: a for a in DemographicAnswer.objects.filter(enrollment=enrollment)}


@transaction.atomic
def answers_save(*, enrollment, answers):
    """Save the person's answers: ``answers`` maps a question (of their program, asked now) to
    ("", ""), (option, ""), (PREFER_NOT_TO_SAY, "") or (OWN_WORDS, their words). An empty answer
    clears it. Nothing is audited with the answers themselves (they stay out of every log)."""
    asked = {q.pk: q for q in questions_of(enrollment.program)}
    for question_id, (choice, words) in answers.items():
        question = asked.get(question_id)
        if question is None:
            continue
        words = " ".join((words or "").split())[:120]
        if not choice:
            DemographicAnswer.objects.filter(question=question, enrollment=enrollment).delete()
            continue
        if choice == PREFER_NOT_TO_SAY:
            fields = {"option": "", "prefer_not_to_say": True, "self_described": ""}
        elif choice == OWN_WORDS:
            if not words:
                raise ValidationError({f"q{question.pk}_words": "Write your answer, or choose another."})
            fields = {"option": "", "prefer_not_to_say": False, "self_described": words}
        elif choice in question.options:
            fields = {"option": choice, "prefer_not_to_say": False, "self_described": ""}
        else:
            raise ValidationError({f"q{question.pk}": "Choose one of the answers offered."})
        DemographicAnswer.objects.update_or_create(
            question=question, enrollment=enrollment, defaults={**fields, "answered_at": timezone.now()}
        )


@transaction.atomic
def answers_clear(*, enrollment):
    """Remove all of the person's answers."""
    return DemographicAnswer.objects.filter(enrollment=enrollment).delete()[0]
