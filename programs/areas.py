"""Every write about a program's areas: the coordinators' list (add, rename or move, remove) and a
participant's choice of area, which is also the name their profile shows."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship.models import Profile
from mentorship.services import audit_record
from programs.models import Area, Enrollment


def _check_area_name(program, name, *, besides=None):
    taken = program.program_areas.filter(name__iexact=name)
    if besides is not None:
        taken = taken.exclude(pk=besides.pk)
    if taken.exists():
        raise ValidationError(f"The program already has an area called “{name}”.")


@transaction.atomic
def area_add(*, program, name, latitude=None, longitude=None, by):
    name = " ".join(name.split())
    _check_area_name(program, name)
    area = Area(program=program, name=name, latitude=latitude, longitude=longitude)
    area.order = program.program_areas.count()
    area.full_clean()
    area.save()
    if by is not None:
        audit_record(actor=by, action="area.added", target=program, summary=name)
    return area


@transaction.atomic
def area_update(*, area, name, latitude=None, longitude=None, by):
    """Rename an area or move its point. The people who chose it keep it under its new name."""
    name = " ".join(name.split())
    _check_area_name(area.program, name, besides=area)
    # From the database: a bound form may have changed the instance already.
    old_name = Area.objects.values_list("name", flat=True).get(pk=area.pk)
    area.name, area.latitude, area.longitude = name, latitude, longitude
    area.full_clean()
    area.save()
    if name != old_name:
        Enrollment.objects.filter(program=area.program, area_name=old_name).update(area_name=name)
    audit_record(actor=by, action="area.updated", target=area.program, summary=f"{old_name} → {name}")
    return area


@transaction.atomic
def area_remove(*, area, by):
    """Take an area off the list: the people who chose it show no area until they choose another."""
    Enrollment.objects.filter(program=area.program, area_name=area.name).update(area_name="")
    audit_record(actor=by, action="area.removed", target=area.program, summary=area.name)
    area.delete()


def profile_show_area(user, area_name, *, old_name=""):
    """The profile's area is the name of the program area the person chose last (shown to them and
    to coordinators); matching reads the area's point itself (``participant_location``)."""
    profiles = Profile.objects.filter(user=user)
    if not area_name:
        profiles, area_name = profiles.filter(area=old_name) if old_name else profiles.none(), ""
    profiles.update(area=area_name, updated_at=timezone.now())


def check_area(program, area_name):
    if area_name and area_name not in (program.areas or []):
        raise ValidationError(f"“{area_name}” is not one of this program's areas: choose one from the list.")
