"""A Redis cache that fails open.

The cache holds allauth's login rate-limit counters. If Redis is unreachable, a page must still
answer (quickly, thanks to the short socket timeouts in settings) rather than error: reads miss,
writes are dropped, ``add`` reports success (allauth spins on ``add`` for its lock), and a warning
is logged. Rate limiting is paused during a Redis outage; /readyz reports the outage meanwhile.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _fail_open(name, fallback):
    method = getattr(RedisCacheClient, name)

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _UNAVAILABLE as exc:
            logger.warning(
                "cache unavailable (%s during %s); continuing without it", type(exc).__name__, name
            )
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    wrapper.__name__ = name
    return wrapper


class ResilientRedisCacheClient(RedisCacheClient):
    add = _fail_open("add", True)
    get = _fail_open("get", lambda key, default=None: default)
    set = _fail_open("set", None)
    touch = _fail_open("touch", False)
    delete = _fail_open("delete", False)
    get_many = _fail_open("get_many", dict)
    has_key = _fail_open("has_key", False)
    set_many = _fail_open("set_many", list)
    delete_many = _fail_open("delete_many", None)
    clear = _fail_open("clear", False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
