"""A person's own profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mentorship.forms import ProfileForm
from mentorship.models import Language, Profile, Tag
from mentorship.steps import next_step_for
from mentorship.web import redirect_next, safe_next


@login_required
@require_http_methods(["GET", "POST"])
@never_cache  # date of birth and phone: not for shared caches or the back button of a shared computer
def profile_edit(request):
    """A person edits their own profile; there is no URL for anybody else's."""
    profile = Profile.objects.prefetch_related("languages", "interests", "skills", "goals").get(
        user=request.user
    )
    profile.user = request.user  # loaded already; the form asks it whether they are staff
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            return _lead_on(request)
    else:
        form = ProfileForm(instance=profile)
    context = {
        "form": form,
        "next": _safe_next(request),
        # Suggestions for the "pick or add" fields; one vocabulary of tags across the site.
        "tag_suggestions": list(Tag.objects.values_list("name", flat=True)),
        "language_suggestions": list(Language.objects.values_list("name", flat=True)),
    }
    return render(request, "mentorship/profile_form.html", context)


def _safe_next(request):
    """The page the person came from to edit their profile (an application, an invitation), to
    go back to once it is saved; empty unless it is a page of this site."""
    return safe_next(request) or ""


def _lead_on(request):
    """After saving: back to where the person came from (an application, an invitation), else on
    to their next step (the dashboard's checklist: apply, accept an invitation, ...), else here."""
    if safe_next(request):
        messages.success(request, "Your profile is saved.")
        return redirect_next(request, "profile")
    step = next_step_for(request.user)
    if step is None or step.url == reverse("profile"):
        # Nothing for them to do next, or the profile itself still lacks something.
        note = f" {step.note}" if step is not None and step.note else ""
        messages.success(request, f"Your profile is saved.{note}")
        return redirect("profile")
    messages.success(request, f"Your profile is saved. Next: {step.todo}.")
    return redirect(step.url)
