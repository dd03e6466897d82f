"""Groups on the pair engine: a group is one engine "mentor" row built from its leaders (pure numpy,
no Django; matching/group_pool.py loads the leaders from the database)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from matching.engine.problem import Mentors


def combine_leaders(leaders, groups, capacity, exclusions=()):
    """The engine `Mentors` of the groups from their leaders' rows (pure: numpy arrays in).

    leaders: the leaders as an engine `Mentors`; groups: one list of leader indices per group
    (first = first leader, non-empty); capacity: free places per group; exclusions: (mentee,
    leader index) pairs. Returns (Mentors, exclusions as (mentee, group index) pairs)."""
    m = len(groups)
    rows = [g for g, members in enumerate(groups) for _ in members]
    cols = [j for members in groups for j in members]
    member = sp.csr_array((np.ones(len(cols)), (rows, cols)), shape=(m, len(leaders)))
    first = np.array([members[0] for members in groups], dtype=np.int64)

    def union(tags):
        if tags.shape[1] == 0:
            return sp.csr_array((m, 0), dtype=np.uint8)
        return sp.csr_array((member @ tags.astype(np.float64)) > 0).astype(np.uint8)

    languages, availability, checked = [], [], []
    for members in groups:
        lang, shared = 0, (1 << 21) - 1
        for j in members:
            lang |= int(leaders.languages[j])
            shared &= int(leaders.availability[j])
        languages.append(lang - (1 << 64) if lang >= 1 << 63 else lang)
        availability.append(shared or int(leaders.availability[members[0]]))
        checked.append(bool(all(leaders.background_check_current[j] for j in members)))
    group_of = {}
    for g, members in enumerate(groups):
        for j in members:
            group_of.setdefault(j, []).append(g)
    pairs = sorted(
        {(int(i), g) for i, j in np.asarray(exclusions).reshape(-1, 2) for g in group_of.get(int(j), ())}
    )
    mentors = Mentors(
        languages=languages,
        capacity=capacity,
        skills=union(leaders.skills),
        interests=union(leaders.interests),
        availability=availability,
        area=leaders.area[first],
        mode=leaders.mode[first],
        lat=leaders.lat[first],
        lon=leaders.lon[first],
        gender=leaders.gender[first],
        age_band=leaders.age_band[first],
        background_check_current=checked,
    )
    return mentors, pairs
