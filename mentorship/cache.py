"""A Redis cache that fails open, and stops asking a Redis that does not answer.

The cache holds allauth's login rate-limit counters. If Redis is unreachable, a page must still
answer rather than error: reads miss, writes are dropped, ``add`` reports success (allauth spins
on ``add`` for its lock), and a warning is logged. Rate limiting is paused during a Redis outage;
/readyz reports the outage meanwhile.

A Redis that is down refuses at once, but a hung one (accepts, never answers) makes every call
wait for the socket timeout, and a log-in makes a few dozen calls. So the first failure trips the
cache open for ``fail_open_seconds`` (an OPTIONS entry, from settings), process-wide: meanwhile
every call returns its fallback without touching Redis, and afterwards the next call tries again.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Servers (a tuple of URLs) -> time.monotonic() until which they are not asked. Shared by the
# threads of the process: one timeout per process and period, not one per request.
_skip_until = {}


def _fail_open(name, fallback):
    method = getattr(RedisCacheClient, name)

    def wrapper(self, *args, **kwargs):
        servers = tuple(self._servers)
        if time.monotonic() >= _skip_until.get(servers, 0):
            try:
                return method(self, *args, **kwargs)
            except _UNAVAILABLE as exc:
                _skip_until[servers] = time.monotonic() + self._fail_open_seconds
                logger.warning(
                    "cache unavailable (%s during %s); continuing without it for %s s",
                    type(exc).__name__,
                    name,
                    self._fail_open_seconds,
                )
        return fallback(*args, **kwargs)

    wrapper.__name__ = name
    return wrapper


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, *, fail_open_seconds=30, **options):
        super().__init__(servers, **options)
        self._fail_open_seconds = fail_open_seconds

    # What each call answers while Redis is unavailable (called with the call's arguments).
    add = _fail_open("add", lambda *args: True)
    get = _fail_open("get", lambda key, default=None: default)
    set = _fail_open("set", lambda *args: None)
    touch = _fail_open("touch", lambda *args: False)
    delete = _fail_open("delete", lambda *args: False)
    get_many = _fail_open("get_many", lambda *args: {})
    has_key = _fail_open("has_key", lambda *args: False)
    set_many = _fail_open("set_many", lambda *args: None)
    delete_many = _fail_open("delete_many", lambda *args: None)
    clear = _fail_open("clear", lambda *args: False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
