"""Messages: the pair's conversation and each participant's conversation with the coordinators.

- ``contact``: the one rule that finds contact details in a text (and blanks them for the partner).
- ``rules``: who reads a conversation, who writes in it and as what, and when it is read-only.
- ``services``: every write (conversations made, messages sent, read, released, reported).
- ``display``: what one reader sees of each message (the template only renders it).
- ``forms``: the message box and the report form.

The reads (a thread's page, unread counts, the coordinators' inbox) are in ``matching.inbox``.
"""
