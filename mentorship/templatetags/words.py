"""Template filters for values in plain words (see mentorship.words).

{% load words %}
{{ item.valid_days|every }}        "every 2 years"
{{ program.invitation_valid_days|duration }}   "2 weeks"
{{ profile.meeting_mode|meets }}   "in person or online"
{{ user.last_active|ago }}         "3 days ago", "never"
{{ page.body|markup }}             the site's little markup as safe HTML (mentorship.markup)
"""

from django import template

from mentorship import markup, words

register = template.Library()

register.filter("duration", words.duration)
register.filter("every", words.every)
register.filter("meets", words.meets)
register.filter("ago", words.ago)
register.filter("markup", markup.render)
register.filter("plain", markup.plain)
