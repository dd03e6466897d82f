"""Small-cell suppression: no count about fewer than five people is shown, and no hidden count can be
worked out from what is shown.

``MINIMUM``: the smallest count shown (``count_text`` says "fewer than 5" below it).

``suppress_table(counts, *, row_totals, column_totals)`` takes a table of counts (rows = groups,
columns = measures) whose row and/or column totals are published, and says which cells to hide:

- primary (``FEWER``, shown "fewer than 5"): every count below MINIMUM, zero included;
- complementary (``WITHHELD``, shown "withheld"): more cells, so that for every hidden cell some
  other table agrees with everything shown (the shown cells, the published totals, the grand total,
  and what the words say: a "fewer than 5" cell is 0 to 4, a withheld one at least 5) and differs
  in that cell.

How: a hidden cell is safe when it lies on an alternating cycle of hidden cells (+1, -1, +1, ... so
that every published total stays the same) along which each cell can move one step and stay within
its bounds (a search along the hidden cells). Until every hidden cell is safe, another cell is
withheld: the smallest that makes it safe, one of its own row or column first. A cell in a line
whose published total is 0 needs no hiding (everybody can see it is 0) and is left as it is. Pure Python,
no Django: the tables are a report's (a few groups by a few measures).

When even hiding every cell leaves one that the totals give away (a row of two cells under 5 with a
total of 8), the result's ``unsafe`` names those cells: their lines' totals must be withheld as well.
"""

from __future__ import annotations

MINIMUM = 5
SHOWN, FEWER, WITHHELD = "", "fewer", "withheld"
FEWER_TEXT = f"fewer than {MINIMUM}"
WITHHELD_TEXT = "withheld"
_SEARCH_LIMIT = 20_000  # steps per cell; past it the cell counts as unsafe (more is hidden)


def count_text(n):
    """A count as shown to anyone: "fewer than 5" below MINIMUM, else the number ("1,234")."""
    if n is None:
        return ""
    return FEWER_TEXT if n < MINIMUM else f"{n:,}"


def state_text(state, value_text):
    """What a cell shows: its value, "fewer than 5" or "withheld"."""
    return {FEWER: FEWER_TEXT, WITHHELD: WITHHELD_TEXT}.get(state, value_text)


def suppress_table(counts, *, row_totals=True, column_totals=True, minimum=MINIMUM):
    """The state of each cell of ``counts`` (a list of rows of non-negative ints): SHOWN, FEWER or
    WITHHELD, as a list of rows. ``row_totals``/``column_totals``: whether those totals are
    published (the grand total is then too)."""
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    states = States([FEWER if counts[i][j] < minimum else SHOWN for j in range(columns)] for i in range(rows))
    table = _Table(counts, states, row_totals, column_totals, minimum)
    while True:
        unsafe = [cell for cell in table.hidden() if not table.exempt(cell) and not table.safe(cell)]
        extra = table.complement(unsafe[0]) if unsafe else None
        if extra is None:
            # Safe, or every cell is hidden and the totals alone still tell some: those are listed,
            # and the caller withholds the totals of their lines too.
            states.unsafe = set(unsafe)
            return states
        states[extra[0]][extra[1]] = WITHHELD


class States(list):
    """The rows of states; ``unsafe``: the cells the published totals give away whatever is hidden
    (e.g. two cells under 5 in a row whose total is 8), whose lines' totals must be withheld too."""

    unsafe = frozenset()


class _Table:
    def __init__(self, counts, states, row_totals, column_totals, minimum):
        self.counts, self.states = counts, states
        self.row_totals, self.column_totals, self.minimum = row_totals, column_totals, minimum
        self.rows = len(counts)
        self.columns = len(counts[0]) if counts else 0

    def hidden(self):
        return [(i, j) for i in range(self.rows) for j in range(self.columns) if self.states[i][j]]

    def exempt(self, cell):
        """In a published line whose total is 0: it is 0, and everyone can tell."""
        i, j = cell
        if self.row_totals and not sum(self.counts[i]):
            return True
        return self.column_totals and not sum(row[j] for row in self.counts)

    def _ends(self, cell):
        """The cell as an edge between its row and its column; an unpublished side is free (None)."""
        i, j = cell
        return ("r", i) if self.row_totals else None, ("c", j) if self.column_totals else None

    def _can(self, cell, sign):
        i, j = cell
        value, state = self.counts[i][j], self.states[i][j]
        if sign > 0:
            return state != FEWER or value + 1 < self.minimum
        return value - 1 >= (self.minimum if state == WITHHELD else 0)

    def safe(self, cell):
        """Whether some other table agrees with everything shown and differs in ``cell``."""
        u, v = self._ends(cell)
        if u is None and v is None:
            return True
        start, goal = (v, u) if v is not None else (u, v)
        edges = [c for c in self.hidden() if c != cell]
        for sign in (1, -1):
            if self._can(cell, sign) and self._trail(start, goal, -sign, edges, {cell}, [0]):
                return True
        return False

    def _trail(self, node, goal, sign, edges, used, steps):
        """A trail of hidden cells from ``node`` to ``goal`` (None: any free end), signs alternating
        from ``sign``, each cell able to move that way."""
        steps[0] += 1
        if steps[0] > _SEARCH_LIMIT:
            return False
        for edge in edges:
            if edge in used or not self._can(edge, sign):
                continue
            a, b = self._ends(edge)
            if node == a:
                other = b
            elif node == b:
                other = a
            else:
                continue
            if other == goal or other is None:
                if other == goal:
                    return True
                continue
            if self._trail(other, goal, -sign, edges, used | {edge}, steps):
                return True
        return False

    def complement(self, cell):
        """The next cell to withhold for ``cell``: the smallest shown cell that makes it safe (one
        in its own row or column first), else the smallest shown cell of its published row or column,
        else the smallest shown anywhere; a cell not 0 before a 0 each time."""
        i, j = cell
        shown = [(a, b) for a in range(self.rows) for b in range(self.columns) if not self.states[a][b]]
        if not shown:
            return None
        in_lines = {c for c in shown if (self.row_totals and c[0] == i) or (self.column_totals and c[1] == j)}

        def size(c):
            return (self.counts[c[0]][c[1]] == 0, self.counts[c[0]][c[1]], c)

        for candidate in sorted(shown, key=lambda c: (c not in in_lines, *size(c))):
            self.states[candidate[0]][candidate[1]] = WITHHELD
            helps = self.safe(cell)
            self.states[candidate[0]][candidate[1]] = SHOWN
            if helps:
                return candidate
        return min(shown, key=lambda c: (c not in in_lines, *size(c)))
