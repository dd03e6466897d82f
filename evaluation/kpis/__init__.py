"""The KPIs of the data dictionary (DESIGN.md), for one program or many, a reporting date D and a
period [start, end] (end <= D).

``DEFINITIONS`` is the dictionary itself: the definitions page renders it and every figure below
names the definition it follows, so the page and the code cannot drift apart (a test checks that
each definition has figures and each figure a definition).

Everything is counted by PostgreSQL in a fixed number of queries (the programs' ids, then five
aggregates, whatever the size of the programs; ``compute_by_program`` runs the same five once for
every program at once, for the cross-program table): no Python loop over matches, check-ins or people.
The few sums over the report's months and the ratios are plain arithmetic, which imports nothing
from Django.

Modules: definitions (the data dictionary), queries (the SQL and ``compute``, which runs it),
figures (figures and reports, the arithmetic that assembles them, how they are shown; no Django),
community (the figures of groups and peer circles and of events: their SQL, run in the same
statement as the outcomes, and the figures made from it).
A figure resting on fewer than its definition's ``minimum`` is shown as "too early to tell"
beside its base, everywhere (``Figure.too_small``).
"""

from evaluation.kpis.definitions import (
    DEFINITIONS,
    DEFINITIONS_BY_KEY,
    EVENTS,
    FEW,
    GROUPS,
    HISTORY,
    MATCH_DAYS,
    NEWCOMER_DAYS,
    ON_D,
    PAIRS,
    PERIOD,
    RETENTION_MONTHS,
    Definition,
)
from evaluation.kpis.figures import (
    COUNT,
    DAYS,
    HOURS,
    POINTS,
    RATE,
    RATING,
    SHARE,
    TOO_EARLY,
    Figure,
    KpiReport,
    Month,
    add_months,
    assemble,
    default_period,
    describe_basis,
    describe_rate,
    format_value,
    mean,
    per_match_month,
    ratio,
    share,
)
from evaluation.kpis.queries import (
    COMPLIANCE_SQL,
    ENROLLMENTS_SQL,
    MATCHES_SQL,
    MONTHS_SQL,
    OUTCOMES_SQL,
    T,
    compute,
    compute_by_program,
    local_midnight,
    per_program,
    query_parameters,
)

__all__ = [
    "DEFINITIONS",
    "DEFINITIONS_BY_KEY",
    "HISTORY",
    "ON_D",
    "PERIOD",
    "FEW",
    "MATCH_DAYS",
    "RETENTION_MONTHS",
    "PAIRS",
    "GROUPS",
    "EVENTS",
    "NEWCOMER_DAYS",
    "Definition",
    "COUNT",
    "DAYS",
    "HOURS",
    "POINTS",
    "RATE",
    "RATING",
    "SHARE",
    "TOO_EARLY",
    "Figure",
    "KpiReport",
    "Month",
    "add_months",
    "assemble",
    "default_period",
    "describe_basis",
    "describe_rate",
    "format_value",
    "mean",
    "per_match_month",
    "ratio",
    "share",
    "COMPLIANCE_SQL",
    "ENROLLMENTS_SQL",
    "MATCHES_SQL",
    "MONTHS_SQL",
    "OUTCOMES_SQL",
    "T",
    "compute",
    "compute_by_program",
    "local_midnight",
    "per_program",
    "query_parameters",
]
