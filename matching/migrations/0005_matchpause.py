import django.db.models.deletion
from django.db import migrations, models

# Pauses get dates of their own (evaluation/periods.py: a check-in period with a paused day is not
# due). Before, a match kept only ``resumed_on``, the day its last pause ended, and the reminders
# counted its periods from then on. That history becomes a pause from the start to ``resumed_on``
# (the same periods stay not due), and a match paused now gets an open pause from its last resume
# (or its start): when it was paused was not recorded, so none of those periods count as missed.
BACKFILL_SQL = """
INSERT INTO matching_matchpause (match_id, started_on, ended_on)
SELECT id, LEAST(COALESCE(started_on, resumed_on), resumed_on), resumed_on
FROM matching_match WHERE resumed_on IS NOT NULL;

INSERT INTO matching_matchpause (match_id, started_on, ended_on)
SELECT id, COALESCE(GREATEST(started_on, resumed_on), CURRENT_DATE), NULL
FROM matching_match WHERE status = 'paused';
"""

UNDO_SQL = """
UPDATE matching_match m SET resumed_on = (
    SELECT MAX(ps.ended_on) FROM matching_matchpause ps WHERE ps.match_id = m.id
);
"""


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0004_run_queued_at_attempts"),
    ]

    operations = [
        migrations.CreateModel(
            name="MatchPause",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("started_on", models.DateField()),
                ("ended_on", models.DateField(blank=True, null=True)),
                (
                    "match",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="pauses", to="matching.match"
                    ),
                ),
            ],
            options={
                "ordering": ["started_on", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("ended_on__isnull", True)),
                        fields=("match",),
                        name="one_open_pause_per_match",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("ended_on__isnull", True), ("ended_on__gte", models.F("started_on")), _connector="OR"),
                        name="pause_ends_after_it_starts",
                    ),
                ],
            },
        ),
        migrations.RunSQL(BACKFILL_SQL, UNDO_SQL),
        migrations.RemoveField(
            model_name="match",
            name="resumed_on",
        ),
    ]
