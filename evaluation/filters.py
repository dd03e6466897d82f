import django_filters
from django import forms
from django.db.models import Count, Q

from mentorship.models import User


def people():
    """Every account, with what the staff's list shows of it: profile and number of applications."""
    return (
        User.objects.select_related("profile")
        .annotate(enrollment_count=Count("enrollments"))
        .order_by("email")
    )


class PersonFilter(django_filters.FilterSet):
    """The staff's people search: every word typed is in the email, the account's name or the
    profile's name ("ann smith" finds Ann Smith, "@example.org" everyone at example.org)."""

    q = django_filters.CharFilter(
        label="Email or name",
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    class Meta:
        model = User
        fields = ["q"]

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(profile__display_name__icontains=word)
            )
        return queryset
