"""A local cluster on this machine, as production runs on several: nginx in front of two gunicorn instances, two
rq workers, rq's cron and the outbox relay, over one PostgreSQL database and one Redis.

    make cluster                                  # or: .venv/bin/python deploy/local_cluster.py [--keep-db]

Each part is a real process on its own port, started with the same commands and settings as deploy/systemd
(production mode, deploy/gunicorn.conf.py, AnnouncingWorker, `rq cron coordination.jobs.cron_config`,
`flask jobs relay`); only the ports, the secrets (generated, throw-away) and the database (`coord_cluster`, on
the server of TEST_DATABASE_URL, dropped afterwards) are local. nginx retries a request on the other instance
when one is down (`proxy_next_upstream error timeout`; for GET and, since nothing was sent, a refused
connection). Ctrl-C stops everything. `bench/cluster_faults.py` drives it while killing parts of it.
"""
from __future__ import annotations

import argparse
import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DATABASE = "coord_cluster"

NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    upstream coordination_web {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 2m;
        location / {{
            proxy_pass http://coordination_web;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto http;
            proxy_set_header X-Request-Id $request_id;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _secret(n: int = 32) -> str:
    return base64.urlsafe_b64encode(os.urandom(n)).decode()


@dataclass
class Cluster:
    server_url: str = DEFAULT_SERVER
    web_instances: int = 2
    workers: int = 2
    gunicorn_workers: int = 2
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="coord-cluster-")))
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self):
        from sqlalchemy.engine import make_url

        self.database_url = make_url(self.server_url).set(database=DATABASE).render_as_string(hide_password=False)
        self.redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.web_ports = [free_port() for _ in range(self.web_instances)]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        signing = base64.urlsafe_b64encode(Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())).decode()
        self.env = {**os.environ,
                    "PYTHONPATH": str(ROOT), "COORDINATION_ENV": "production", "DATABASE_URL": self.database_url,
                    "REDIS_URL": self.redis_url, "INSTANCE_PATH": str(self.work / "instance"),
                    "SECRET_KEY": _secret(48), "ENCRYPTION_KEYS": "c1:" + _secret(), "BLIND_INDEX_KEY": _secret(),
                    "AUDIT_SIGNING_KEY": signing, "AUDIT_CHAIN_KEY": _secret(),
                    "AUDIT_CHECKPOINT_DIR": str(self.work / "checkpoints"), "MAIL_SENDER": "log",
                    "MAIL_LOG": str(self.work / "mail.log"), "PUBLIC_BASE_URL": self.url,
                    "GUNICORN_WORKERS": str(self.gunicorn_workers), "GUNICORN_ACCESS_LOG": "/dev/null",
                    "GUNICORN_CONTROL_SOCKET": "", "OUTBOX_LEASE_SECONDS": "10", "OUTBOX_JOB_TIMEOUT": "20"}
        (self.work / "instance").mkdir(parents=True, exist_ok=True)

    # ---- the parts -----------------------------------------------------------------------------------

    def _spawn(self, name: str, cmd: list[str]) -> None:
        log = (self.work / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=log, stderr=log,
                                                start_new_session=True)

    def flask(self, *args: str, stdin: str | None = None) -> str:
        out = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], env=self.env, cwd=ROOT, input=stdin,
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed: {out.stderr[-2000:]}")
        return out.stdout.strip()

    def start_redis(self) -> None:
        self._spawn("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "",
                              "--appendonly", "no"])
        self._wait(lambda: self._listening(self.redis_port), "redis")

    def start_web(self, i: int) -> None:
        self._spawn(f"web-{i + 1}", [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
                                     "--bind", f"127.0.0.1:{self.web_ports[i]}", "wsgi:app"])

    def start_worker(self, i: int) -> None:
        self._spawn(f"worker-{i + 1}", [str(BIN / "rq"), "worker", "-w",
                                        "coordination.instances.AnnouncingWorker", "--url", self.redis_url,
                                        "default"])

    def start(self) -> None:
        from sqlalchemy import create_engine, text

        admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
        admin.dispose()
        self.flask("db", "upgrade")
        self.start_redis()
        for i in range(self.web_instances):
            self.start_web(i)
        for i in range(self.workers):
            self.start_worker(i)
        self._spawn("cron", [str(BIN / "rq"), "cron", "coordination.jobs.cron_config", "--url", self.redis_url])
        self._spawn("relay", [str(BIN / "flask"), "--app", "wsgi", "jobs", "relay", "--interval", "1"])
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in self.web_ports)
        (self.work / "nginx.conf").write_text(NGINX_CONF.format(work=self.work, servers=servers, port=self.port))
        self._spawn("nginx", ["nginx", "-p", str(self.work), "-c", str(self.work / "nginx.conf"),
                              "-g", "daemon off;"])
        for port in self.web_ports:
            self._wait(lambda port=port: self._answers(f"http://127.0.0.1:{port}/api/openapi.json"), "gunicorn", 90)
        self._wait(lambda: self._answers(self.url + "/api/openapi.json"), "nginx")

    def kill(self, name: str) -> None:
        """SIGKILL a part and everything it started (a host lost: nothing gets to clean up)."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def restart_redis(self) -> None:
        """Kill Redis (no persistence: its queues are lost) and start it again, empty, on the same port."""
        self.kill("redis")
        time.sleep(1)
        self.start_redis()

    def stop(self, drop: bool = True) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        if drop:
            from sqlalchemy import create_engine, text

            admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
            admin.dispose()

    # ---- helpers -------------------------------------------------------------------------------------

    @staticmethod
    def _listening(port: int) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def _wait(self, ready, what: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start; see the logs in {self.work}")
            time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-url", default=os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER)
    parser.add_argument("--keep-db", action="store_true", help="keep the coord_cluster database afterwards")
    args = parser.parse_args(argv)
    for tool in ("nginx", "redis-server"):
        if shutil.which(tool) is None:
            print(f"{tool} is needed (apt-get install -y nginx-light redis-server)", file=sys.stderr)
            return 2
    cluster = Cluster(server_url=args.server_url)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        cluster.start()
        agency = cluster.flask("agency", "add", "Eastmere Early Help Hub", "--type", "council_early_help")
        password = _secret(18)
        cluster.flask("user", "add", "manager@eastmere.example", "--agency", agency, "--role", "manager",
                      stdin=password + "\n")
        print(f"cluster up: {cluster.url} (nginx) → gunicorn on {', '.join(map(str, cluster.web_ports))}; "
              f"{cluster.workers} rq workers, rq cron and the relay; Redis {cluster.redis_url}; "
              f"database {DATABASE}; logs in {cluster.work}")
        print(f"sign in as manager@eastmere.example with {password}")
        print("Ctrl-C stops it all.")
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop(drop=not args.keep_db)


if __name__ == "__main__":
    sys.exit(main())
