"""Template filters for showing one participant to the other: only through ``programs.limited``.

{% load limited %}
{% with profile=partner|limited_profile %}...{% endwith %}       one partner (an Enrollment)
{{ match.mentor|limited_name }}  {{ checkin.logged_by|limited_name|default:"–" }}
{% for request, profile in incoming|with_limited_profiles:"mentee" %}  a list, constant queries
"""

from django import template

from programs import limited

register = template.Library()


@register.filter
def limited_profile(enrollment):
    return limited.limited_profile(enrollment)


@register.filter
def limited_name(person):
    return limited.limited_name(person)


def _follow(item, path):
    for step in path.split(".") if path else ():
        item = item[int(step)] if step.isdigit() else getattr(item, step)
    return item


@register.filter
def with_limited_profiles(items, path=""):
    """``(item, profile)`` for each item, the profile that of the enrollment at ``path`` in the
    item ("mentee" for a request's, "0" for the first of a tuple; empty: the item itself), all
    loaded in a constant number of queries."""
    items = list(items)
    profiles = limited.limited_profiles([_follow(item, path) for item in items])
    return list(zip(items, profiles, strict=True))
