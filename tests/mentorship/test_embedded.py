"""The embedded servers are real, keep their data under var/, and stop with their last user."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

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
