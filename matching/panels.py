"""The dashboard's "My matches" panel (see settings.DASHBOARD_PANELS)."""

from matching import selectors


def my_matches(request):
    current, past = selectors.split_current_and_past(list(selectors.matches_of(request.user)))
    return {
        "template": "matching/_panel_my_matches.html",
        "current": current,
        "past": past,
        "me": request.user,
    }
