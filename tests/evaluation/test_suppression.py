"""Small-cell suppression (evaluation/suppression.py): what is hidden, and that nothing hidden can be
worked out from what is shown, checked by brute force over every table consistent with the page."""

import itertools
import random

import pytest

from evaluation.suppression import (
    FEWER,
    MINIMUM,
    SHOWN,
    WITHHELD,
    count_text,
    state_text,
    suppress_table,
)


def test_count_text_hides_fewer_than_five():
    assert MINIMUM == 5
    assert [count_text(n) for n in (0, 1, 4, 5, 1234)] == ["fewer than 5"] * 3 + ["5", "1,234"]
    assert count_text(None) == ""
    assert state_text(WITHHELD, "12") == "withheld" and state_text(SHOWN, "12") == "12"


def test_a_lone_small_cell_takes_a_second_one_with_it():
    states = suppress_table([[3, 10, 20], [10, 12, 30], [40, 50, 60]])
    assert states[0][0] == FEWER
    hidden = {(i, j) for i, row in enumerate(states) for j, s in enumerate(row) if s}
    # Its row and its column each hide another cell, and those close a cycle.
    assert any(i == 0 and j != 0 for i, j in hidden) and any(j == 0 and i != 0 for i, j in hidden)
    assert all(s == SHOWN for s in states[2])  # the rest stays shown


def test_nothing_small_hides_nothing():
    assert suppress_table([[5, 6], [7, 8]]) == [[SHOWN, SHOWN], [SHOWN, SHOWN]]


def test_what_the_totals_alone_give_away_is_named():
    # Two cells under 5 in a row whose total is 8: both are 4, whatever is hidden.
    states = suppress_table([[4, 4], [4, 4]])
    assert states.unsafe and all(all(row) for row in states)
    assert not suppress_table([[3, 10, 20], [10, 12, 30]]).unsafe


def _lines(counts, states, row_totals, column_totals):
    """The published lines as (cells, total)."""
    rows, columns = len(counts), len(counts[0])
    lines = []
    if row_totals:
        lines += [([(i, j) for j in range(columns)], sum(counts[i])) for i in range(rows)]
    if column_totals:
        lines += [([(i, j) for i in range(rows)], sum(r[j] for r in counts)) for j in range(columns)]
    return lines


def consistent_values(counts, states, *, row_totals, column_totals, withheld_floor=0):
    """For each hidden cell, every value it takes in some table that agrees with everything shown:
    the shown cells, the published totals (and so the grand total); a "fewer than 5" cell 0..4, a
    withheld one at least ``withheld_floor``. Brute force, row by row."""
    hidden = [(i, j) for i, row in enumerate(states) for j, s in enumerate(row) if s]
    if not row_totals:  # column by column, so that each column is checked as soon as it is complete
        hidden.sort(key=lambda cell: (cell[1], cell[0]))
    grand = sum(map(sum, counts))
    ranges = {}
    lines = _lines(counts, states, row_totals, column_totals)
    for i, j in hidden:
        bound = min([total for cells, total in lines if (i, j) in cells] or [grand])
        top = MINIMUM - 1 if states[i][j] == FEWER else bound
        ranges[(i, j)] = range(0 if states[i][j] == FEWER else withheld_floor, top + 1)
    seen = {cell: set() for cell in hidden}

    def fits(assignment, final):
        for cells, total in lines:
            known = [c for c in cells if c in assignment or not states[c[0]][c[1]]]
            got = sum(assignment.get(c, counts[c[0]][c[1]]) for c in known)
            if got > total or ((final or len(known) == len(cells)) and got != total):
                return False
        return True

    def walk(k, assignment):
        if k == len(hidden):
            if fits(assignment, True):
                for cell, value in assignment.items():
                    seen[cell].add(value)
            return
        cell = hidden[k]
        for value in ranges[cell]:
            assignment[cell] = value
            if fits(assignment, False):
                walk(k + 1, assignment)
            del assignment[cell]

    walk(0, {})
    return seen


def exempt(counts, cell, row_totals, column_totals):
    i, j = cell
    return (row_totals and not sum(counts[i])) or (column_totals and not sum(r[j] for r in counts))


@pytest.mark.parametrize(("row_totals", "column_totals"), [(True, True), (False, True), (True, False)])
def test_no_hidden_cell_can_be_worked_out(row_totals, column_totals):
    """Small random tables, many small counts: every hidden cell (but those in a line whose total is
    0, which everyone knows to be 0) has at least two values consistent with the page."""
    rng = random.Random(16)
    checked = unsafe = 0
    for _ in range(150):
        rows, columns = rng.choice([(2, 3), (3, 2), (3, 3)])
        counts = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 11]) for _ in range(columns)] for _ in range(rows)]
        states = suppress_table(counts, row_totals=row_totals, column_totals=column_totals)
        for i, j in itertools.product(range(rows), range(columns)):
            assert (states[i][j] == FEWER) == (counts[i][j] < MINIMUM)
        values = consistent_values(counts, states, row_totals=row_totals, column_totals=column_totals)
        if states.unsafe:
            # Only once everything is hidden (the caller then withholds those lines' totals).
            assert all(all(row) for row in states)
            unsafe += 1
        for cell, found in values.items():
            assert counts[cell[0]][cell[1]] in found
            if cell not in states.unsafe and not exempt(counts, cell, row_totals, column_totals):
                assert len(found) >= 2, (counts, states, cell, found)
                checked += 1
    assert checked > 120 and unsafe < 50  # dense small tables: some are all hidden


def test_withheld_cells_stay_safe_even_known_to_be_five_or_more():
    rng = random.Random(7)
    for _ in range(80):
        counts = [[rng.choice([0, 1, 3, 4, 5, 6, 9]) for _ in range(3)] for _ in range(3)]
        states = suppress_table(counts)
        values = consistent_values(
            counts, states, row_totals=True, column_totals=True, withheld_floor=MINIMUM
        )
        for cell, found in values.items():
            if cell not in states.unsafe and not exempt(counts, cell, True, True):
                assert len(found) >= 2, (counts, states, cell, found)
