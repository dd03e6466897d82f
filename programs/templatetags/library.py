"""The resource library's lists on pages whose views are not the library's: the guardian's page
(the guardians' and public resources of the mentee's program) and the program's public page."""

from django import template

from programs import resources

register = template.Library()


@register.simple_tag
def guardian_resources(consent):
    """What the guardian holding ``consent``'s current link sees (the page loaded it by that link)."""
    return list(resources.resources_for_guardian(consent))


@register.simple_tag
def public_resources(program):
    return list(resources.public_resources(program))
