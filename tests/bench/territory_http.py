"""Serving and loading for the large-territory benchmark: gunicorn processes, wrk runs, ballots sent
by a bounded pool of threads, and sessions made ahead of time for the voters."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USER_AGENT = "territory-bench"
SECRET_KEY = "bench-territory-secret-key-not-for-production"  # noqa: S105  (benchmark servers only)

GET_SCRIPT = r"""
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
end
function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end
function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do merged[k] = (merged[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, '
    .. '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A gunicorn master and its workers, in a process group of their own; stopped by that group's id."""

    name: str
    process: subprocess.Popen
    port: int
    log: Path

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


def start_gunicorn(
    name: str,
    target: str,
    env: dict[str, str],
    *,
    workers: int,
    worker_class: str,
    threads: int,
    log_dir: Path,
    ready_path: str = "/healthz",
    timeout: float = 60,
) -> Server:
    port = free_port()
    log = log_dir / f"gunicorn-{name}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    command.append(target)
    process = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(name, process, port, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn {name} stopped at start: see {log}\n{log.read_text()[-3000:]}")
        try:
            status, _headers, _body = request(port, "GET", ready_path, timeout=5)
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"gunicorn {name} did not answer on {ready_path} within {timeout:.0f} s: see {log}")


def request(
    port: int, method: str, path: str, *, headers: dict[str, str] | None = None, body: str | None = None, timeout=30
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        found: dict[str, str] = {}
        for key, value in response.getheaders():
            key = key.lower()
            found[key] = f"{found[key]}\n{value}" if key in found else value
        return response.status, found, data
    finally:
        connection.close()


def cookie_from(headers: dict[str, str], name: str = "session") -> str | None:
    for line in headers.get("set-cookie", "").split("\n"):
        first = line.split(";", 1)[0].strip()
        if first.startswith(f"{name}="):
            return first[len(name) + 1 :]
    return None


def log_in(port: int, email: str, password: str) -> str:
    """A real login through the form (CSRF token and all); returns the session cookie."""
    import re

    status, headers, body = request(port, "GET", "/account/login")
    if status != 200:
        raise RuntimeError(f"login page answered {status}")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body) or re.search(
        rb'name="csrf_token"[^>]*value="([^"]+)"', body
    )
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    cookie = cookie_from(headers)
    form = urllib.parse.urlencode({"csrf_token": token.group(1).decode(), "email": email, "password": password})
    status, headers, _body = request(
        port,
        "POST",
        "/account/login",
        headers={"Cookie": f"session={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
        body=form,
    )
    session = cookie_from(headers)
    if status != 302 or not session:
        raise RuntimeError(f"login refused ({status})")
    return session


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    statuses: dict[str, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(
    port: int, path: str, *, connections: int, duration: float, headers: dict[str, str] | None = None
) -> WrkResult:
    script = Path(tempfile.gettempdir()) / "territory-bench-get.lua"
    script.write_text(GET_SCRIPT)
    threads = max(1, min(2, connections))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration:g}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        "-H",
        f"User-Agent: {USER_AGENT}",
    ]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)  # noqa: S603
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures for {path}: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    data = json.loads(line[len("BENCH ") :])
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=data["connect"] + data["read"] + data["write"] + data["timeout"] + data["status"],
        statuses=data["statuses"],
    )


# ------------------------------------------------------------------------------------------- ballots


@dataclass
class Ballot:
    path: str
    cookie: str
    body: str
    voter_id: int
    vote_id: int


@dataclass
class VoteRun:
    sent: int = 0
    accepted: int = 0  # 302: "Your ballot is recorded"
    refused: dict[str, int] = field(default_factory=dict)
    failed: int = 0  # no answer (connection error, timeout)
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    exhausted: bool = False

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0


def send_ballots(port: int, ballots: list[Ballot], *, clients: int, duration: float) -> VoteRun:
    """`clients` threads, each sending one ballot at a time, until `duration` seconds have passed or every
    ballot is sent. A thread finishes the request it has begun, so every ballot sent gets its answer."""
    run = VoteRun()
    lock = threading.Lock()
    position = 0
    began = time.perf_counter()
    deadline = began + duration

    def worker() -> None:
        nonlocal position
        while time.perf_counter() < deadline:
            with lock:
                if position >= len(ballots):
                    run.exhausted = True
                    return
                ballot = ballots[position]
                position += 1
                run.sent += 1
            start = time.perf_counter()
            try:
                status, _headers, _body = request(
                    port,
                    "POST",
                    ballot.path,
                    headers={"Cookie": f"session={ballot.cookie}", "Content-Type": "application/x-www-form-urlencoded"},
                    body=ballot.body,
                    timeout=30,
                )
            except OSError:
                with lock:
                    run.failed += 1
                continue
            elapsed = time.perf_counter() - start
            with lock:
                run.latencies.append(elapsed)
                if status == 302:
                    run.accepted += 1
                else:
                    run.refused[str(status)] = run.refused.get(str(status), 0) + 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    run.seconds = time.perf_counter() - began
    return run


def mint_sessions(database_url: str, user_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Log people in ahead of time, in this process, with the app's own code (Flask-Login's login_user and
    Flask-WTF's CSRF token) and its secret key: {user id: (session cookie, CSRF token)}.

    Each real login costs a scrypt hash (about 75 ms): thousands of them would take minutes before the
    measure and say nothing about casting a ballot."""
    from flask import g, session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import select

    from consultation import create_app
    from consultation.accounts.models import User
    from consultation.extensions import db

    app = create_app({"SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": database_url, "AUTO_MIGRATE": False})
    serializer = app.session_interface.get_signing_serializer(app)
    found: dict[int, tuple[str, str]] = {}
    with app.app_context():
        for start in range(0, len(user_ids), 5000):
            chunk = user_ids[start : start + 5000]
            users = db.session.scalars(select(User).where(User.id.in_(chunk))).all()
            for user in users:
                with app.test_request_context(
                    "/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
                ):
                    g.pop("csrf_token", None)  # Flask-WTF keeps the token in g, which the app context shares
                    login_user(user)
                    token = generate_csrf()
                    found[user.id] = (serializer.dumps(dict(session)), token)
            db.session.expunge_all()
        db.session.remove()
        db.engine.dispose()
    return found
