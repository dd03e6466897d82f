"""Choice widgets for long lists of a program's people (thousands of mentors or mentees at city
scale): the same HTML as Django's Select and CheckboxSelectMultiple, but each option written by
one format string from one narrow query (the person's id and the parts of their display name),
instead of a model instance and a template include per option: 17,000 options cost tens of
milliseconds, not seconds.

The field keeps its queryset: validation is unchanged. The field's queryset must be of
enrollments (the label is the person's display name, as ``User.display_name`` gives it).
"""

import copy
from html import escape as _escape

from django import forms
from django.utils.safestring import mark_safe

NAME_FIELDS = ("pk", "user__profile__display_name", "user__first_name", "user__last_name", "user__email")


def _display_name(display_name, first_name, last_name, email):
    """``User.display_name`` from its parts."""
    return display_name or f"{first_name} {last_name}".strip() or email.split("@")[0]


def people_options(queryset):
    """[(enrollment id as text, escaped display name)] in the queryset's order, in one query."""
    # The standard library's escape, as Django's ``escape`` calls it, without its wrapper per call.
    return [(str(pk), _escape(_display_name(*name))) for pk, *name in queryset.values_list(*NAME_FIELDS)]


def _selected(value):
    if value is None:
        return set()
    values = value if isinstance(value, (list, tuple)) else [value]
    return {str(v) for v in values if v not in (None, "")}


class _FastChoices:
    """Render the widget around no options (Django writes the element and its attributes), then
    put the options in."""

    closing = ""

    def render(self, name, value, attrs=None, renderer=None):
        empty = copy.copy(self)
        empty.choices = []
        html = super(_FastChoices, empty).render(name, value, attrs, renderer)
        head, _, tail = str(html).rpartition(self.closing)
        iterator = self.choices
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = self.options_html(_escape(name), _selected(value), iterator, final_attrs)
        return mark_safe(f"{head}{options}{self.closing}{tail}")  # noqa: S308 (Django's and escaped text)


class PeopleSelect(_FastChoices, forms.Select):
    closing = "\n</select>"

    def options_html(self, name, selected, iterator, attrs):
        parts = []
        empty_label = getattr(iterator.field, "empty_label", None)
        if empty_label is not None:
            mark = " selected" if not selected else ""
            parts.append(f'\n  <option value=""{mark}>{_escape(str(empty_label))}</option>\n')
        for pk, label in people_options(iterator.queryset):
            mark = " selected" if pk in selected else ""
            parts.append(f'\n  <option value="{pk}"{mark}>{label}</option>\n')
        return "".join(parts)


class PeopleCheckboxes(_FastChoices, forms.CheckboxSelectMultiple):
    closing = "\n</div>"

    def options_html(self, name, selected, iterator, attrs):
        base = _escape(attrs["id"]) if attrs.get("id") else None
        parts = []
        for index, (pk, label) in enumerate(people_options(iterator.queryset)):
            mark = " checked" if pk in selected else ""
            if base:
                option_id = f"{base}_{index}"
                parts.append(
                    f'<div>\n    <label for="{option_id}"><input type="checkbox" name="{name}" '
                    f'value="{pk}" id="{option_id}"{mark}>\n {label}</label>\n\n</div>'
                )
            else:
                parts.append(
                    f'<div>\n    <label><input type="checkbox" name="{name}" value="{pk}"{mark}>\n'
                    f" {label}</label>\n\n</div>"
                )
        return "".join(parts)
