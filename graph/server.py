"""The managed local Neo4j server: Community 5.26 jars fetched by Maven, run on loopback Bolt.

Jars are resolved once into the local Maven repository (``~/.m2``) by ``graph/neo4j/pom.xml``;
their classpath and the compiled launcher are cached under ``settings.cache_dir`` so later
starts need no network. Data and logs live under ``settings.home/neo4j``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from graph.errors import Unavailable
from graph.settings import Settings

NEO4J_DIR = Path(__file__).parent / "neo4j"
POM = NEO4J_DIR / "pom.xml"
LAUNCHER = NEO4J_DIR / "Launcher.java"
READY_MARK = "PLANTALENT-NEO4J-READY"


class Neo4jServerError(Unavailable):
    """A managed-server problem explained in one sentence (no stack trace for users)."""


@dataclass
class ServerStatus:
    running: bool
    pid: int | None
    host: str
    port: int
    home: Path
    store_bytes: int
    version: str | None

    def as_dict(self) -> dict[str, object]:
        return {
            "running": self.running,
            "pid": self.pid,
            "host": self.host,
            "port": self.port,
            "home": str(self.home),
            "store_bytes": self.store_bytes,
            "version": self.version,
        }


def _neo4j_version() -> str:
    text = POM.read_text(encoding="utf-8")
    start = text.index("<neo4j.version>") + len("<neo4j.version>")
    return text[start : text.index("</neo4j.version>")]


class ManagedNeo4j:
    """Start, stop and inspect the project's own Neo4j server for one ``PLANTALENT_HOME``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.dir = Path(settings.home).resolve() / "neo4j"
        self.pidfile = self.dir / "server.json"
        self.logfile = self.dir / "server.log"
        self.host = settings.bolt_host
        self.port = settings.bolt_port

    # ---- jars and launcher -------------------------------------------------------------
    def _cache(self) -> Path:
        key = hashlib.sha256(POM.read_bytes() + LAUNCHER.read_bytes()).hexdigest()[:12]
        return Path(self.settings.cache_dir).expanduser().resolve() / f"neo4j-{_neo4j_version()}-{key}"

    def fetch(self) -> Path:
        """Resolve the Neo4j jars with Maven (once) and compile the launcher; return the cache dir."""
        cache = self._cache()
        cp_file, classes = cache / "classpath.txt", cache / "classes"
        if cp_file.exists() and (classes / "Launcher.class").exists():
            return cache
        java, javac, mvn = shutil.which("java"), shutil.which("javac"), shutil.which("mvn")
        if not java or not javac:
            raise Neo4jServerError("Java 17 (java and javac) is needed to run Neo4j; install a JDK 17, e.g. `apt-get install openjdk-17-jdk-headless`.")
        if not mvn:
            raise Neo4jServerError("Maven is needed once to fetch the Neo4j jars; install it, e.g. `apt-get install maven`.")
        cache.mkdir(parents=True, exist_ok=True)
        tmp_cp = cache / f"classpath.{os.getpid()}.tmp"
        proc = subprocess.run(
            [mvn, "-q", "-B", "-f", str(POM), "dependency:build-classpath", f"-Dmdep.outputFile={tmp_cp}"],
            capture_output=True, text=True,
        )
        if proc.returncode != 0 or not tmp_cp.exists():
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
            raise Neo4jServerError("Maven could not fetch the Neo4j jars:\n" + "\n".join(tail))
        tmp_classes = cache / f"classes.{os.getpid()}.tmp"
        proc = subprocess.run(
            [javac, "-cp", tmp_cp.read_text().strip(), "-d", str(tmp_classes), str(LAUNCHER)],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            raise Neo4jServerError("Compiling the Neo4j launcher failed:\n" + proc.stderr[-2000:])
        # Atomic renames: two servers starting side by side may both get here.
        if not classes.exists():
            try:
                tmp_classes.rename(classes)
            except OSError:
                shutil.rmtree(tmp_classes, ignore_errors=True)
        else:
            shutil.rmtree(tmp_classes, ignore_errors=True)
        tmp_cp.replace(cp_file)
        return cache

    # ---- process bookkeeping -----------------------------------------------------------
    def _read_pidfile(self) -> dict[str, int] | None:
        try:
            return json.loads(self.pidfile.read_text())
        except (OSError, ValueError):
            return None

    def pid(self) -> int | None:
        """The server's pid if our pidfile names a live process, else None."""
        info = self._read_pidfile()
        if not info:
            return None
        pid = int(info["pid"])
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"Launcher" not in cmdline:
                return None
        except OSError:
            pass
        return pid

    def _port_busy(self) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((self.host, self.port))
            except OSError:
                return True
        return False

    def _answers(self) -> bool:
        try:
            with GraphDatabase.driver(
                self.settings.neo4j_uri,
                auth=(self.settings.neo4j_user, self.settings.neo4j_password),
                connection_timeout=2,
            ) as drv:
                # A plain session, not execute_query: that one retries (and logs) for 30 s.
                with drv.session(database=self.settings.neo4j_database) as session:
                    session.run("RETURN 1").consume()
            return True
        except (ServiceUnavailable, Neo4jError, OSError):
            return False

    # ---- public operations -------------------------------------------------------------
    def start(self) -> float:
        """Start the server unless it runs already; return the seconds it took."""
        began = time.monotonic()
        if self.pid() is not None and self._answers():
            return 0.0
        if self._port_busy():
            raise Neo4jServerError(
                f"Port {self.port} on {self.host} is already in use by another process; "
                "stop it or set NEO4J_URI to another port (e.g. bolt://127.0.0.1:7688)."
            )
        cache = self.fetch()
        classpath = f"{cache / 'classes'}:{(cache / 'classpath.txt').read_text().strip()}"
        self.dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PLANTALENT_NEO4J_PASSWORD=self.settings.neo4j_password)
        log = open(self.logfile, "ab")
        proc = subprocess.Popen(
            [
                shutil.which("java") or "java",
                f"-Xmx{self.settings.neo4j_heap}",
                "-XX:+UseG1GC",
                "-Dfile.encoding=UTF-8",
                "-cp", classpath,
                "Launcher",
                str(self.dir / "dbms"),
                self.host,
                str(self.port),
                "",
                str(self.settings.neo4j_pagecache_mb),
            ],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )
        log.close()
        self.pidfile.write_text(json.dumps({"pid": proc.pid, "port": self.port}))
        deadline = began + self.settings.neo4j_start_timeout_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pidfile.unlink(missing_ok=True)
                raise Neo4jServerError(
                    f"Neo4j exited during start (code {proc.returncode}); last log lines:\n{self._log_tail()}"
                )
            if READY_MARK in self._log_tail(5) and self._answers():
                return time.monotonic() - began
            time.sleep(0.5)
        self.stop()
        raise Neo4jServerError(f"Neo4j did not answer within {self.settings.neo4j_start_timeout_s:.0f} s; see {self.logfile}")

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after ``timeout``); False if none ran."""
        pid = self.pid()
        if pid is None:
            self.pidfile.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            _reap(pid)
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pidfile.unlink(missing_ok=True)
        return True

    def status(self) -> ServerStatus:
        """Pid, port, store size and version of this home's server."""
        pid = self.pid()
        version = None
        if pid is not None and self._answers():
            with GraphDatabase.driver(
                self.settings.neo4j_uri, auth=(self.settings.neo4j_user, self.settings.neo4j_password)
            ) as drv:
                rec = drv.execute_query("CALL dbms.components() YIELD versions, edition RETURN versions[0] + ' ' + edition AS v").records
                version = rec[0]["v"] if rec else None
        store = self.dir / "dbms" / "data"
        size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) if store.exists() else 0
        return ServerStatus(pid is not None, pid, self.host, self.port, self.dir, size, version)

    def _log_tail(self, n: int = 20) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _reap(pid: int) -> None:
    # A server started by this very process must be waited for, or it lingers as a zombie.
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
