"""The load test's people, for locust: signed-in mentors, mentees, coordinators and staff browsing.

    locust -f bench/locustfile.py --host https://mentoring.example.org --headless -u 200 -r 10 -t 2m

It reads the sessions file that `manage.py load_sessions` (or `make bench BENCH=load`) wrote
(LOAD_SESSIONS, default load-sessions.json): each simulated person takes the next session of the
file (so 200 users are 200 different people while the file has that many) and opens its pages at
random, as often as the file's weights say for its kind, a think time apart. It needs no Django.

Each request is named by the page's URL name (``matching:match``, not /matches/123/), with
" [coordinator]" or " [staff]" after it for theirs, so that locust's statistics are per page.
Only a 200 counts as a success: a redirect (to the log-in page, or to the two-factor set-up) is a
failure, and so is a 4xx or 5xx, or no answer.

Environment:
  LOAD_SESSIONS   the sessions file.
  LOAD_THINK      "2-6" (default): seconds between pages, uniformly at random; "0" for none
                  (saturation: the server is never waiting for a reader).
  LOAD_BARE       set: every user only asks /healthz (a bare Django view through the same stack),
                  the baseline of the saturation throughput.
  LOAD_PROTO      the X-Forwarded-Proto header sent (default https): a local production server
                  behind no proxy trusts it (SECURE_PROXY_SSL_HEADER=true), as behind a real one.
"""

import collections
import itertools
import json
import os
import random

from locust import HttpUser, between, constant, events, task

SESSIONS_FILE = os.environ.get("LOAD_SESSIONS", "load-sessions.json")


def _think():
    spec = os.environ.get("LOAD_THINK", "2-6")
    low, _, high = spec.partition("-")
    return between(float(low), float(high or low)) if float(high or low) > 0 else constant(0)


def _load():
    with open(SESSIONS_FILE) as f:
        data = json.load(f)
    if not data["sessions"]:
        raise SystemExit(f"{SESSIONS_FILE} has no sessions.")
    return data


def label(name, kind):
    """The statistics' name of a page: its URL name, and whose when not a participant's (a
    coordinator's dashboard or match page is not a mentee's)."""
    return name if kind == "participant" else f"{name} [{kind}]"


DATA = _load()
_next = itertools.count()
_offset = 0


@events.init.add_listener
def _spread_workers(environment, **kwargs):
    """In distributed mode each worker starts at a different place in the file."""
    global _offset
    index = getattr(environment.runner, "worker_index", 0) or 0
    _offset = index * 997


class Person(HttpUser):
    wait_time = _think()

    def on_start(self):
        k = (next(_next) + _offset) % len(DATA["sessions"])
        session = DATA["sessions"][k]
        weights = DATA["weights"][session["kind"]]
        pages = [(name, url) for name, url in session["pages"] if name in weights]
        # A page's weight is shared by its URLs (a coordinator has twenty match pages: one weight).
        count = collections.Counter(name for name, _ in pages)
        self.weights = [weights[name] / count[name] for name, _ in pages]
        self.pages = [(label(name, session["kind"]), url) for name, url in pages]
        self.headers = {
            "Cookie": f"{DATA['cookie_name']}={session['session']}",
            "X-Forwarded-Proto": os.environ.get("LOAD_PROTO", "https"),
        }
        self.bare = bool(os.environ.get("LOAD_BARE"))

    @task
    def browse(self):
        if self.bare:
            name, url = "healthz", "/healthz"
        else:
            name, url = random.choices(self.pages, weights=self.weights)[0]
        with self.client.get(
            url, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:  # 0: no answer (connection closed, or a timeout)
                where = response.headers.get("Location", "") or type(response.error).__name__
                response.failure(f"{response.status_code} {where}")
