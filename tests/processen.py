"""Real processes for the fault tests: a Redis of the test's own (it must be
stopped and restarted, which the run's shared Redis may not be), a Celery
worker as a separate process (it must be killed with SIGKILL) and a small
SMTP server whose moods a test sets (refusing, silent, holding a message).

The worker is production's: `celery -A zorg worker` with the production
settings (tests/worker_settings.py changes only how often Redis is scanned
for lost tasks), pointed at the test database, the test's Redis and SMTP
server."""

from __future__ import annotations

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wacht_tot(voorwaarde, seconden: float = 30.0, stap: float = 0.1) -> bool:
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if voorwaarde():
            return True
        time.sleep(stap)
    return False


class EigenRedis:
    """redis-server on a free port with its data in `map`. `appendonly yes`
    with an fsync per write, as the production docs ask: what the broker
    accepted survives a restart."""

    def __init__(self, map: Path, *, appendonly: bool = True):
        self.map = map
        self.poort = vrije_poort()
        self.appendonly = appendonly
        self.proces: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.poort}/0"

    def starten(self) -> None:
        self.proces = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.poort),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes" if self.appendonly else "no",
                "--appendfsync",
                "always",
                "--dir",
                str(self.map),
                "--logfile",
                str(self.map / "redis.log"),
            ],
        )
        assert wacht_tot(self.antwoordt, 20), "redis-server did not start"

    def antwoordt(self) -> bool:
        try:
            return self.client().ping()
        except Exception:
            return False

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.poort, socket_timeout=2)

    def stoppen(self) -> None:
        """SIGTERM: Redis' own orderly shutdown (what systemd does on a restart)."""
        if self.proces and self.proces.poll() is None:
            self.proces.terminate()
            self.proces.wait(20)
        self.proces = None

    def wachtrij(self, naam: str = "celery") -> int:
        return self.client().llen(naam)


class Worker:
    """`celery -A zorg worker` in processes of its own, one task at a time,
    with short limits so a test sees claims expire and retries come within
    seconds (the same chain the settings insist on, in seconds)."""

    OMGEVING = {
        "EMAIL_TIMEOUT": "1",
        "ZORG_TASK_SOFT_TIME_LIMIT": "2",
        "ZORG_TASK_TIME_LIMIT": "3",
        "ZORG_MAIL_RETRY_SECONDS": "1",
        "ZORG_CELERY_VISIBILITY_TIMEOUT": "12",
    }

    def __init__(self, redis: EigenRedis, smtp_poort: int, log: Path):
        self.redis = redis
        self.smtp_poort = smtp_poort
        self.log = log
        self.proces: subprocess.Popen | None = None

    def _omgeving(self) -> dict[str, str]:
        db = connection.settings_dict
        omgeving = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("ZORG_", "EMAIL_", "DJANGO_", "DATABASE_", "REDIS_"))
        }
        omgeving.update(self.OMGEVING)
        omgeving.update(
            DJANGO_SETTINGS_MODULE="tests.worker_settings",
            # The test database (test_zorg...), which the test commits to.
            DATABASE_URL=(
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            ),
            REDIS_URL=self.redis.url,
            ZORG_SECRET_KEY="fault-tests-only-" + "s" * 50,
            ZORG_BASE_URL="https://zorg.example.org",
            ZORG_HTTPS="0",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp_poort),
            EMAIL_USE_TLS="0",
            PYTHONUNBUFFERED="1",
        )
        return omgeving

    def starten(self) -> None:
        with self.log.open("a") as uit:
            uit.write(f"\n--- worker start {time.strftime('%H:%M:%S')} ---\n")
        self.proces = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "zorg",
                "worker",
                # Production's pool (prefork), one child: the task runs in a
                # child process, as it does on a server.
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--hostname",
                f"fout-{vrije_poort()}@%h",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self._omgeving(),
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            # A process group of its own: `doden` kills the parent and its
            # child together, as the OOM killer or a container stop would.
            start_new_session=True,
        )
        assert wacht_tot(lambda: "ready." in self.log.read_text(), 60), self.logboek()

    def doden(self) -> None:
        """SIGKILL: no goodbye, no acknowledgement, no cleanup."""
        if self.proces and self.proces.poll() is None:
            os.killpg(self.proces.pid, signal.SIGKILL)
            self.proces.wait(20)
        self.proces = None

    def stoppen(self) -> None:
        if self.proces and self.proces.poll() is None:
            self.proces.terminate()
            try:
                self.proces.wait(20)
            except subprocess.TimeoutExpired:
                self.doden()
        self.proces = None

    def logboek(self) -> str:
        return self.log.read_text() if self.log.exists() else ""


class _SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        server: SMTPServer = self.server
        with server.slot:
            server.verbindingen += 1
            nummer = server.verbindingen
        if nummer <= server.weigeren:
            # "Not now": a server that is up but refuses mail for a while.
            server.geweigerd += 1
            self.wfile.write(b"421 4.3.2 zorg-test: service not available, try later\r\n")
            return
        if nummer <= server.weigeren + server.stil:
            server.stil_aangenomen.set()
            server.einde.wait(60)
            return
        self.wfile.write(b"220 zorg-test ESMTP\r\n")
        regels, in_data, ontvangers = [], False, []
        for regel in self.rfile:
            if in_data:
                if regel.rstrip(b"\r\n") != b".":
                    regels.append(regel)
                    continue
                in_data = False
                with server.slot:
                    server.ontvangen += 1
                    vasthouden = server.ontvangen == server.vasthouden_bij
                if vasthouden:
                    # The message arrived, the reply never comes: the sender
                    # cannot know it was taken, and it was not.
                    server.vastgehouden.set()
                    server.einde.wait(60)
                    return
                time.sleep(server.vertraging)
                with server.slot:
                    server.berichten.append(b"".join(regels))
                    server.ontvangers.extend(ontvangers)
                regels, ontvangers = [], []
                self.wfile.write(b"250 queued\r\n")
                continue
            opdracht = regel[:4].upper()
            if opdracht == b"DATA":
                in_data = True
                self.wfile.write(b"354 end with .\r\n")
            elif opdracht == b"RCPT":
                ontvangers.append(regel.split(b":", 1)[1].strip(b" <>\r\n").decode())
                self.wfile.write(b"250 ok\r\n")
            elif opdracht == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # EHLO, HELO, MAIL, RSET, NOOP
                self.wfile.write(b"250 zorg-test\r\n")


class SMTPServer(socketserver.ThreadingTCPServer):
    """Keeps every message it accepted (`berichten`, `ontvangers`). Moods:
    the first `weigeren` connections are refused (421), the next `stil`
    ones accepted and never answered; the `vasthouden_bij`-th message is
    received and never acknowledged; `vertraging` seconds before each 250."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.slot = threading.Lock()
        self.verbindingen = 0
        self.ontvangen = 0
        self.weigeren = 0
        self.geweigerd = 0
        self.stil = 0
        self.vasthouden_bij = 0
        self.vertraging = 0.0
        self.stil_aangenomen = threading.Event()
        self.vastgehouden = threading.Event()
        self.einde = threading.Event()
        self.berichten: list[bytes] = []
        self.ontvangers: list[str] = []

    @property
    def poort(self) -> int:
        return self.server_address[1]

    def draaien(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def sluiten(self) -> None:
        self.einde.set()
        self.shutdown()
        self.server_close()
