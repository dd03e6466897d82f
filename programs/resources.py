"""The resource library: who sees which resource (the ONE rule, ``audiences_for``), the lists and
places that show them, and every write (create, update, delete, copy from another program).

Who sees a resource of program P (or of no program: staff published it to every program):

- public: anyone, signed in or not, while P's public pages are visible (P is not a draft);
- program: P's coordinators, staff, and anyone with an open application in P (approved included);
- mentors / mentees: those with an open application in P in that role (and coordinators, staff);
- guardians: coordinators and staff, and the guardian holding a current link of a mentee of P,
  unless they refused or withdrew their consent (``resources_for_guardian``).

What someone may not see answers 404. Lists never load a file's bytes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404

from mentorship.services import audit_record
from programs.access import can_manage, guardian_said_no
from programs.models import (
    OPEN_STATUSES,
    Enrollment,
    Program,
    ProgramStatus,
    Resource,
    ResourceAudience,
    ResourceKind,
    ResourceTopic,
    Role,
    StoredFile,
    TrainingPage,
)
from programs.uploads import store_upload, type_label

# Where a topic's resources are shown, besides the library (the form tells coordinators).
PLACES = {
    ResourceTopic.FIRST_MEETING: "on a new match's page, until the pair has logged a meeting",
    ResourceTopic.SAFETY: "on the match agreement, linked from “the program's safety rules”",
    ResourceTopic.GOALS: "beside the pair's goals",
    ResourceTopic.CLOSURE: "when a match is closed",
}

_ROLE_AUDIENCE = {Role.MENTOR: ResourceAudience.MENTORS, Role.MENTEE: ResourceAudience.MENTEES}
ALL_AUDIENCES = frozenset(ResourceAudience.values)
GUARDIAN_AUDIENCES = frozenset({ResourceAudience.GUARDIANS, ResourceAudience.PUBLIC})


# --- Who sees what ---------------------------------------------------------------------------------


def audiences_for(user, program):
    """The audiences of ``program``'s resources that ``user`` may see (two queries at most)."""
    if not user.is_authenticated or not can_manage(user, program):
        enrollment = None
        if user.is_authenticated:
            enrollment = Enrollment.objects.filter(program=program, user=user).only("role", "status").first()
        return audiences_given(program, manages=False, enrollment=enrollment)
    return ALL_AUDIENCES


def audiences_given(program, *, manages, enrollment=None):
    """The same rule, for a page that knows already whether the user manages ``program`` and
    their enrollment in it (one per program; None if none)."""
    if manages:
        return ALL_AUDIENCES
    if program.status == ProgramStatus.DRAFT:
        return frozenset()
    seen = {ResourceAudience.PUBLIC}
    if enrollment is not None and enrollment.status in OPEN_STATUSES:
        seen |= {ResourceAudience.PROGRAM, _ROLE_AUDIENCE[enrollment.role]}
    return frozenset(seen)


def _listed(queryset):
    """Resources with their file's name, type and size, never its bytes."""
    return queryset.select_related("file").defer("file__data")


def _in_program(program):
    return Q(program=program) | Q(program__isnull=True)


def _search(queryset, topic=None, q=None):
    if topic:
        queryset = queryset.filter(topic=topic)
    for word in (q or "").split()[:8]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    return queryset


def resources_for(user, program, topic=None, q=None, *, audiences=None):
    """The resources of ``program`` (and those for every program) that ``user`` may see, in a
    constant number of queries; ``topic`` and ``q`` (words, each in the title, summary or body,
    any case) narrow them."""
    audiences = audiences_for(user, program) if audiences is None else audiences
    resources = Resource.objects.filter(_in_program(program), audience__in=audiences)
    return _listed(_search(resources, topic, q))


def labelled(items):
    """``items`` as a list, each file resource with ``type_label`` ("PDF") for the templates."""
    items = list(items)
    for resource in items:
        resource.type_label = type_label(resource.file.content_type) if resource.file_id else ""
    return items


def get_resource_for(user, program, pk):
    """A resource ``user`` may see in ``program``'s library (with its file's facts, not bytes)."""
    found = resources_for(user, program).filter(pk=pk).first()
    if found is None:
        raise Http404("No such resource.")
    return found


def resources_for_guardian(consent):
    """What the guardian holding ``consent``'s current link sees: the public and guardians'
    resources of the mentee's program (the caller loaded the consent by its current link); none
    once the guardian refused or withdrew their consent."""
    if guardian_said_no(consent):
        return Resource.objects.none()
    program = consent.enrollment.program
    return _listed(Resource.objects.filter(_in_program(program), audience__in=GUARDIAN_AUDIENCES))


def get_guardian_resource(consent, pk):
    found = resources_for_guardian(consent).filter(pk=pk).first()
    if found is None:
        raise Http404("No such resource.")
    return found


def public_resources(program):
    """The public page's list: public resources, while the program's public pages are visible."""
    if program.status == ProgramStatus.DRAFT:
        return Resource.objects.none()
    return _listed(Resource.objects.filter(_in_program(program), audience=ResourceAudience.PUBLIC))


def placed(user, program, *topics, audiences=None):
    """{topic: [resources]} for the places that show ``topics`` (PLACES), in one query (two more
    to know who the user is in the program, unless ``audiences_given`` says it)."""
    found = {topic: [] for topic in topics}
    for resource in resources_for(user, program, audiences=audiences).filter(topic__in=topics):
        found[resource.topic].append(resource)
    return found


def placed_at(user, program, topic, audiences=None):
    """The resources of one place (``topic``'s), as a list."""
    return placed(user, program, topic, audiences=audiences)[topic]


def file_bytes(resource):
    """The stored file of a file resource the caller may send (bytes loaded here only)."""
    if resource.kind != ResourceKind.FILE or resource.file_id is None:
        raise Http404("This resource has no file.")
    return StoredFile.objects.get(pk=resource.file_id)


# --- Who changes what ------------------------------------------------------------------------------


def can_edit(user, resource):
    """A program's resource: its coordinators and staff; one for every program: staff alone."""
    if resource.program_id is None:
        return user.is_authenticated and user.is_staff
    return can_manage(user, resource.program)


def get_editable_resource(user, program, pk):
    """A resource of ``program`` (or, for staff, of every program) that ``user`` may change."""
    resource = _listed(Resource.objects.filter(_in_program(program), pk=pk)).select_related("program").first()
    if resource is None or not can_manage(user, program) or not can_edit(user, resource):
        raise Http404("No such resource.")
    return resource


def copy_candidates(user, program):
    """Resources of the other programs ``user`` coordinates (staff: every other program) that may
    be copied into ``program``."""
    others = Program.objects.exclude(pk=program.pk)
    if not user.is_staff:
        others = others.filter(coordinators=user)
    resources = Resource.objects.filter(program__in=others).select_related("program")
    return _listed(resources).order_by("program__name", "topic", "title", "id")


_FIELDS = ("title", "summary", "topic", "audience", "kind", "body", "url")


def _release_file(stored_file_id, *, keep=None):
    """Delete a stored file nothing uses any more (a copy may share it; a training page may show it)."""
    if stored_file_id is None:
        return
    users = Resource.objects.filter(file_id=stored_file_id)
    if keep is not None:
        users = users.exclude(pk=keep.pk)
    if not users.exists() and not TrainingPage.objects.filter(image_id=stored_file_id).exists():
        StoredFile.objects.filter(pk=stored_file_id).delete()


def _apply(resource, fields, upload, by):
    for name in _FIELDS:
        if name in fields:
            setattr(resource, name, fields[name] or "")
    old_file = resource.file_id
    if resource.kind == ResourceKind.FILE:
        if upload is not None:
            resource.file = store_upload(upload, by=by)
        if resource.file_id is None:
            raise ValidationError({"upload": "Choose the file to upload."})
        resource.url = ""
    else:
        resource.file = None
        if resource.kind == ResourceKind.LINK and not resource.url:
            raise ValidationError({"url": "Give the link's address."})
        if resource.kind == ResourceKind.PAGE and not resource.body.strip():
            raise ValidationError({"body": "Write the page."})
    return old_file


@transaction.atomic
def resource_create(*, program, by, every_program=False, upload=None, **fields):
    """A new resource of ``program``; ``every_program`` (staff only) publishes it to every program."""
    if not can_manage(by, program):
        raise PermissionDenied("Only the program's coordinators add its resources.")
    if every_program and not by.is_staff:
        raise PermissionDenied("Only staff publish to every program.")
    resource = Resource(program=None if every_program else program, created_by=by)
    _apply(resource, fields, upload, by)
    resource.save()
    where = "every program" if every_program else program.name
    audit_record(actor=by, action="resource.created", target=resource, summary=f"{resource.title} ({where})")
    return resource


@transaction.atomic
def resource_update(*, resource, program, by, every_program=None, upload=None, **fields):
    """Change a resource; staff may move it between ``program`` and every program."""
    if not can_edit(by, resource):
        raise PermissionDenied("You cannot change this resource.")
    if every_program is not None and by.is_staff:
        resource.program = None if every_program else program
    old_file = _apply(resource, fields, upload, by)
    resource.save()
    if old_file != resource.file_id:
        _release_file(old_file, keep=resource)
    audit_record(actor=by, action="resource.updated", target=resource, summary=resource.title)
    return resource


@transaction.atomic
def resource_delete(*, resource, by):
    """Delete a resource; its file goes too unless a copy (or a training page) still uses it."""
    if not can_edit(by, resource):
        raise PermissionDenied("You cannot delete this resource.")
    audit_record(actor=by, action="resource.deleted", target=resource, summary=resource.title)
    file_id = resource.file_id
    resource.delete()
    _release_file(file_id)


@transaction.atomic
def resources_copy(*, program, resources, by):
    """Copy ``resources`` (of other programs ``by`` runs) into ``program``: new rows, sharing the
    stored file (deleting one copy keeps the file for the other). Returns the copies."""
    allowed = (
        set(copy_candidates(by, program).values_list("pk", flat=True)) if can_manage(by, program) else set()
    )
    if not resources:
        raise ValidationError("Choose at least one resource to copy.")
    if any(resource.pk not in allowed for resource in resources):
        raise PermissionDenied("You can copy only from programs you run.")
    copies = []
    for source in resources:
        copy = Resource.objects.create(
            program=program,
            copied_from=source,
            created_by=by,
            file_id=source.file_id,
            **{name: getattr(source, name) for name in _FIELDS},
        )
        audit_record(
            actor=by,
            action="resource.copied",
            target=copy,
            summary=f"{copy.title}, from {source.program.name if source.program else 'every program'}",
        )
        copies.append(copy)
    return copies
