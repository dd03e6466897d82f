"""Staff's pages about one person: find them, see what the site holds about them, download all of
it (evaluation.personal_data), and erase them on request (evaluation.retention.person_erase, with a
preview first).

Staff only: anyone else gets 404 (coordinators too: they see people through their programs), so
the pages do not show they exist. Viewing a minor's page and downloading anyone's data each leave
an audit row; erasing leaves one through the service.

Erasing needs no one-time form token: a second POST finds the person erased already and only says
so (the service's own guard), and the confirmation asks for the email address the first POST
replaced.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from evaluation import personal_data, retention
from evaluation.access import get_person_for
from evaluation.filters import PersonFilter, people
from evaluation.forms import EraseForm
from matching.models import Match
from matching.selectors import in_pair
from mentorship.access import require_staff
from mentorship.models import AgeBand
from mentorship.services import audit_record
from programs.limited import limited_first_name
from programs.models import Enrollment

PAGE_SIZE = 50


@require_safe
@login_required
def person_search(request):
    require_staff(request.user)
    person_filter = PersonFilter(request.GET or None, queryset=people())
    searched = person_filter.is_bound and person_filter.is_valid() and person_filter.form.cleaned_data["q"]
    page = Paginator(person_filter.qs, PAGE_SIZE).get_page(request.GET.get("page")) if searched else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluation/people_search.html",
        {"filter": person_filter, "page": page, "query": query.urlencode()},
    )


def _matches(person):
    """The person's matches, each with their side and their partner's first name (all a partner
    shows of the other anywhere)."""
    matches = (
        Match.objects.filter(in_pair(person))
        .select_related("program", "mentee__user__profile", "mentor__user__profile")
        .order_by("-proposed_at", "-pk")
    )
    rows = []
    for match in matches:
        rows.append(
            {
                "match": match,
                "role": match.role_of(person),
                "partner": limited_first_name(match.partner_of(person)),
            }
        )
    return rows


@require_safe
@login_required
def person_detail(request, pk):
    person = get_person_for(request.user, pk)
    profile = person.profile
    if profile.is_minor() and person.pk != request.user.pk:
        # In autocommit: if the row cannot be written, the page is not shown.
        audit_record(actor=request.user, action="person.viewed", target=person, request=request)
    age_band = profile.age_band
    context = {
        "person": person,
        "profile": profile,
        "age_band": AgeBand(age_band).label if age_band else "",
        "minor": profile.is_minor(),
        "anonymised": retention.is_anonymised(person),
        "coordinates": person.coordinated_programs.order_by("name"),
        "leads": person.safeguarding_programs.order_by("name"),
        "groups": person.groups.order_by("name"),
        "enrollments": Enrollment.objects.filter(user=person)
        .select_related("program")
        .order_by("-created_at"),
        "matches": _matches(person),
        "holds": person.retention_holds.select_related("set_by__profile"),
    }
    return render(request, "evaluation/person_detail.html", context)


@require_safe
@login_required
def person_download(request, pk):
    """Everything about the person, as a zip. Built first, then recorded: there is no file without
    its audit row (if the row cannot be written, the request fails)."""
    person = get_person_for(request.user, pk)
    content = personal_data.person_data_zip(person)
    audit_record(
        actor=request.user, action="person.data_exported", target=person, summary="zip", request=request
    )
    response = HttpResponse(content, content_type="application/zip")
    name = f"person-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = content_disposition_header(True, name)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def person_erase(request, pk):
    """GET: the preview (what goes, what stays anonymised, what safeguarding keeps, or why it would
    be refused). POST: erase, once the email address is typed."""
    person = get_person_for(request.user, pk)
    if retention.is_anonymised(person):
        messages.info(request, f"Person #{person.pk} is erased already.")
        return redirect("evaluation:person", pk=person.pk)
    form = EraseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            retention.person_erase(user=person, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # No name in the message: it rides in the session, which the erasure does not reach.
            messages.success(request, f"Person #{person.pk} is erased: what stays is anonymised.")
            return redirect("evaluation:person", pk=person.pk)
    context = {"person": person, "preview": retention.erasure_preview(person), "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluation/person_erase.html", context, status=status)


urlpatterns = [
    path("staff/people/", person_search, name="people"),
    path("staff/people/<int:pk>/", person_detail, name="person"),
    path("staff/people/<int:pk>/data.zip", person_download, name="person_data"),
    path("staff/people/<int:pk>/erase/", person_erase, name="person_erase"),
]
