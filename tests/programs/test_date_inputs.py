"""Date fields render in the form a browser's date picker reads (2026-11-25), whatever the
site's locale: a localised value (25/11/2026) shows as an empty field, and saving then fails."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests import scenarios

pytestmark = pytest.mark.django_db

DATE_INPUT = re.compile(r'<input type="date"[^>]*>')


def test_a_fixed_date_programs_settings_show_its_dates_to_the_date_picker(client):
    lead = scenarios.coordinator(email="lead@dates.test", display_name="Lee")
    program = scenarios.program(coordinator=lead, name="Fixed Dates")
    program.is_rolling, program.start_date, program.end_date = (
        False,
        dt.date(2027, 1, 15),
        dt.date(2027, 7, 1),
    )
    program.save()
    client.force_login(lead)
    page = client.get(reverse("programs:settings", args=[program.slug])).text
    inputs = DATE_INPUT.findall(page)
    assert any('value="2027-01-15"' in tag for tag in inputs), inputs
    assert any('value="2027-07-01"' in tag for tag in inputs), inputs
    assert not any("/" in value for value in re.findall(r'value="([^"]*)"', " ".join(inputs)))


def test_the_profiles_date_of_birth_is_shown_to_the_date_picker(client):
    user = scenarios.person(email="teen@dates.test", profile={"date_of_birth": dt.date(2010, 3, 9)})
    client.force_login(user)
    page = client.get(reverse("profile")).text
    assert 'value="2010-03-09"' in " ".join(DATE_INPUT.findall(page))
