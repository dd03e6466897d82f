"""Success stories: telling one's story, consent and withdrawal, the guardian's agreement,
coordinators' curation and the public stories page.

Who sees what: a story's page answers its author only (My stories, its change and withdrawal); the
guardian's page answers whoever holds the latest emailed link; a program's curation pages answer
its coordinators and staff; the public stories page answers everyone, and shows only what
``evaluation.stories.published_stories`` gives. Anyone else gets 404.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from evaluation import stories
from evaluation import story_services as services
from evaluation.models import GuardianApproval, StoryInvitation, StoryOccasion
from evaluation.story_forms import GuardianAnswerForm, NewStoryForm, ProposeEditForm, StoryForm
from mentorship.once import AlreadySubmitted, submit_once
from mentorship.web import act, form_errors
from programs.access import get_own_enrollment_for, get_program_for

PUBLIC_SHOWN = 200


def _guardian_news(request, story):
    """What the author is told about their guardian after a change that asked them."""
    if story.guardian_approval != GuardianApproval.PENDING:
        return
    if getattr(story, "guardian_emailed", True):
        messages.info(
            request,
            "We have emailed your parent or guardian: your story is published once they agree.",
        )
    else:
        messages.warning(
            request,
            "We could not email your parent or guardian, so your story is not published yet: "
            "please talk to the program's coordinators.",
        )


# --- Telling and changing one's story ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def story_new(request, pk):
    enrollment = get_own_enrollment_for(request.user, pk)
    if not stories.may_tell(enrollment):
        raise Http404("No such application.")
    invitation = None
    if request.GET.get("invitation", "").isdigit():
        invitation = StoryInvitation.objects.filter(
            pk=request.GET["invitation"], enrollment=enrollment
        ).first()
    minor = enrollment.needs_guardian_consent()
    form = NewStoryForm(request.POST or None, minor=minor)
    if request.method == "POST" and form.is_valid():
        write = partial(
            services.story_tell,
            enrollment=enrollment,
            by=request.user,
            match=invitation.match if invitation else None,
            occasion=invitation.occasion if invitation else StoryOccasion.OTHER,
            **form.cleaned_data,
        )
        try:
            story = submit_once(form, request.user, write)
        except AlreadySubmitted:
            messages.info(request, "That form was already sent: your story is saved once.")
            return redirect("evaluation:my_stories")
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Thank you for telling your story.")
            _guardian_news(request, story)
            return redirect("evaluation:my_stories")
    context = {"form": form, "enrollment": enrollment, "program": enrollment.program, "minor": minor,
               "invitation": invitation}  # fmt: skip
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluation/stories/story_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request, pk):
    story = stories.get_own_story_for(request.user, pk)
    minor = story.enrollment.needs_guardian_consent()
    initial = {"title": story.title, "text": story.text, "consent": story.consent}
    form = StoryForm(request.POST or None, initial=initial, minor=minor)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_change(story=story, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Your story is saved.")
            _guardian_news(request, story)
            return redirect("evaluation:my_stories")
    context = {"form": form, "story": story, "enrollment": story.enrollment, "program": story.program,
               "minor": minor}  # fmt: skip
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluation/stories/story_form.html", context, status=status)


@login_required
@require_safe
def my_stories(request):
    context = {"stories": stories.own_stories(request.user)}
    for story in context["stories"]:
        story.state = stories.story_state(story)
    return render(request, "evaluation/stories/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def story_withdraw(request, pk):
    story = stories.get_own_story_for(request.user, pk)
    if request.method == "POST":
        services.story_withdraw(story=story, by=request.user)
        messages.success(
            request, "Your story is withdrawn: it is removed everywhere, and its words are deleted."
        )
        return redirect("evaluation:my_stories")
    return render(request, "evaluation/stories/withdraw.html", {"story": story})


@login_required
@require_POST
def story_proposal(request, pk):
    story = stories.get_own_story_for(request.user, pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, "Choose whether to approve or decline the shorter version.")
        return redirect("evaluation:my_stories")
    approve = decision == "approve"
    done = "The shorter version is approved." if approve else "The shorter version is declined."
    answer = services.story_proposal_answer
    story = act(request, lambda: answer(story=story, by=request.user, approve=approve), done=done)
    if story is not None:
        _guardian_news(request, story)
    return redirect("evaluation:my_stories")


# --- The guardian's agreement -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def story_guardian(request, token):
    """The page a minor's guardian reaches from the emailed link (no account: the link is the key):
    the story as it would be published, and yes or no. It answers once."""
    story = stories.get_story_by_guardian_token(token)
    form = GuardianAnswerForm(request.POST or None)
    answered = story.guardian_approval != GuardianApproval.PENDING
    if request.method == "POST" and not answered and form.is_valid():
        try:
            story = services.story_guardian_answer(story=story, token=token, given=form.cleaned_data["agree"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            context = {"story": story, "program": story.program, "done": True}
            return render(request, "evaluation/stories/guardian.html", context)
    context = {
        "story": story,
        "program": story.program,
        "form": form,
        "answered": answered,
        "shown_text": stories.shown_text(story),
        "byline": stories.byline(story),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluation/stories/guardian.html", context, status=status)


# --- Coordinators' curation ---------------------------------------------------------------------------


@login_required
@require_safe
def stories_manage(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    found = stories.program_stories(program)
    for story in found:
        story.state = stories.story_state(story)
    return render(request, "evaluation/stories/manage.html", {"program": program, "stories": found})


@login_required
@require_http_methods(["GET", "POST"])
def story_propose(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    story = stories.get_program_story_for(request.user, program, pk)
    if story.withdrawn_at:
        raise Http404("This story was withdrawn.")
    form = ProposeEditForm(
        request.POST or None, initial={"text": story.proposed_text or stories.shown_text(story)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.story_propose_edit(story=story, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "The shorter version is proposed: the author is emailed to approve it.")
            return redirect("evaluation:stories_manage", program.slug)
    context = {"program": program, "story": story, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluation/stories/propose.html", context, status=status)


@login_required
@require_POST
def story_feature(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    story = stories.get_program_story_for(request.user, program, pk)
    featured = request.POST.get("featured") == "1"
    done = "The story is featured." if featured else "The story is no longer featured."
    act(request, lambda: services.story_feature(story=story, by=request.user, featured=featured), done=done)
    return redirect(reverse("evaluation:stories_manage", args=[program.slug]) + f"#story-{story.pk}")


# --- The public page ------------------------------------------------------------------------------------


@require_safe
def stories_public(request, slug):
    program = get_program_for(request.user, slug)
    shown = stories.published_stories(program, limit=PUBLIC_SHOWN)
    return render(request, "evaluation/stories/public.html", {"program": program, "stories": shown})


urlpatterns = [
    path("applications/<int:pk>/story/", story_new, name="story_new"),
    path("stories/", my_stories, name="my_stories"),
    path("stories/<int:pk>/edit/", story_edit, name="story_edit"),
    path("stories/<int:pk>/withdraw/", story_withdraw, name="story_withdraw"),
    path("stories/<int:pk>/proposal/", story_proposal, name="story_proposal"),
    path("stories/guardian/<uuid:token>/", story_guardian, name="story_guardian"),
    path("programs/<slug:slug>/stories/", stories_public, name="stories_public"),
    path("programs/<slug:slug>/stories/manage/", stories_manage, name="stories_manage"),
    path("programs/<slug:slug>/stories/<int:pk>/propose/", story_propose, name="story_propose"),
    path("programs/<slug:slug>/stories/<int:pk>/feature/", story_feature, name="story_feature"),
]
