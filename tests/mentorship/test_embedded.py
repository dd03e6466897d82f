"""The embedded servers are real, keep their data under var/, and stop with their last user."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis

BASE_DIR = Path(__file__).resolve().parents[2]

ATTACH = """
import json, psycopg2
from mentorship import embedded
from mentorship.env import parse_database_url
db = parse_database_url(embedded.database_url())
conn = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"])
conn.autocommit = True
cur = conn.cursor()
cur.execute("CREATE TABLE IF NOT EXISTS kept (n int)")
cur.execute("INSERT INTO kept VALUES (1)")
cur.execute("SELECT count(*) FROM kept")
rows = cur.fetchone()[0]
conn.close()
port = int(embedded.redis_url().rsplit(":", 1)[1])
print(json.dumps({"rows": rows, "redis_port": port, "socket_dir": db["HOST"]}))
"""


def attach(var_dir):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["MENTORSHIP_VAR_DIR"] = str(var_dir)
    result = subprocess.run(
        [sys.executable, "-c", ATTACH], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_servers_start_keep_their_data_between_runs_and_stop_with_the_last_process(tmp_path):
    var_dir = tmp_path / "var"
    first = attach(var_dir)
    assert first["rows"] == 1
    # The process has exited: both servers were stopped with it.
    assert not answers(first["redis_port"])
    assert not (Path(first["socket_dir"]) / ".s.PGSQL.5432").exists()

    second = attach(var_dir)
    assert second["rows"] == 2  # the first run's row is still there
    assert (var_dir / "pgdata" / "PG_VERSION").exists()
    assert (var_dir / "redis" / "server.json").exists()


HOLD = """
import sys
from mentorship import embedded
urls = {"redis": embedded.redis_url}
if "postgres" in sys.argv[1:]:
    urls["postgres"] = embedded.database_url
for name, url in urls.items():
    print(name, url(), flush=True)
sys.stdin.read()  # holds the servers, as `make run` does, until the test closes stdin
"""


@contextlib.contextmanager
def holder(var_dir, *servers):
    """A process like `make run`'s launcher: it started the servers and holds them until the end."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["MENTORSHIP_VAR_DIR"] = str(var_dir)
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, *servers],
        cwd=BASE_DIR, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        urls = dict(process.stdout.readline().split() for _ in ("redis", *servers))
        yield urls
    finally:
        process.stdin.close()
        process.wait(timeout=60)


def wait_until(predicate, *, timeout=30):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_redis_comes_back_on_the_recorded_port_so_running_processes_reconnect(tmp_path):
    var_dir = tmp_path / "var"
    with holder(var_dir) as urls:
        port = int(urls["redis"].rsplit(":", 1)[1])
        client = redis.Redis.from_url(urls["redis"])  # a worker's connection, open when Redis dies
        client.ping()
        os.kill(int((var_dir / "redis" / "redis.pid").read_text()), signal.SIGKILL)
        wait_until(lambda: not answers(port))

        restarted = attach(var_dir)  # the next process that needs Redis starts it again

        assert restarted["redis_port"] == port
        assert client.ping()  # the old connection's client reconnects, as web, worker and beat do
        client.close()
    assert not answers(port)  # and it still stops with the last process


def test_a_postgres_restarted_by_another_process_stops_with_the_launcher(tmp_path):
    var_dir = tmp_path / "var"
    pgdata = var_dir / "pgdata"
    with holder(var_dir, "postgres"):
        first_pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        os.kill(first_pid, signal.SIGQUIT)  # an immediate stop: what a crash leaves behind
        wait_until(lambda: not pid_alive(first_pid))

        attach(var_dir)  # another process (tests, a management command) starts it again and exits

        second_pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        assert second_pid != first_pid and pid_alive(second_pid)  # still held by the launcher
    wait_until(lambda: not pid_alive(second_pid))
    assert not (pgdata / "postmaster.pid").exists()
