"""The resource library: a program's library, a resource and its file, the coordinators' form,
delete and copy, and a guardian's resources (by their link). Who sees what: programs/resources.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from mentorship.web import form_errors, message_error
from programs import resources
from programs.access import can_manage, get_current_consent_by_manage_token, get_program_for
from programs.models import ResourceTopic
from programs.resource_forms import CopyForm, LibrarySearchForm, ResourceForm
from programs.uploads import BY_CONTENT_TYPE, PDF


def _posted(request):
    """The form's data on a POST (an empty one too: it is invalid, not a fresh form)."""
    return request.POST if request.method == "POST" else None


def _library_url(program):
    return reverse("programs:library", args=[program.slug])


def library(request, slug):
    program = get_program_for(request.user, slug)
    manages = can_manage(request.user, program)
    form = LibrarySearchForm(request.GET or None)
    topic = q = None
    if form.is_bound and form.is_valid():
        topic, q = form.cleaned_data["topic"] or None, form.cleaned_data["q"]
    found = resources.resources_for(request.user, program, topic=topic, q=q) if not form.errors else []
    groups = {}
    for resource in resources.labelled(found):
        resource.editable = manages and (resource.program_id is not None or request.user.is_staff)
        groups.setdefault(resource.topic, []).append(resource)
    context = {
        "program": program,
        "form": form,
        "groups": [(ResourceTopic(topic).label, items) for topic, items in groups.items()],
        "searching": bool(topic or q),
        "manages": manages,
    }
    return render(request, "programs/resources/library.html", context, status=400 if form.errors else 200)


def _visible(request, program, pk):
    """The resource if the user may see it, else None."""
    return resources.resources_for(request.user, program).filter(pk=pk).first()


def _refused(request):
    """Someone not signed in is asked to sign in (a mentor following a link); anyone else: 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404("No such resource.")


def resource_detail(request, slug, pk):
    program = get_program_for(request.user, slug)
    resource = _visible(request, program, pk)
    if resource is None:
        return _refused(request)
    resources.labelled([resource])
    context = {
        "program": program,
        "resource": resource,
        "file_url": reverse("programs:resource_file", args=[program.slug, resource.pk]),
        "editable": can_manage(request.user, program) and resources.can_edit(request.user, resource),
        "back_url": _library_url(program),
    }
    return render(request, "programs/resources/resource_detail.html", context)


def _send_file(resource):
    """The file's bytes with headers that keep a browser from running it: its checked type,
    nosniff, attachment (inline for PDFs and images), never cached."""
    stored = resources.file_bytes(resource)
    known = BY_CONTENT_TYPE.get(stored.content_type)
    content_type = known.content_type if known else "application/octet-stream"
    response = HttpResponse(bytes(stored.data), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    inline = known is not None and (known is PDF or known.is_image)
    response["Content-Disposition"] = content_disposition_header(not inline, stored.name)
    response["Cache-Control"] = "private, no-store"
    return response


def resource_file(request, slug, pk):
    program = get_program_for(request.user, slug)
    resource = _visible(request, program, pk)
    if resource is None:
        return _refused(request)
    return _send_file(resource)


def _form_page(request, program, form, resource=None):
    context = {"program": program, "form": form, "resource": resource}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "programs/resources/resource_form.html", context, status=status)


def _save(request, form, write):
    """Run the service; its refusal goes onto the form (a failed upload too). The resource, or None."""
    try:
        return write(**form.service_fields())
    except ValidationError as error:
        form_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request, slug):
    program = get_program_for(request.user, slug, manage=True)
    form = ResourceForm(_posted(request), request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        resource = _save(
            request, form, lambda **data: resources.resource_create(program=program, by=request.user, **data)
        )
        if resource is not None:
            messages.success(request, f"“{resource.title}” is in the library.")
            return redirect("programs:resource", slug=program.slug, pk=resource.pk)
    return _form_page(request, program, form)


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    resource = resources.get_editable_resource(request.user, program, pk)
    form = ResourceForm(
        _posted(request),
        request.FILES or None,
        user=request.user,
        resource=resource,
        initial=ResourceForm.initial_for(resource),
    )
    if request.method == "POST" and form.is_valid():

        def write(**data):
            return resources.resource_update(resource=resource, program=program, by=request.user, **data)

        if _save(request, form, write) is not None:
            messages.success(request, f"“{resource.title}” is saved.")
            return redirect("programs:resource", slug=program.slug, pk=resource.pk)
    return _form_page(request, program, form, resource)


@login_required
@require_POST
def resource_delete(request, slug, pk):
    program = get_program_for(request.user, slug, manage=True)
    resource = resources.get_editable_resource(request.user, program, pk)
    try:
        resources.resource_delete(resource=resource, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        message_error(request, error)
        return redirect("programs:resource", slug=program.slug, pk=resource.pk)
    messages.success(request, f"“{resource.title}” is deleted.")
    return redirect(_library_url(program))


@login_required
@require_http_methods(["GET", "POST"])
def resource_copy(request, slug):
    """Copy resources from the other programs the user runs (staff: any other program)."""
    program = get_program_for(request.user, slug, manage=True)
    candidates = resources.labelled(resources.copy_candidates(request.user, program))
    if request.method == "POST":
        offered = {str(r.pk) for r in candidates}
        if any(value.isdigit() and value not in offered for value in request.POST.getlist("resources")):
            raise Http404("No such resource to copy.")
    form = CopyForm(_posted(request), candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            copies = resources.resources_copy(program=program, resources=form.chosen(), by=request.user)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error)
        else:
            n = len(copies)
            messages.success(request, f"{n} resource{'s' if n != 1 else ''} copied into {program.name}.")
            return redirect(_library_url(program))
    groups = {}
    for resource in candidates:
        groups.setdefault(resource.program, []).append(resource)
    context = {"program": program, "form": form, "groups": list(groups.items())}
    status = 400 if form.errors else 200
    return render(request, "programs/resources/resource_copy.html", context, status=status)


# --- A guardian's resources (the link in every guardian email is the key) -------------------------


@never_cache
def guardian_resource(request, token, pk):
    consent = get_current_consent_by_manage_token(token)
    resource = resources.get_guardian_resource(consent, pk)
    resources.labelled([resource])
    context = {
        "program": consent.enrollment.program,
        "resource": resource,
        "file_url": reverse("programs:guardian_resource_file", args=[token, resource.pk]),
        "back_url": reverse("programs:guardian", args=[token]),
        "editable": False,
        "guardian": True,
    }
    return render(request, "programs/resources/resource_detail.html", context)


def guardian_resource_file(request, token, pk):
    consent = get_current_consent_by_manage_token(token)
    return _send_file(resources.get_guardian_resource(consent, pk))
