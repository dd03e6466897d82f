"""Settings, every one read from the environment (see .env.example and the README).

DEBUG is off unless set: `make run` and the tests set it on, and its defaults (a development key,
the embedded PostgreSQL and Redis, mail on the console) make them work on a laptop. With DEBUG off,
nothing that must not be guessed has a default: start-up stops naming every missing variable,
before any embedded server could start.
"""

from pathlib import Path

from celery.schedules import crontab
from django.utils.csp import CSP

from mentorship import embedded
from mentorship.env import (
    ImproperlyConfigured,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
    redis_url_with_db,
    require_all,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = embedded.VAR_DIR

DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
else:
    # Production: all of these, named together (one failed start, not five). ALLOWED_HOSTS too:
    # without it every request is answered 400, so it is as required as the others.
    require_all(
        ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_HOST", "DATABASE_URL", "REDIS_URL"],
        why="DEBUG is off (the default)",
        hint="For development, set DEBUG=true (`make run` and the tests do).",
    )
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters of random text.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])
SITE_NAME = env_str("SITE_NAME", "Mentorship")

INSTALLED_APPS = [
    "mentorship",  # first: its templates override allauth's and the admin's
    "programs",
    "matching",
    "evaluation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id, returned as X-Request-ID.
    "mentorship.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Pages for a signed-in person hold personal data: never kept by a browser or a shared cache.
    "mentorship.middleware.PrivatePagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user is known from here on: log lines carry their id.
    "mentorship.middleware.LogUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff and coordinators reach only the two-factor set-up until they have it.
    "mentorship.mfa.RequireMFAMiddleware",
    # Last, nearest the views: a database connection error becomes 503 and the maintenance page.
    "mentorship.middleware.DatabaseUnavailableMiddleware",
]

# Content-Security-Policy: scripts only from the site's own files (no inline script anywhere);
# styles from its files, plus the few inline style attributes the charts and bars need.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"
ASGI_APPLICATION = "mentorship.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentorship.context_processors.site",
            ],
        },
    },
]

# The signed-in dashboard shows one panel per entry, each a function(request) -> context dict with
# a "template" key, from the apps above the site app (which must not import them).
DASHBOARD_PANELS = [
    # A coordinator's to-do list first: what waits for them (nothing shown to others).
    "evaluation.panels.coordinator_todo",
    "programs.panels.my_programs",
    "programs.panels.upcoming_events",
    "matching.panels.my_matches",
    # The person's groups and circles: the next session, attendance to take (matching/panels.py).
    "matching.panels.my_groups",
    # Meetings to answer, the next one, and those to log as check-ins (evaluation/meeting_prompts.py).
    "evaluation.meeting_prompts.my_meetings",
    "evaluation.panels.my_surveys",
    # Mentors' and mentees' milestones, thank-you notes and certificates (evaluation/recognition.py).
    "evaluation.panels.my_milestones",
    # Invitations to tell one's story, shorter versions to approve (evaluation/story_invitations.py).
    "evaluation.story_invitations.my_story_prompts",
    # A partner contact's links to their partners' figures (evaluation/partner_reports.py).
    "evaluation.partner_reports.my_partner_pages",
]
# A person's next steps (the dashboard's checklist, and where saving the profile leads): the
# function of the app at the top that puts every app's steps together (see mentorship.steps).
NEXT_STEPS = "evaluation.steps.checklists"
# Extra stages of a program's funnel, from the apps above programs: stage -> function(program)
# returning {role: count}.
PROGRAM_FUNNEL_EXTRAS = {"matched": "matching.selectors.matched_counts"}
# Rules of the apps above about a new date of birth (a mentor cannot become a minor): each is
# called with user= and date_of_birth= and answers a message, or None.
DATE_OF_BIRTH_CHECKS = ["programs.rules.date_of_birth_problem"]
# Asked by the email sweep, before it sends late the outbox rows whose task was lost, which of them
# are not needed any more: each is called with the rows and answers {email id: why}.
OUTBOX_CHECKS = [
    "evaluation.reminders.outbox_moot",
    "evaluation.invitations.outbox_moot",
    "evaluation.meeting_reminders.outbox_moot",  # a meeting moved, cancelled or begun meanwhile
    "matching.group_reminders.outbox_moot",  # a group session moved, cancelled or begun meanwhile
]
# Called (with enrollment= and by=) when a guardian refuses or withdraws consent, inside the
# transaction: the matching app pauses the mentee's matches.
CONSENT_WITHDRAWN_HANDLERS = ["matching.services.matches_pause_for_consent"]
# What a guardian reads first on their page (programs.guardians.guardian_news), from the apps above
# programs: each is called with the mentee's enrollment and answers a context dict with a
# "template" key, or None.
GUARDIAN_PAGE_NEWS = ["matching.guardian_news.match_news"]
# Facts the apps above matching add to a match's page for its coordinators (last meeting, staff
# contacts): each is called with the match and answers [(label, text)].
MATCH_PAGE_FACTS = ["evaluation.match_facts.match_facts"]

# --- Messages (matching/messaging) ----------------------------------------------------------------
# At most one "You have a new message" email per conversation per reader in this many minutes.
MESSAGE_EMAIL_MINUTES = 15
# A person may send at most MESSAGE_RATE_LIMIT messages in MESSAGE_RATE_MINUTES (all conversations).
MESSAGE_RATE_LIMIT = 20
MESSAGE_RATE_MINUTES = 10

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL unset (only possible in DEBUG): a real PostgreSQL embedded under var/ (never SQLite).
DATABASES = {"default": parse_database_url(env_str("DATABASE_URL") or embedded.database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker (db 0) and cache (db 1) ------------------------------------------------------
# REDIS_URL unset (only possible in DEBUG): a real Redis embedded under var/.
REDIS_URL = env_str("REDIS_URL") or embedded.redis_url()
# Short socket timeouts: a web request must never hang on Redis (see mentorship/cache.py).
REDIS_SOCKET_TIMEOUT = float(env_str("REDIS_SOCKET_TIMEOUT", "0.5"))
# After a cache call fails, the cache is skipped (fails open) for this long, process-wide: a hung
# Redis costs each process one timeout per period, not one per call.
CACHE_FAIL_OPEN_SECONDS = float(env_str("CACHE_FAIL_OPEN_SECONDS", "30"))
CACHES = {
    "default": {
        "BACKEND": "mentorship.cache.ResilientRedisCache",
        "LOCATION": redis_url_with_db(REDIS_URL, 1),
        "KEY_PREFIX": "mentorship",
        "OPTIONS": {
            "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
            "socket_timeout": REDIS_SOCKET_TIMEOUT,
            "fail_open_seconds": CACHE_FAIL_OPEN_SECONDS,
        },
    }
}
# Sessions live in the database so that a Redis outage does not log everybody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Celery -------------------------------------------------------------------------------------
# Normally derived from REDIS_URL; settable so that the tests' worker uses the tests' queue.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or redis_url_with_db(REDIS_URL, 0)
# Sending a task from web code (mentorship/queue.py): seconds to connect and to get each reply, one
# failed attempt per request at most; the periodic sweeps send what was left.
BROKER_PUBLISH_TIMEOUT = float(env_str("BROKER_PUBLISH_TIMEOUT", "0.3"))
# The email sweep (every 5 minutes) sends a lost backlog for at most this long per run.
EMAIL_SWEEP_SECONDS = env_int("EMAIL_SWEEP_SECONDS", 240)
# Settable so that a test session's worker and tasks use a queue of their own.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # tasks record their outcome in the database
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged after it ran, so a crash re-delivers it
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With acks_late on Redis, an unacknowledged task is re-delivered after this; keep it above the
# longest task time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT * 2,
    "socket_timeout": 5,
}
CELERY_TIMEZONE = env_str("TIME_ZONE", "UTC")

# The whole periodic schedule, in one place. One beat process runs it (see README).
CELERY_BEAT_SCHEDULE = {
    # Every 30 s: beat records that it sent it, the worker that ran it records its own time; /readyz
    # reads both, so that it can say which of the two stopped.
    "heartbeat": {"task": "mentorship.tasks.heartbeat", "schedule": 30.0},
    # Every 5 minutes: emails whose task was lost (broker outage, crash) go out late, once.
    "send-pending-emails": {"task": "mentorship.tasks.send_pending_emails", "schedule": 300.0},
    # Nightly at 02:30: match suggestions for programs that have them switched on.
    "nightly-suggestions": {
        "task": "matching.tasks.nightly_suggestions",
        "schedule": crontab(hour=2, minute=30),
    },
    # Hourly at minute 10: group sessions' day-before reminders (matching/group_reminders.py; each once).
    "group-session-reminders": {
        "task": "matching.tasks.send_group_reminders",
        "schedule": crontab(minute=10),
    },
    # Hourly at minute 5: check-in reminders due or overdue (computed from the database; each once).
    "checkin-reminders": {"task": "evaluation.tasks.send_reminders", "schedule": crontab(minute=5)},
    # Daily at 07:00: a welcome back to everyone whose break ends today (each once).
    "break-welcome-backs": {
        "task": "programs.tasks.send_welcome_backs",
        "schedule": crontab(hour=7, minute=0),
    },
    # Hourly at minute 20: an email for each survey whose window opened (each person once).
    "survey-invitations": {
        "task": "evaluation.tasks.send_survey_invitations",
        "schedule": crontab(minute=20),
    },
    # Every 5 minutes: worker-built exports whose worker was lost are queued again (three tries).
    "recover-exports": {"task": "evaluation.tasks.recover_exports", "schedule": 300.0},
    # Every 5 minutes: matching runs whose task was lost or whose worker died are sent again (three tries).
    "recover-matching-runs": {"task": "matching.tasks.recover_runs", "schedule": 300.0},
    # Daily at 04:00: one-time form tokens (double-submit guard) older than a day are forgotten.
    "prune-form-tokens": {
        "task": "mentorship.tasks.prune_form_tokens",
        "schedule": crontab(hour=4, minute=0),
    },
    # Daily at 07:00: each coordinator's one email of their to-do list (evaluation/todo.py), if any.
    "coordinator-digests": {
        "task": "evaluation.tasks.send_coordinator_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Hourly at minute 35: events' day-before reminders, and feedback requests to those who came to
    # an event that is over (programs/event_followups.py; each person once).
    "event-reminders": {"task": "programs.tasks.send_event_reminders", "schedule": crontab(minute=35)},
    "event-feedback-requests": {
        "task": "programs.tasks.send_event_feedback_requests",
        "schedule": crontab(minute=40),
    },
    # Daily at 07:30: each person's digest of new discussion-board posts (at most one a day each).
    "board-digests": {"task": "matching.tasks.send_board_digests", "schedule": crontab(hour=7, minute=30)},
    # Daily at 09:00: invitations to tell one's story at a match's closure, 3 and 12 months on (each once).
    "story-invitations": {
        "task": "evaluation.tasks.send_story_invitations",
        "schedule": crontab(hour=9, minute=0),
    },
    # Nightly at 03:15: people past the retention policy are anonymised (see RETENTION_* below).
    "apply-retention": {"task": "evaluation.tasks.apply_retention", "schedule": crontab(hour=3, minute=15)},
}
# /readyz fails when beat's or the worker's heartbeat is older than this (seconds).
HEARTBEAT_MAX_AGE = env_int("HEARTBEAT_MAX_AGE", 120)

# --- Retention (evaluation.retention) -------------------------------------------------------------
# A person's personal data is anonymised this many years after their last enrollment closed (or,
# if they took part as a minor, when they turn 25, if that is later). Safeguarding records
# (screening records, guardian consents, concerns) are kept RETENTION_SAFEGUARDING_YEARS.
RETENTION_ADULT_YEARS = env_int("RETENTION_ADULT_YEARS", 6)
RETENTION_MINOR_UNTIL_AGE = 25
RETENTION_SAFEGUARDING_YEARS = env_int("RETENTION_SAFEGUARDING_YEARS", 25)
# An account that never applied is anonymised this many years after it was last used (its last
# log-in, or the day it was made).
RETENTION_UNUSED_ACCOUNT_YEARS = env_int("RETENTION_UNUSED_ACCOUNT_YEARS", 2)

# --- Uploads (programs/uploads.py) ----------------------------------------------------------------
# The largest file a coordinator may upload to the resource library or a training page (bytes).
RESOURCE_MAX_BYTES = env_int("RESOURCE_MAX_BYTES", 10 * 1024 * 1024)

# --- Accounts (django-allauth) ------------------------------------------------------------------
# Two-factor authentication: an authenticator app (TOTP) with recovery codes. Required for staff
# and coordinators (they see children's records): until set up they reach only its page.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", True)
AUTH_USER_MODEL = "mentorship.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up also asks a name, so that the site greets people by it from the start.
ACCOUNT_SIGNUP_FORM_CLASS = "mentorship.forms.SignupNameForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional" if DEBUG else "mandatory"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# allauth's default rate limits stay on (login_failed: 10/min per IP, 5 per 5 min per account);
# they count in the shared Redis cache, so every web process sees the same attempts.
# Behind a load balancer every request comes from the balancer's address, so the per-IP limit
# would lock everyone out at once. Trust only what our own proxies add: the count of proxies that
# append to X-Forwarded-For (the client is the entry that many from the right), or a header a
# proxy sets itself (e.g. X-Real-IP). Unset, X-Forwarded-For is ignored: clients can forge it.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER")

# --- Email (Django 6.1 MAILERS) -----------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mentorship <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
_email_host = env_str("EMAIL_HOST")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    # Development (without DEBUG, EMAIL_HOST is required): each message is written under var/mail/
    # and echoed on the console.
    MAILERS = {
        "default": {
            "BACKEND": "mentorship.mail.DevelopmentEmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Security (production: DEBUG off) -----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: to the console, stderr (mentorship/logs.py) -----------------------------------------
# JSON lines with the request id, user id (and task id in the worker), never names, email
# addresses, free text or the secret part of a link. LOG_FORMAT=plain is easier on the eye in a
# terminal and is the default in DEBUG; both are scrubbed alike.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not json or plain.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "mentorship.logs.ContextFilter"},
        "redact_paths": {"()": "mentorship.logs.RedactPathsFilter"},
    },
    "formatters": {
        "json": {"()": "mentorship.logs.JSONFormatter"},
        "plain": {"()": "mentorship.logs.PlainFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers (a second console in DEBUG, error emails to ADMINS with the whole
        # request) are replaced by the root's: one format, one place. INFO whatever LOG_LEVEL says:
        # its DEBUG lines (template variable lookups) print whole template contexts.
        "django": {"handlers": [], "level": "INFO"},
        # These two write paths: their token links are redacted before any handler sees them.
        "django.request": {"filters": ["redact_paths"]},
        "django.server": {"handlers": ["console"], "propagate": False, "filters": ["redact_paths"]},
        "django.db.backends": {"level": "INFO"},
        "pgserver": {"level": "WARNING"},
    },
}
