"""Forms that create a row carry a one-time token (mentorship.once); a test posting one as a
browser would sends a fresh token with each submission."""

import uuid


def once(data=None, **more):
    return {**(data or {}), **more, "once": str(uuid.uuid4())}
