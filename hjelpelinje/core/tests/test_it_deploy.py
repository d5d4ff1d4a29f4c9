"""The operator's kit in deploy/, run for real.

The nginx site file is served by Debian's nginx (its own prefix, configuration and free
ports in a temporary directory, never the system's nginx) in front of two uvicorn workers
started with the very command line of the systemd unit; the timers' commands are the
management commands that exist.
"""

from __future__ import annotations

import asyncio
import configparser
import datetime as dt
import http.client
import ipaddress
import json
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.management import get_commands
from websockets.asyncio.client import connect

from hjelpelinje.chat.tests.proof import start_frame
from hjelpelinje.chat.tests.server import ROOT, World, free_port

DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
SITE = DEPLOY / "nginx" / "hjelpelinje.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_URL = "redis://127.0.0.1:6379/0"


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


def test_every_timer_runs_a_management_command_that_exists() -> None:
    commands = get_commands()
    timers = sorted(UNITS.glob("*.timer"))
    assert {t.stem for t in timers} >= {
        "hjelpelinje-backup",
        "hjelpelinje-purge",
        "hjelpelinje-verify-audit",
        "hjelpelinje-clearsessions",
    }
    target = _unit(UNITS / "hjelpelinje.target")["Unit"]["Wants"]
    operations = (ROOT / "docs" / "operations.md").read_text().splitlines()
    for timer in timers:
        service = timer.with_suffix(".service")
        assert service.exists(), f"{timer.name} starts no service"
        argv = shlex.split(_unit(service)["Service"]["ExecStart"])
        assert argv[0] == "/srv/hjelpelinje/.venv/bin/hjelpelinje"
        assert argv[1] in commands, f"{service.name} runs an unknown command {argv[1]}"
        assert timer.name in target, f"hjelpelinje.target does not start {timer.name}"
        calendar = _unit(timer)["Timer"]["OnCalendar"]
        if shutil.which("systemd-analyze"):
            subprocess.run(
                ["systemd-analyze", "calendar", calendar], check=True, capture_output=True
            )
        # The documented schedule is the one the timer keeps.
        at = calendar.split()[-1][:5]
        documented = [line for line in operations if f"`hjelpelinje {argv[1]}" in line]
        assert documented and documented[0].startswith(f"| daily, {at} |"), timer.name


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, as a test CA and server at once."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hjelpelinje.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"the site file no longer has {old!r}; update the smoke test"
    return text.replace(old, new)


@dataclass
class Proxy:
    port: int
    logs: Path
    tls: ssl.SSLContext

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.tls, timeout=30)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            conn.endheaders()
            response = conn.getresponse()
            # The headers as a message: their names are matched in any case.
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def logged(self) -> str:
        return "".join(p.read_text() for p in sorted(self.logs.glob("*.log")))


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not start")


def _workers(w: World, count: int, logs: Path) -> list[int]:
    """Uvicorn workers started with the command line of hjelpelinje-web@.service, their
    output kept in `logs` as the journal would keep it."""
    argv = shlex.split(_unit(UNITS / "hjelpelinje-web@.service")["Service"]["ExecStart"])
    assert argv[0] == "/srv/hjelpelinje/.venv/bin/uvicorn"
    ports = []
    for _ in range(count):
        port = free_port()
        command = [sys.executable, "-m", "uvicorn", *(a.replace("%i", str(port)) for a in argv[1:])]
        with (logs / f"worker-{port}.log").open("wb") as log:
            proc = subprocess.Popen(command, env=w.env, cwd=ROOT, stdout=log, stderr=log)
        w.procs.append(proc)
        _wait_for_port(port, proc, "uvicorn")
        ports.append(port)
    return ports


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, Proxy]]:
    if not Path(NGINX).exists():
        pytest.skip("Debian's nginx is not installed (apt-get install nginx-light)")
    prefix = tmp_path_factory.mktemp("nginx")
    (prefix / "logs").mkdir()
    static = prefix / "static"
    static.mkdir()
    (static / "smoke.css").write_text("body { color: #222; }\n")
    cert, key = _certificate(prefix)
    # The logging of production (INFO), not the quieter one of the other server tests.
    w = World(counsellors=1, redis_url=REDIS_URL, LOG_LEVEL="INFO")
    nginx: subprocess.Popen[bytes] | None = None
    try:
        first, second = _workers(w, 2, prefix / "logs")
        http_port, https_port = free_port(), free_port()
        site = SITE.read_text()
        for old, new in (
            ("listen 80;", f"listen 127.0.0.1:{http_port};"),
            ("listen [::]:80;", ""),
            ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
            ("listen [::]:443 ssl;", ""),
            ("/etc/letsencrypt/live/hjelpelinje.example.org/fullchain.pem", str(cert)),
            ("/etc/letsencrypt/live/hjelpelinje.example.org/privkey.pem", str(key)),
            ("/var/log/nginx/", f"{prefix}/logs/"),
            ("server 127.0.0.1:8001", f"server 127.0.0.1:{first}"),
            ("server 127.0.0.1:8002", f"server 127.0.0.1:{second}"),
            ("/srv/hjelpelinje/staticfiles/", f"{static}/"),
            ("/srv/hjelpelinje/var/media/images/", f"{prefix}/media/images/"),
        ):
            site = _replace(site, old, new)
        (prefix / "hjelpelinje.conf").write_text(site)
        temp = "\n".join(
            f"    {kind}_temp_path {prefix}/tmp-{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # The frame Debian's nginx.conf gives a site, with everything in the prefix.
        (prefix / "nginx.conf").write_text(
            f"""
user root;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/main-error.log crit;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/logs/main-access.log;
{temp}
    include {prefix}/hjelpelinje.conf;
}}
"""
        )
        args = [
            NGINX,
            "-p",
            str(prefix),
            "-c",
            str(prefix / "nginx.conf"),
            "-e",
            f"{prefix}/logs/startup.log",
        ]
        subprocess.run([*args, "-t", "-q"], check=True, capture_output=True)
        nginx = subprocess.Popen([*args, "-g", "daemon off;"])
        _wait_for_port(https_port, nginx, "nginx")
        tls = ssl.create_default_context(cafile=str(cert))
        yield w, Proxy(port=https_port, logs=prefix / "logs", tls=tls)
    finally:
        if nginx is not None:
            nginx.terminate()
            try:
                nginx.wait(timeout=20)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait()
        w.close()


def test_pages_and_static_files_come_through_tls(proxy: tuple[World, Proxy]) -> None:
    _, p = proxy
    status, headers, body = p.request("GET", "/chat/")
    assert status == 200
    assert "<html" in body.decode()
    # Django knows the request came over TLS: its strict transport header is set.
    assert "max-age" in headers.get("Strict-Transport-Security", "")
    status, headers, body = p.request("GET", "/static/smoke.css")
    assert status == 200 and body == b"body { color: #222; }\n"
    assert headers["Content-Type"] == "text/css"
    assert headers["X-Content-Type-Options"] == "nosniff"
    # The media directory itself is never served: documents go through the application.
    assert p.request("GET", "/media/documents/brosjyre.pdf")[0] == 404


def test_a_chat_through_the_proxy(proxy: tuple[World, Proxy]) -> None:
    w, p = proxy
    origin = f"https://127.0.0.1:{p.port}"

    async def until(ws: Any, kind: str) -> dict[str, Any]:
        async with asyncio.timeout(30):
            while True:
                frame = json.loads(await ws.recv())
                if frame["type"] == kind:
                    return frame  # type: ignore[no-any-return]

    async def chat() -> str:
        async with (
            connect(f"wss://127.0.0.1:{p.port}/ws/chat/visitor/", ssl=p.tls) as visitor,
            connect(
                f"wss://127.0.0.1:{p.port}/staff/ws/chat/",
                ssl=p.tls,
                origin=origin,  # type: ignore[arg-type]
                additional_headers={"Cookie": f"sessionid={w.sessions[0]}"},
            ) as counsellor,
        ):
            await until(counsellor, "state")
            await visitor.send(json.dumps(start_frame()))
            session = (await until(visitor, "started"))["session"]
            await counsellor.send(json.dumps({"type": "take"}))
            await until(counsellor, "assigned")
            await until(visitor, "joined")
            await counsellor.send(
                json.dumps(
                    {
                        "type": "message",
                        "text": "Hei, du snakker med Kari",
                        "client_id": "c1",
                        "session": session,
                    }
                )
            )
            return str((await until(visitor, "message"))["text"])

    assert asyncio.run(chat()) == "Hei, du snakker med Kari"


def test_bodies_and_headers_are_bounded(proxy: tuple[World, Proxy]) -> None:
    _, p = proxy
    # Refused on the length it announces, before a byte of it is read.
    status, _, body = p.request(
        "POST", "/staff/inquiries/importer/", {"Content-Length": str(60 * 1024 * 1024)}
    )
    assert status == 413, body
    # The public site takes far less than a staff import.
    status, _, _ = p.request("POST", "/chat/", {"Content-Length": str(2 * 1024 * 1024)})
    assert status == 413
    # An 8 MB header once reached uvicorn; now a header past 8 KB stops here.
    status, _, _ = p.request("GET", "/chat/", {"X-Padding": "a" * 9000})
    assert status == 400


def test_the_logs_name_no_client_address(proxy: tuple[World, Proxy]) -> None:
    _, p = proxy
    assert p.request("GET", "/chat/?utm_source=ola.nordmann")[0] == 200
    assert p.request("POST", "/chat/", {"Content-Length": str(2 * 1024 * 1024)})[0] == 413
    deadline = time.monotonic() + 30
    while "GET /chat/ 200" not in p.logged() and time.monotonic() < deadline:
        time.sleep(0.2)
    logged = p.logged()
    line = next(line for line in logged.splitlines() if "GET /chat/ 200" in line)
    assert "POST /chat/ 413" in logged
    # Neither nginx's logs nor the workers' name the client's address.
    assert "127.0.0.1" not in logged, "a log line names the client's address"
    # The query string is not kept either.
    assert "utm_source" not in logged and "ola.nordmann" not in logged
    assert len(line) < 120
