"""URLs: events (included by programs/urls.py, in the "programs" namespace). The coordinators'
pages are programs/views/events.py; the event's own page, replies, feedback and the public list
are programs/views/event_pages.py."""

from django.urls import path

from programs.views import event_pages as pages
from programs.views import events as manage

EVENT = "events/<int:pk>/"

urlpatterns = [
    path("programs/<slug:slug>/events/", manage.event_list, name="events"),
    path("programs/<slug:slug>/events/new/", manage.event_new, name="event_new"),
    path("programs/<slug:slug>/events/public/", pages.public_events, name="public_events"),
    path(EVENT, pages.event_detail, name="event"),
    path(EVENT + "edit/", manage.event_edit, name="event_edit"),
    path(EVENT + "publish/", manage.event_publish, name="event_publish"),
    path(EVENT + "cancel/", manage.event_cancel, name="event_cancel"),
    path(EVENT + "attendance/", manage.event_attendance, name="event_attendance"),
    path(EVENT + "rsvp/", pages.event_rsvp, name="event_rsvp"),
    path(EVENT + "rsvp/cancel/", pages.event_rsvp_cancel, name="event_rsvp_cancel"),
    path(EVENT + "event.ics", pages.event_ics, name="event_ics"),
    path("events/feedback/<slug:token>/", pages.event_feedback, name="event_feedback"),
]
