"""Discussion boards (matching/models/boards.py): the program's board and each group's.

- ``rules``: who reads and writes a board (and as what), who moderates it, when a post is held.
- ``services``: every write (topics, replies, moderation, releasing held details, reports).
- ``display``: what one reader sees of each post (held details blanked, removed posts replaced),
  and the board's and the topic's rows, in a constant number of queries.
- ``digest``: the daily email of new posts (at most one a day per person, opt-out in the profile).
- ``forms``: the topic, reply and report forms.
"""
