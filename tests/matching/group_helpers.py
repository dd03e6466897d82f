"""A group world for the group tests: Gina runs a group program; Lena leads the "Tuesday Group"
of Mia (a minor), Noah and Omar; Finn left it; Theo leads the "Thursday Group" of Pia. Olga runs
another program, Sid is staff, Stan is signed in and in nothing."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from matching import group_sessions
from matching.models import Group, GroupMember
from programs.models import Format, ProgramStatus
from tests import scenarios


@dataclass
class GroupWorld:
    program: object
    group: Group
    other_group: Group
    gina: object  # coordinator
    olga: object  # another program's coordinator
    sid: object  # staff
    stan: object  # signed in, nothing to do with it
    lena: object  # leader (enrollment)
    mia: object  # members (enrollments)
    noah: object
    omar: object
    finn: object  # a former member
    theo: object  # the other group's leader
    pia: object  # the other group's member

    def user(self, name):
        found = getattr(self, name)
        return getattr(found, "user", found)


def add(group, enrollment, role="member", **fields):
    return GroupMember.objects.create(group=group, enrollment=enrollment, role=role, **fields)


def group_world(*, domain="groups.test", audience="youth"):
    gina = scenarios.coordinator(email=f"gina@{domain}", display_name="Gina Lead")
    olga = scenarios.coordinator(email=f"olga@{domain}", display_name="Olga Other")
    program = scenarios.program(
        coordinator=gina, name="Group Mentoring", status=ProgramStatus.RUNNING, audience=audience,
        format=Format.GROUP,
    )  # fmt: skip
    scenarios.program(coordinator=olga, name="Other Program", status=ProgramStatus.RUNNING)

    def mentor(name):
        return scenarios.ready_mentor(program=program, email=f"{name}@{domain}", display_name=name.title())

    def mentee(name, **more):
        return scenarios.ready_mentee(
            program=program, email=f"{name}@{domain}", display_name=name.title(), **more
        )

    world = GroupWorld(
        program=program,
        group=Group.objects.create(program=program, name="Tuesday Group", usual_time="Tuesdays 5pm"),
        other_group=Group.objects.create(program=program, name="Thursday Group"),
        gina=gina, olga=olga,
        sid=scenarios.person(email=f"sid@{domain}", display_name="Sid", is_staff=True, is_superuser=True),
        stan=scenarios.person(email=f"stan@{domain}", display_name="Stan Stranger"),
        lena=mentor("lena"), mia=mentee("mia", minor=True), noah=mentee("noah"), omar=mentee("omar"),
        finn=mentee("finn"), theo=mentor("theo"), pia=mentee("pia"),
    )  # fmt: skip
    add(world.group, world.lena, "leader")
    for member in (world.mia, world.noah, world.omar):
        add(world.group, member)
    add(world.group, world.finn, left_on=timezone.localdate(), left_reason="Moved away")
    add(world.other_group, world.theo, "leader")
    add(world.other_group, world.pia)
    return world


def soon(days=2, hour=17):
    """An aware time ``days`` from now, at ``hour`` (local), minutes cleared."""
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def plan(world, *, when=None, by=None, **fields):
    fields = {"place": "Eastside Library", "agenda": "Introductions", **fields}
    return group_sessions.session_plan(
        group=world.group, by=by or world.lena.user, starts_at=when or soon(), duration_minutes=90, **fields
    )


def past_session(world, *, hours_ago=2):
    """A session that started ``hours_ago`` hours ago (planned earlier, then its time came)."""
    session = plan(world)
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=hours_ago)
    )
    session.refresh_from_db()
    return session
