"""Who may load what, for the site app's own pages; the apps above use ``require_staff`` too."""

from django.http import Http404


def require_staff(user):
    """Staff pages answer 404 to everyone else, whether or not what they asked for exists."""
    if not user.is_staff:
        raise Http404("No such page.")
