import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.forms import ProfileForm
from mentorship.models import Language, Profile, Tag
from mentorship.selectors import heartbeat_last_seen


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "mentorship/home.html")


@login_required
def dashboard(request):
    # Panels come from the apps above this one (settings.DASHBOARD_PANELS), which it must not import.
    panels = [import_string(path)(request) for path in settings.DASHBOARD_PANELS]
    return render(request, "mentorship/dashboard.html", {"panels": panels})


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


@login_required
@require_http_methods(["GET", "POST"])
@never_cache  # date of birth and phone: not for shared caches or the back button of a shared computer
def profile_edit(request):
    """A person edits their own profile; there is no URL for anybody else's."""
    profile = Profile.objects.prefetch_related("languages", "interests", "skills", "goals").get(
        user=request.user
    )
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    else:
        form = ProfileForm(instance=profile)
    context = {
        "form": form,
        # Suggestions for the "pick or add" fields; one vocabulary of tags across the site.
        "tag_suggestions": list(Tag.objects.values_list("name", flat=True)),
        "language_suggestions": list(Language.objects.values_list("name", flat=True)),
    }
    return render(request, "mentorship/profile_form.html", context)
