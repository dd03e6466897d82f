"""Forms of the coordinators' group pages (matching/views/group_matching.py)."""

from django import forms

from matching.models import Group, GroupKind, GroupMember
from mentorship.fast_choices import PeopleCheckboxes, PeopleSelect
from programs.models import Enrollment, EnrollmentStatus, Format, Role


class PersonChoice(forms.ModelChoiceField):
    widget = PeopleSelect  # a program's people: thousands at city scale (mentorship/fast_choices.py)

    def label_from_instance(self, obj):
        return obj.user.display_name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.user.display_name


def program_mentors(program):
    return (
        Enrollment.objects.filter(program=program, role=Role.MENTOR, status=EnrollmentStatus.APPROVED)
        .select_related("user__profile")
        .order_by("user__profile__display_name", "pk")
    )


def unplaced_mentees(program):
    """The program's approved mentees who are in no group now."""
    placed = GroupMember.objects.current().members().values("enrollment_id")
    return (
        Enrollment.objects.filter(program=program, role=Role.MENTEE, status=EnrollmentStatus.APPROVED)
        .exclude(pk__in=placed)
        .select_related("user__profile")
        .order_by("user__profile__display_name", "pk")
    )


class GroupForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="E.g. “Tuesday coders” or “Circle 7”.")
    kind = forms.ChoiceField(choices=GroupKind.choices, initial=GroupKind.GROUP)
    focus = forms.CharField(
        label="What the group works on",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    capacity = forms.IntegerField(
        label="Places (mentees)",
        required=False,
        min_value=2,
        max_value=40,
        help_text="Leave it empty for the program's size.",
    )
    usual_time = forms.CharField(
        label="Usually meets",
        required=False,
        max_length=200,
        help_text="E.g. “Tuesdays 5–6.30pm, Eastside Library”.",
    )
    leaders = PeopleChoice(
        queryset=Enrollment.objects.none(),
        required=False,
        widget=PeopleCheckboxes,
        help_text="The mentor or co-mentors (a circle's facilitator). You can add one later.",
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = program_mentors(program)
        if program.format == Format.PEER_CIRCLES:
            self.fields["kind"].initial = GroupKind.CIRCLE


class PlaceForm(forms.Form):
    mentee = PersonChoice(queryset=Enrollment.objects.none(), empty_label="Choose a mentee")

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = unplaced_mentees(program)


class MoveForm(forms.Form):
    to_group = forms.ModelChoiceField(
        queryset=Group.objects.none(), label="Move to", empty_label="Choose a group"
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = (
            Group.objects.open()
            .filter(program_id=membership.group.program_id)
            .exclude(pk=membership.group_id)
        )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        max_length=200, required=False, help_text="Kept with their record, e.g. “moved away”."
    )


class LeaderForm(forms.Form):
    leader = PersonChoice(queryset=Enrollment.objects.none(), empty_label="Choose a mentor")

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        current = GroupMember.objects.current().filter(group=group).values("enrollment_id")
        self.fields["leader"].queryset = program_mentors(group.program).exclude(pk__in=current)
