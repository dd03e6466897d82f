"""A program's areas: the neighbourhoods or towns its participants choose from, each with an
approximate point for distance-based matching.

A participant never types coordinates: they pick an area when they apply (``Enrollment.area_name``),
a match partner sees only the area's name, and matching reads the area's point (see
``participant_location``, the one rule for where a participant is).
"""

import math

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower


class Area(models.Model):
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="program_areas")
    name = models.CharField(
        max_length=80,
        help_text="A neighbourhood or town, e.g. “Northside”: never a street or a postcode, as match "
        "partners see it.",
    )
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Roughly the middle of the area, in degrees (e.g. 51.455). Optional: without it the "
        "area still counts for “same area”, not for distance.",
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="In degrees, west negative (e.g. -2.592).",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                "program",
                Lower("name"),
                name="area_name_unique_in_program",
                violation_error_message="The program already has an area with this name.",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="area_point_both_or_neither",
                violation_error_message="Give both the latitude and the longitude, or neither.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_point(self):
        return self.latitude is not None and self.longitude is not None


def participant_location(*, area_name, area_points, profile_area, latitude, longitude):
    """Where a participant is, for matching in one program: ``(area key, latitude, longitude)``.

    The area they chose in this program (``area_name``, a key of ``area_points``: name -> (lat, lon)
    or None) gives the "same area" key and, when the coordinator gave it one, the point. Otherwise
    the profile's area name and coordinates (which only staff can type) stand in. Unknown
    coordinates are NaN.
    """
    key, point = profile_area, (latitude, longitude)
    if area_name and area_name in area_points:
        key = area_name
        point = area_points[area_name] or point
    lat, lon = point
    return (
        " ".join((key or "").lower().split()),
        math.nan if lat is None else lat,
        math.nan if lon is None else lon,
    )
