"""gunicorn's settings for production: `gunicorn -c python:mentorship.gunicorn_conf mentorship.wsgi`.

Bind address and worker count stay on the command line (or gunicorn's own GUNICORN_CMD_ARGS and
WEB_CONCURRENCY). What this adds: an access log that is one JSON line per request, like the
application's (mentorship/logs.py), with the secret part of token links redacted (a guardian's
consent or manage link, an invitation, a calendar feed, an email confirmation or a password reset)
and none of the client's address, user agent or referrer (a page under a token link sends its
address as the referrer of every image and stylesheet it loads).
"""

import os

from gunicorn import glogging

from mentorship import logs

accesslog = "-"  # stdout, beside the application's lines
errorlog = "-"
logger_class = "mentorship.gunicorn_conf.Logger"


class Logger(glogging.Logger):
    """gunicorn's logger, writing its lines as the application does (LOG_FORMAT, default json)."""

    def setup(self, cfg):
        super().setup(cfg)
        kind = os.environ.get("LOG_FORMAT") or "json"
        for handler in [*self.error_log.handlers, *self.access_log.handlers]:
            handler.setFormatter(logs.FORMATTERS.get(kind, logs.JSONFormatter)())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = {name.lower(): value for name, value in resp.headers}
        duration_ms = request_time.seconds * 1000 + request_time.microseconds // 1000
        message = (
            f"{environ['REQUEST_METHOD']} {logs.redact_path(environ.get('RAW_URI', ''))} {status} "
            f"{getattr(resp, 'sent', None) or 0}B {duration_ms}ms"
        )
        # The id the application gave the request (RequestIdMiddleware), so that this line and
        # the request's own lines can be found together.
        self.access_log.info(message, extra={"request_id": headers.get("x-request-id")})
