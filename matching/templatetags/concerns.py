"""{% concerns_nav program as new_concerns %}: for the program navigation (templates/_program_nav.html),
which every program page includes with only ``program`` and ``request`` in its context."""

from django import template

from matching.access import concerns_nav_for

register = template.Library()


@register.simple_tag(takes_context=True)
def concerns_nav(context, program):
    """The number of new concerns if the user sees the program's concerns (a lead, or staff), else
    None (no link)."""
    request = context.get("request")
    if request is None:
        return None
    return concerns_nav_for(request.user, program)
