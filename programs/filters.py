import django_filters
from django import forms
from django.db.models import Q

from programs.models import Enrollment, EnrollmentStatus, Partner, Role
from programs.selectors import BLOCKED_BY

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


def _yes_no(queryset, field, value):
    if value == "yes":
        return queryset.filter(**{field: True})
    if value == "no":
        return queryset.filter(**{field: False})
    return queryset


class ApplicantFilter(django_filters.FilterSet):
    """The coordinator's applicant list. The queryset comes annotated from selectors.applicants."""

    q = django_filters.CharFilter(
        label="Search name or email", method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, empty_label="Any role")
    status = django_filters.ChoiceFilter(choices=EnrollmentStatus.choices, empty_label="Any status")
    screening = django_filters.ChoiceFilter(
        label="Screening complete", choices=YES_NO[1:], empty_label="Any", method="filter_screening"
    )
    minor = django_filters.ChoiceFilter(
        label="Under 18", choices=YES_NO[1:], empty_label="Any", method="filter_minor"
    )
    blocked_by = django_filters.ChoiceFilter(
        label="Blocked from matching by",
        choices=[*BLOCKED_BY.items(), ("nothing", "nothing: ready to match")],
        empty_label="Any",
        method="filter_blocked_by",
    )
    partner = django_filters.ChoiceFilter(label="Brought by partner", choices=[], empty_label="Any partner")

    class Meta:
        model = Enrollment
        fields = ["q", "role", "status", "screening", "minor", "blocked_by", "partner"]

    def __init__(self, *args, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The program's partners (archived ones too: their people keep the tag), in one query; none,
        # no filter.
        choices = list(Partner.objects.filter(program=program).values_list("pk", "name")) if program else []
        if choices:
            self.filters["partner"].extra["choices"] = [(str(pk), name) for pk, name in choices]
        else:
            del self.filters["partner"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__email__icontains=value)
            | Q(user__profile__display_name__icontains=value)
            | Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
        )

    def filter_screening(self, queryset, name, value):
        return _yes_no(queryset, "screening_complete", value)

    def filter_minor(self, queryset, name, value):
        return _yes_no(queryset, "is_minor", value)

    def filter_blocked_by(self, queryset, name, value):
        return queryset.blocked_by(value) if value else queryset
