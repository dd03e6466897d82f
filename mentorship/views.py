import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mentorship.selectors import heartbeat_last_seen


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "mentorship/home.html")


@login_required
def dashboard(request):
    return render(request, "mentorship/dashboard.html")


@require_GET
@never_cache
def healthz(request):
    """The process is alive. Always 200: a load balancer restarts what does not answer."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    """Ready to serve: database and Redis reachable, and the beat heartbeat recent."""
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

    if "database" in failed:
        checks["heartbeat"] = "unknown (database unreachable)"
        failed.append("heartbeat")
    else:
        last_seen = heartbeat_last_seen(name="beat")
        if last_seen is None:
            checks["heartbeat"] = "never seen (are the worker and beat running?)"
            failed.append("heartbeat")
        else:
            age = (timezone.now() - last_seen).total_seconds()
            if age > settings.HEARTBEAT_MAX_AGE:
                checks["heartbeat"] = f"stale ({age:.0f} s old; limit {settings.HEARTBEAT_MAX_AGE} s)"
                failed.append("heartbeat")
            else:
                checks["heartbeat"] = f"ok ({age:.0f} s old)"

    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed, "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})
