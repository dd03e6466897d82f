"""/healthz (the process answers) and /readyz (database, Redis, beat and worker)."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mentorship.selectors import heartbeat_last_seen


@require_GET
@never_cache
def healthz(request):
    """The process is alive. Always 200: a load balancer restarts what does not answer."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    """Ready to serve: database and Redis reachable, beat sending the heartbeat and a worker running it."""
    checks = {}
    failed = []

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable ({type(exc).__name__})"
        failed.append("database")

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL,
            socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
            socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
        )
        client.ping()
        client.close()
        checks["redis"] = "ok"
    except (redis.RedisError, OSError) as exc:
        checks["redis"] = f"unreachable ({type(exc).__name__})"
        failed.append("redis")

    # Beat records "beat" when it sends the heartbeat task, a worker records "worker" when it runs it:
    # each side its own time, so that the one that stopped is named.
    if "database" in failed:
        checks["beat"] = checks["worker"] = "unknown (database unreachable)"
    else:
        beat_ok, checks["beat"] = _heartbeat_check(name="beat", process="beat")
        worker_ok, checks["worker"] = _heartbeat_check(name="worker", process="a worker")
        if not beat_ok:
            failed.append("beat")
            if not worker_ok:
                # Only beat gives a worker the heartbeat to run: with beat down, a silent worker may
                # well be alive.
                checks["worker"] = "unknown (beat is not sending the heartbeat)"
        elif not worker_ok:
            failed.append("worker")

    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed, "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})


def _heartbeat_check(*, name, process):
    """(ok, what /readyz says) for the heartbeat that ``process`` records under ``name``."""
    last_seen = heartbeat_last_seen(name=name)
    if last_seen is None:
        return False, f"never seen (is {process} running?)"
    age = (timezone.now() - last_seen).total_seconds()
    seen = f"last seen {age:.0f} s ago" if age < 120 else f"last seen {age // 60:.0f} min ago"
    if age > settings.HEARTBEAT_MAX_AGE:
        return False, f"stale: {seen} (limit {settings.HEARTBEAT_MAX_AGE} s)"
    return True, f"ok ({seen})"
