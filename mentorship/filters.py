import django_filters
from django.apps import apps

from mentorship.forms import DateInput
from mentorship.models import AuditEntry

PROJECT_APPS = ("mentorship", "programs", "matching", "evaluation")


def _kinds():
    # The project's models by label ("programs.enrollment"), so the list stays right as apps add
    # models; the rows store the same label (audit_record uses target._meta.label_lower).
    models = (m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS)
    return sorted(
        ((m._meta.label_lower, m._meta.verbose_name.capitalize()) for m in models), key=lambda c: c[1]
    )


def _actions():
    return sorted(AuditEntry.LABELS.items(), key=lambda item: item[1])


class AuditFilter(django_filters.FilterSet):
    """The staff audit page: who (the actor's email), what kind of record and which, the action,
    and a range of days (inclusive, in the site's time zone)."""

    person = django_filters.CharFilter(
        label="Person (email)", field_name="actor__email", lookup_expr="icontains"
    )
    target_type = django_filters.ChoiceFilter(label="Kind of record", choices=_kinds, empty_label="Any")
    target_id = django_filters.NumberFilter(label="Record number", min_value=1)
    action = django_filters.ChoiceFilter(choices=_actions, empty_label="Any action")
    date_from = django_filters.DateFilter(
        label="From", field_name="at", lookup_expr="date__gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label="To", field_name="at", lookup_expr="date__lte", widget=DateInput()
    )

    class Meta:
        model = AuditEntry
        fields = ["person", "target_type", "target_id", "action", "date_from", "date_to"]
