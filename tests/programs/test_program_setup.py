"""Setting a program up: the create form explains itself, ignores the dates of a rolling program,
takes the checklist, questions and areas, starts from a template or a copy of a program; the
settings page's forms have their own prefixes and a refused save is summed up at the top."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from programs import areas as area_services
from programs import services
from programs.models import BACKGROUND_CHECK, Enrollment, Program, ProgramStatus
from programs.presets import program_copy_initial
from programs.setup_forms import ProgramCreateForm, ProgramForm
from tests import scenarios

pytestmark = pytest.mark.django_db

CREATE = reverse("programs:create")


def form_data(form):
    """What a browser posts for ``form`` as it is shown (ticked boxes "on", the rest as text)."""
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        if value is True:
            data[name] = "on"
        elif value is not None and value is not False and value != "":
            data[name] = value.value if hasattr(value, "value") else value
    return data


def create_data(**overrides):
    return {**form_data(ProgramCreateForm()), "name": "Westside Mentoring", "description": "For Westside.",
            **overrides}  # fmt: skip


def ids(html):
    return Counter(re.findall(r'\sid="([^"]+)"', html))


# --- The create form explains itself ------------------------------------------------------------


def test_every_field_of_the_create_form_says_what_it_does(client, world):
    client.force_login(world.people.coordinator)
    page = client.get(CREATE).content.decode()
    form = ProgramCreateForm()
    for name, field in form.fields.items():
        assert field.help_text, f"{name} has no help text"
        assert f'id="id_{name}_helptext"' in page, f"{name}'s help is not on the page"
    assert "14 (every two weeks) suits most programs" in page
    assert "Only the proportions matter: 0 ignores a criterion, 10 counts it most" in page
    assert "Weight: goals and skills" in page


def test_the_format_is_asked_with_its_three_choices_and_its_sizes_keep_their_defaults(client, world):
    client.force_login(world.people.coordinator)
    page = client.get(CREATE).content.decode()
    assert 'name="format"' in page
    for label in ("One-to-one", "Group (a mentor with a cohort of mentees)", "Peer circles"):
        assert label in page
    # Sizes left out (a one-to-one program has no use for them) keep the defaults.
    data = {k: v for k, v in create_data(format="group").items() if k not in ("group_size", "circle_size")}
    response = client.post(CREATE, data)
    assert response.status_code == 302
    created = Program.objects.get(name="Westside Mentoring")
    assert (created.format, created.group_size, created.circle_size) == ("group", 8, 5)


def test_the_dates_of_a_rolling_program_are_hidden_by_script_and_ignored_by_the_server(client, world):
    client.force_login(world.people.coordinator)
    page = client.get(CREATE).content.decode()
    assert "js/program_form.js" in page and "data-rolling" in page and page.count("data-fixed-dates") == 2
    # Dates typed (one half-typed) before ticking "Rolling" change nothing and refuse nothing.
    response = client.post(
        CREATE, create_data(is_rolling="on", start_date="2026-13-45", end_date="2026-01-01")
    )
    assert response.status_code == 302
    program = Program.objects.get(name="Westside Mentoring")
    assert program.is_rolling and program.start_date is None and program.end_date is None


def test_a_fixed_dates_program_keeps_its_dates_and_refuses_an_end_before_the_start(client, world):
    client.force_login(world.people.coordinator)
    data = create_data(start_date="2027-01-10", end_date="2027-01-01")
    data.pop("is_rolling")
    response = client.post(CREATE, data)
    assert response.status_code == 200 and "The end date comes before the start date." in response.text
    data["end_date"] = "2027-12-31"
    assert client.post(CREATE, data).status_code == 302
    program = Program.objects.get(name="Westside Mentoring")
    assert (str(program.start_date), str(program.end_date)) == ("2027-01-10", "2027-12-31")


def test_the_checklist_questions_and_areas_are_set_when_creating(client, world):
    client.force_login(world.people.coordinator)
    page = client.get(CREATE).content.decode()
    assert "Background check, 730\nReferences\nInterview\nTraining\nAgreement signed</textarea>" in page
    data = create_data(
        checklist="Background check, 730\n\nFirst aid, 365\nreferences\nReferences",
        questions="Why us? (required)\nAnything else we should know?",
        areas="Old Town, 51.455, -2.592\nHarbour",
    )
    assert client.post(CREATE, data).status_code == 302
    program = Program.objects.get(name="Westside Mentoring")
    items = list(program.checklist_items.values_list("key", "name", "valid_days"))
    assert items == [(BACKGROUND_CHECK, "Background check", 730), ("first-aid", "First aid", 365),
                     ("references", "references", None)]  # fmt: skip
    assert list(program.questions.values_list("text", "required")) == [
        ("Why us?", True),
        ("Anything else we should know?", False),
    ]
    assert list(program.program_areas.values_list("name", "latitude", "longitude")) == [
        ("Old Town", 51.455, -2.592),
        ("Harbour", None, None),
    ]


@pytest.mark.parametrize(
    "field, text, message",
    [
        ("checklist", "Background check, 9999", "Line 1 (“Background check, 9999”)"),
        ("areas", "Old Town, north, west", "give the point as two numbers"),
        ("areas", "Old Town, 95, 2", "the latitude is -90 to 90"),
        ("questions", "(required)", "write the question before"),
    ],
)
def test_a_bad_line_is_refused_with_the_summary_at_the_top(client, world, field, text, message):
    client.force_login(world.people.coordinator)
    response = client.post(CREATE, create_data(**{field: text}))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert not Program.objects.filter(name="Westside Mentoring").exists()
    summary = page.index("data-error-summary")
    assert summary < page.index("<fieldset") and f'href="#id_{field}"' in page[summary:]
    assert text.split("\n")[0] in page  # what was typed is still there


# --- Templates and copies -----------------------------------------------------------------------


def test_a_template_fills_the_create_form_in(client, world):
    client.force_login(world.people.coordinator)
    page = client.get(CREATE + "?template=professional").content.decode()
    assert "filled in from the “Professional network” template" in page
    assert '<option value="adult" selected>' in page
    assert 'name="default_mentor_capacity" value="2"' in page
    assert "Agreement signed\nInduction</textarea>" in page
    assert 'name="weight_location" value="0"' in page
    youth = client.get(CREATE + "?template=youth").content.decode()
    assert '<option value="youth" selected>' in youth and "What would you like to get out of" in youth
    assert "Youth one-to-one" in client.get(CREATE).content.decode()
    assert client.get(CREATE + "?template=nonsense").status_code == 200


def test_duplicating_copies_settings_weights_checklist_questions_and_areas_not_people(client, world):
    source = world.program
    coordinator = world.people.coordinator
    services.program_update(program=source, by=coordinator, checkin_cadence_days=21, min_score=35,
                            criteria_weights={"goals": 7, "interests": 1, "availability": 2, "location": 5,
                                              "preferences": 0})  # fmt: skip
    services.checklist_item_add(program=source, name="First aid", valid_days=365)
    services.question_add(program=source, text="Why us?", required=True)
    area_services.area_add(program=source, name="Old Town", latitude=51.455, longitude=-2.592, by=coordinator)
    client.force_login(coordinator)
    settings_page = client.get(reverse("programs:settings", args=[source.slug])).content.decode()
    copy_url = f"{CREATE}?from={source.slug}"
    assert f'href="{copy_url}"' in settings_page and "Duplicate this program" in settings_page

    page = client.get(copy_url).content.decode()
    assert f"filled in from a copy of {source.name}" in page
    form = ProgramCreateForm(initial=program_copy_initial(source))
    assert client.post(CREATE, form_data(form)).status_code == 302

    copy = Program.objects.get(name=f"{source.name} (copy)")
    assert copy.pk != source.pk and copy.status == ProgramStatus.DRAFT
    assert (copy.checkin_cadence_days, copy.min_score, copy.audience) == (21, 35, source.audience)
    assert copy.criteria_weights == source.criteria_weights
    assert list(copy.checklist_items.values_list("key", "name", "valid_days")) == list(
        source.checklist_items.current().values_list("key", "name", "valid_days")
    )
    assert list(copy.questions.values_list("text", "required")) == [("Why us?", True)]
    assert list(copy.program_areas.values_list("name", "latitude", "longitude")) == [
        ("Old Town", 51.455, -2.592)
    ]
    assert not Enrollment.objects.filter(program=copy).exists()
    assert list(copy.coordinators.all()) == [coordinator]


@pytest.mark.parametrize("role", ["other_coordinator", "mentor"])
def test_nobody_copies_a_program_they_do_not_run(client, world, login_as, role):
    login_as(world, role)
    assert client.get(f"{CREATE}?from={world.program.slug}").status_code == 404


# --- The settings page: prefixes, one id each, errors summed up ---------------------------------


def test_the_settings_page_repeats_no_id_and_each_label_has_its_input(client, world):
    area_services.area_add(program=world.program, name="Old Town", by=world.people.coordinator)
    client.force_login(world.people.coordinator)
    page = client.get(reverse("programs:settings", args=[world.program.slug])).content.decode()
    repeated = [value for value, count in ids(page).items() if count > 1]
    assert repeated == []
    for prefix, name in [
        ("checklist", "name"),
        ("question", "text"),
        ("coordinator", "email"),
        ("leads", "leads"),
    ]:
        assert f'name="{prefix}-{name}"' in page
    for target in re.findall(r'<label for="([^"]+)"', page):
        assert f'id="{target}"' in page, f"a label points at {target}, which is not on the page"
    create_page = client.get(CREATE).content.decode()
    assert [value for value, count in ids(create_page).items() if count > 1] == []


def test_the_prefixed_forms_still_add_a_checklist_item_a_question_and_a_coordinator(client, world):
    client.force_login(world.people.coordinator)
    slug = world.program.slug
    client.post(reverse("programs:checklist_add", args=[slug]), {"checklist-name": "First aid",
                                                                  "checklist-valid_days": "365"})  # fmt: skip
    client.post(
        reverse("programs:question_add", args=[slug]), {"question-text": "Why us?", "question-required": "on"}
    )
    client.post(
        reverse("programs:coordinator_add", args=[slug]),
        {"coordinator-email": world.people.other_coordinator.email},
    )
    program = Program.objects.get(pk=world.program.pk)
    assert program.checklist_items.filter(name="First aid", valid_days=365).exists()
    assert program.questions.filter(text="Why us?", required=True).exists()
    assert program.coordinators.filter(pk=world.people.other_coordinator.pk).exists()


def test_a_checklist_item_called_background_check_is_the_background_check(world):
    """The minors rule reads the item by its key: taken off and added again, it must still count."""
    old = world.program.checklist_items.get(key=BACKGROUND_CHECK)
    services.checklist_item_remove(item=old, by=world.people.coordinator)
    item = services.checklist_item_add(program=world.program, name="background  check", valid_days=730)
    assert item.key == BACKGROUND_CHECK


def test_a_refused_settings_save_is_summed_up_at_the_top_with_links(client, world):
    client.force_login(world.people.coordinator)
    url = reverse("programs:settings", args=[world.program.slug])
    data = {**form_data(ProgramForm(instance=world.program)), "checkin_cadence_days": "0"}
    data.pop("is_rolling", None)
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    summary = page.index("data-error-summary")
    assert summary < page.index("<fieldset")
    assert 'href="#id_start_date"' in page[summary:] and 'href="#id_checkin_cadence_days"' in page[summary:]
    assert "Nothing is saved yet" in page


def test_a_program_made_with_the_demo_areas_has_their_points(db):
    from evaluation.demo.site import AREAS

    lead = scenarios.coordinator(email="lead@demo-areas.test")
    program = scenarios.program(coordinator=lead, areas=AREAS)
    points = list(program.program_areas.values_list("name", "latitude", "longitude"))
    assert points == [tuple(area) for area in AREAS]
