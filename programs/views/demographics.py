"""Demographics: coordinators choose their program's optional questions; a person answers them (or
changes or clears their answers) on their own form, the only page that ever shows them an answer.

Coordinators never see anyone's answers here: the equity report shows them in aggregate only."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentorship.web import form_errors
from programs import demographics
from programs.access import get_own_enrollment_for, get_program_for
from programs.models.demographics import DemographicQuestion, DemographicTopic


class QuestionForm(forms.Form):
    topic = forms.ChoiceField(
        label="Question",
        choices=DemographicTopic.choices,
        help_text="A preset comes with its wording and inclusive options; “Another question” is your own.",
    )
    label = forms.CharField(
        label="Wording", max_length=200, required=False, help_text="Leave empty to use the preset's wording."
    )
    options = forms.CharField(
        label="Options, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Leave empty to use the preset's. “Prefer not to say” and “In my own words” are "
        "always offered.",
    )


class QuestionEditForm(forms.Form):
    label = forms.CharField(label="Wording", max_length=200)
    options = forms.CharField(
        label="Options, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="“Prefer not to say” and “In my own words” are always offered besides.",
    )


class AnswersForm(forms.Form):
    """One radio group per question (its options, then the two always offered, and "no answer")
    and a text box for the person's own words."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            choices = [("", "No answer")] + [(o, o) for o in q.options]
            choices += [(demographics.PREFER_NOT_TO_SAY, demographics.PREFER_NOT_TO_SAY)]
            choices += [(demographics.OWN_WORDS, demographics.OWN_WORDS)]
            self.fields[f"q{q.pk}"] = forms.ChoiceField(
                label=q.label, choices=choices, required=False, widget=forms.RadioSelect
            )
            self.fields[f"q{q.pk}_words"] = forms.CharField(
                label="In your own words", max_length=120, required=False
            )

    def answers(self):
        return {
            q.pk: (self.cleaned_data.get(f"q{q.pk}", ""), self.cleaned_data.get(f"q{q.pk}_words", ""))
            for q in self.questions
        }


def initial_answers(answers):
    initial = {}
    for question_id, answer in answers.items():
        if answer.prefer_not_to_say:
            initial[f"q{question_id}"] = demographics.PREFER_NOT_TO_SAY
        elif answer.self_described:
            initial[f"q{question_id}"] = demographics.OWN_WORDS
            initial[f"q{question_id}_words"] = answer.self_described
        else:
            initial[f"q{question_id}"] = answer.option
    return initial


# --- Coordinators: the questions ------------------------------------------------------------------


def _questions_page(request, program, form=None, status=200, edit=None, edit_form=None):
    questions = list(demographics.questions_of(program, include_retired=True))
    context = {
        "program": program,
        "asked": [q for q in questions if not q.archived_at],
        "retired": [q for q in questions if q.archived_at],
        "form": form or QuestionForm(),
        "edit": edit,
        "edit_form": edit_form,
        "always": (demographics.PREFER_NOT_TO_SAY, demographics.OWN_WORDS),
    }
    return render(request, "programs/demographics/questions.html", context, status=status)


@login_required
def question_list(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    if request.method != "POST":
        return _questions_page(request, program)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            question = demographics.question_add(
                program=program,
                by=request.user,
                topic=data["topic"],
                label=data["label"],
                options=data["options"] or None,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"“{question.label}” is added: people are asked it from now on.")
            return redirect("programs:demographic_questions", slug=program.slug)
    return _questions_page(request, program, form, status=400)


def _question(program, pk):
    return get_object_or_404(DemographicQuestion, pk=pk, program=program)


@login_required
def question_edit(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    question = _question(program, pk)
    if request.method != "POST":
        initial = {"label": question.label, "options": "\n".join(question.options)}
        form = QuestionEditForm(initial=initial, prefix="edit")
        return _questions_page(request, program, edit=question, edit_form=form)
    form = QuestionEditForm(request.POST, prefix="edit")
    if form.is_valid():
        try:
            demographics.question_update(
                question=question,
                by=request.user,
                label=form.cleaned_data["label"],
                options=form.cleaned_data["options"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Question saved.")
            return redirect("programs:demographic_questions", slug=program.slug)
    return _questions_page(request, program, status=400, edit=question, edit_form=form)


@login_required
@require_POST
def question_move(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    question = _question(program, pk)
    demographics.question_move(question=question, by=request.user, up=request.POST.get("direction") != "down")
    return redirect("programs:demographic_questions", slug=program.slug)


@login_required
@require_POST
def question_retire(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    question = _question(program, pk)
    if request.POST.get("restore"):
        demographics.question_restore(question=question, by=request.user)
        messages.success(request, f"“{question.label}” is asked again.")
    else:
        demographics.question_retire(question=question, by=request.user)
        messages.success(
            request, f"“{question.label}” is no longer asked. Its answers still count in the equity report."
        )
    return redirect("programs:demographic_questions", slug=program.slug)


# --- A person: their own answers ------------------------------------------------------------------


def _answers_page(request, enrollment, form, status=200):
    questions = [(q, form[f"q{q.pk}"], form[f"q{q.pk}_words"]) for q in form.questions]
    context = {"enrollment": enrollment, "program": enrollment.program, "form": form, "questions": questions}
    return render(request, "programs/demographics/about_you.html", context, status=status)


@login_required
def about_you(request, pk):
    """The person's own answers: optional, changed or cleared at any time."""
    enrollment = get_own_enrollment_for(request.user, pk)
    questions = list(demographics.questions_of(enrollment.program))
    if request.method != "POST":
        initial = initial_answers(demographics.answers_of(enrollment))
        return _answers_page(request, enrollment, AnswersForm(questions=questions, initial=initial))
    if request.POST.get("clear"):
        demographics.answers_clear(enrollment=enrollment)
        messages.success(request, "Your answers are removed.")
        return redirect("programs:about_you", pk=enrollment.pk)
    form = AnswersForm(request.POST, questions=questions)
    if form.is_valid():
        try:
            demographics.answers_save(enrollment=enrollment, answers=form.answers())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, "Thank you: your answers are saved. You can change or clear them here at any time."
            )
            return redirect(enrollment)
    return _answers_page(request, enrollment, form, status=400)
