"""`make run`: the whole system in one command, in development mode (DEBUG=true unless set).

Starts the embedded PostgreSQL and Redis when no DATABASE_URL / REDIS_URL is set, migrates, seeds
the demo program on the first start, then runs web, worker and beat (Procfile, via honcho) with
the URLs in their environment. Ctrl-C stops all of it; the embedded servers stop last.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from mentorship import embedded

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    env = os.environ.copy()
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.setdefault("WEB_PORT", "8000")
    # Development mode (the settings' default is production's): web, worker, beat, migrate and
    # seed_demo all get it from this environment.
    env.setdefault("DEBUG", "true")
    env["PYTHONUNBUFFERED"] = "1"
    if not env.get("DATABASE_URL"):
        print("Starting the embedded PostgreSQL (data in var/pgdata) ...", flush=True)
        env["DATABASE_URL"] = embedded.database_url()
    if not env.get("REDIS_URL"):
        print("Starting the embedded Redis (data in var/redis) ...", flush=True)
        env["REDIS_URL"] = embedded.redis_url()

    (embedded.VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, cwd=BASE_DIR)
    subprocess.run([*manage, "seed_demo", "--if-empty"], env=env, check=True, cwd=BASE_DIR)

    url = f"http://127.0.0.1:{env['WEB_PORT']}"
    print(
        f"\n  {url}  is starting (web, worker and beat).  Ctrl-C stops everything.\n"
        f"  Health: {url}/healthz   Ready: {url}/readyz   Admin: {url}/admin/\n",
        flush=True,
    )
    subprocess.run([*manage, "seed_demo", "--print-logins"], env=env, check=True, cwd=BASE_DIR)

    # honcho gets a session of its own, so that a stop signal reaches it once, from us: Ctrl-C (or
    # SIGTERM) here is passed on, honcho stops web, worker and beat, and then our exit stops the
    # embedded servers.
    honcho = subprocess.Popen(
        [str(Path(bin_dir) / "honcho"), "start", "-f", str(BASE_DIR / "Procfile")],
        env=env,
        cwd=BASE_DIR,
        start_new_session=True,
    )
    stop_signals = []

    def stop(signum, frame):
        stop_signals.append(signum)
        honcho.send_signal(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = honcho.wait()
    if not stop_signals:
        # honcho stops all three when one of them exits; restarting it here could hide a crash loop.
        print(
            "\nOne of web, worker and beat stopped (see its last lines above), so honcho stopped the "
            "others too. Run `make run` again.",
            flush=True,
        )
    # Our exit stops the embedded servers (mentorship/embedded.py), a PostgreSQL or Redis that
    # another process restarted after a crash included.
    print("Stopped web, worker and beat; stopping the embedded servers.", flush=True)
    if stop_signals:
        return 0 if code in (0, -signal.SIGINT, 130) else code
    return code or 1


if __name__ == "__main__":
    sys.exit(main())
