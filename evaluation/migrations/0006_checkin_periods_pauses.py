from django.db import migrations

from evaluation.rollups import checkin_facts_function_sql

# Check-in periods with a paused day are not due (evaluation/periods.py, "the rule"): the rollup of
# periods stops counting them for compliance. The trigger function that says which period a
# check-in falls in and whether it counts is now built from the rule (evaluation.rollups), and a
# pause that starts, ends or moves recounts its match's periods, as a change of the match's dates or
# of the program's cadence already does. A later change of the rule installs the function again in
# a migration of its own, calling the same builder.
#
# Locking: the pause trigger holds its match FOR NO KEY UPDATE while it recounts, so it waits for
# check-ins being written (their trigger holds the match FOR SHARE), or they wait for it.
PAUSES_SQL = """
CREATE FUNCTION evaluation_pause_periods_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY[NEW.match_id];
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY[OLD.match_id];
    ELSE
        ids := ARRAY[OLD.match_id, NEW.match_id];
    END IF;
    PERFORM 1 FROM matching_match WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE;
    PERFORM evaluation_refresh_checkin_periods(ids);
    RETURN NULL;
END
$$;
CREATE TRIGGER evaluation_pause_periods
    AFTER INSERT OR DELETE OR UPDATE OF match_id, started_on, ended_on ON matching_matchpause
    FOR EACH ROW EXECUTE FUNCTION evaluation_pause_periods_trigger();
"""

DROP_PAUSES_SQL = """
DROP TRIGGER evaluation_pause_periods ON matching_matchpause;
DROP FUNCTION evaluation_pause_periods_trigger();
"""

# The periods of the matches paused before (backfilled by matching 0005), counted again.
RECOUNT_SQL = """
SELECT evaluation_refresh_checkin_periods(ARRAY(
    SELECT id FROM matching_match WHERE id IN (SELECT match_id FROM matching_matchpause)
    ORDER BY id FOR NO KEY UPDATE));
"""

# Migration 0002's function, for going back.
FACTS_0002_SQL = """
CREATE OR REPLACE FUNCTION evaluation_checkin_facts(deltas evaluation_checkin_delta[])
RETURNS TABLE (
    match_id bigint, program_id bigint, day date, sign integer, held boolean, rating integer, role text,
    period integer, ends_on date, counted boolean
) LANGUAGE sql STABLE AS $$
    SELECT f.match_id, f.program_id, f.day, f.sign, f.held, f.rating, f.role, f.period,
        f.ends_on, f.ended_on IS NULL OR f.ends_on < f.ended_on
    FROM (
        SELECT x.match_id, m.program_id, x.occurred_on AS day, x.sign, x.held, x.rating, m.ended_on,
            CASE x.logged_by_id WHEN mentee.user_id THEN 'mentee' WHEN mentor.user_id THEN 'mentor' END AS role,
            CASE WHEN x.occurred_on >= m.started_on
                THEN (x.occurred_on - m.started_on) / p.checkin_cadence_days END AS period,
            CASE WHEN x.occurred_on >= m.started_on
                THEN m.started_on + ((x.occurred_on - m.started_on) / p.checkin_cadence_days + 1)
                    * p.checkin_cadence_days - 1 END AS ends_on
        FROM unnest(deltas) x
        JOIN matching_match m ON m.id = x.match_id
        JOIN programs_program p ON p.id = m.program_id
        JOIN programs_enrollment mentee ON mentee.id = m.mentee_id
        JOIN programs_enrollment mentor ON mentor.id = m.mentor_id
    ) f
$$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0005_retention_hold"),
        ("matching", "0005_matchpause"),
    ]

    operations = [
        migrations.RunSQL(checkin_facts_function_sql(), FACTS_0002_SQL + RECOUNT_SQL),
        migrations.RunSQL(PAUSES_SQL, DROP_PAUSES_SQL),
        migrations.RunSQL(RECOUNT_SQL, migrations.RunSQL.noop),
    ]
