"""A person's own profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mentorship.forms import ProfileForm
from mentorship.models import Language, Profile, Tag


@login_required
@require_http_methods(["GET", "POST"])
@never_cache  # date of birth and phone: not for shared caches or the back button of a shared computer
def profile_edit(request):
    """A person edits their own profile; there is no URL for anybody else's."""
    profile = Profile.objects.prefetch_related("languages", "interests", "skills", "goals").get(
        user=request.user
    )
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    else:
        form = ProfileForm(instance=profile)
    context = {
        "form": form,
        # Suggestions for the "pick or add" fields; one vocabulary of tags across the site.
        "tag_suggestions": list(Tag.objects.values_list("name", flat=True)),
        "language_suggestions": list(Language.objects.values_list("name", flat=True)),
    }
    return render(request, "mentorship/profile_form.html", context)
