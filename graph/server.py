"""The managed local Neo4j server: Community 5.26 jars fetched by Maven, run on loopback Bolt.

Jars are resolved once into the local Maven repository (``~/.m2``) by ``graph/neo4j/pom.xml``;
their classpath and the compiled launcher are cached under ``settings.cache_dir`` so later
starts need no network. Data and logs live under ``settings.home/neo4j``.

With ``NEO4J_PASSWORD`` unset, the server gets a random password at its first start, kept in
``PLANTALENT_HOME/neo4j-password`` (mode 0600) and read by every later command (``Settings``); the
launcher sets the store's password to it at each start. A store made by an earlier version with the
fixed password ``plantalent-local`` is moved to a generated one, once, and the command says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from graph.errors import Unavailable
from graph.settings import Settings

NEO4J_DIR = Path(__file__).parent / "neo4j"
POM = NEO4J_DIR / "pom.xml"
LAUNCHER = NEO4J_DIR / "Launcher.java"
READY_MARK = "PLANTALENT-NEO4J-READY"
# The official bulk importer's entry point (`neo4j-admin`), in the neo4j-command-line and
# neo4j-import-tool jars that org.neo4j:neo4j brings along.
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
# A store swap not yet committed (see ManagedNeo4j.replace_store), beside the server's data.
SWAP_JOURNAL = "store-swap.json"
# The fixed password of the managed server before passwords were generated (migrated away from).
LEGACY_PASSWORD = "plantalent-local"
log = logging.getLogger("plantalent")


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
        self.data_dir = self.dir / "dbms" / "data"
        self.journal = self.dir / SWAP_JOURNAL

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

    def _classpath(self) -> str:
        cache = self.fetch()
        return f"{cache / 'classes'}:{(cache / 'classpath.txt').read_text().strip()}"

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

    def _answers(self, password: str | None = None) -> bool:
        password = password or self.settings.neo4j_password
        if not password:
            return False
        try:
            with GraphDatabase.driver(
                self.settings.neo4j_uri,
                auth=(self.settings.neo4j_user, password),
                connection_timeout=2,
            ) as drv:
                # A plain session, not execute_query: that one retries (and logs) for 30 s.
                with drv.session(database=self.settings.neo4j_database) as session:
                    session.run("RETURN 1").consume()
            return True
        except (ServiceUnavailable, Neo4jError, OSError):
            return False

    # ---- the password -----------------------------------------------------------------
    def _new_password_file(self) -> tuple[str, Path]:
        """A random password written to a new private temporary file beside the password file."""
        password = secrets.token_urlsafe(24)
        target = self.settings.password_file
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(password + "\n")
        return password, tmp

    def _keep_password(self, tmp: Path) -> str:
        """Move a new password file into place unless another process has just made one; the password kept."""
        target = self.settings.password_file
        try:
            os.link(tmp, target)  # fails if the file exists: the first process's password wins
        except FileExistsError:
            pass
        tmp.unlink(missing_ok=True)
        password = target.read_text(encoding="utf-8").strip()
        self.settings.neo4j_password = password
        return password

    def _password(self) -> str:
        """The password to start the server with: NEO4J_PASSWORD or the kept one, else a new one."""
        if self.settings.neo4j_password is not None:
            return self.settings.auth()[1]  # refuses an empty one
        existed = (self.dir / "dbms" / "data").is_dir()
        _, tmp = self._new_password_file()
        password = self._keep_password(tmp)
        if existed:
            log.warning("The managed Neo4j in %s had no kept password (the fixed one of earlier versions, or a removed "
                        "file); it now has a generated one, kept in %s (readable by you only).", self.dir,
                        self.settings.password_file)
        return password

    def _migrate_running(self) -> bool:
        """A server of an earlier version running with the fixed password: give it a generated one now
        (no restart). True if it was such a server."""
        if self.settings.neo4j_password is not None or not self._answers(LEGACY_PASSWORD):
            return False
        new, tmp = self._new_password_file()
        with GraphDatabase.driver(self.settings.neo4j_uri, auth=(self.settings.neo4j_user, LEGACY_PASSWORD)) as drv:
            drv.execute_query("ALTER CURRENT USER SET PASSWORD FROM $old TO $new", old=LEGACY_PASSWORD, new=new,
                              database_="system")
        os.replace(tmp, self.settings.password_file)
        self.settings.neo4j_password = new
        log.warning("The running managed Neo4j had the fixed password of earlier versions; it now has a generated "
                    "one, kept in %s (readable by you only).", self.settings.password_file)
        return True

    # ---- public operations -------------------------------------------------------------
    def start(self) -> float:
        """Start the server unless it runs already; return the seconds it took."""
        began = time.monotonic()
        if self._orphaned_swap():
            # A bulk load died between swapping stores and committing the swap: back to the previous store.
            self.stop()
            self._undo_swap()
        if self.pid() is not None:
            if self._migrate_running() or self._answers():
                return 0.0
        if self._port_busy():
            if self.pid() is not None:
                raise Neo4jServerError(
                    f"The managed Neo4j (pid {self.pid()}) does not accept the password in NEO4J_PASSWORD or "
                    f"{self.settings.password_file}, or is still starting; stop it (plantalent neo4j stop) and start again."
                )
            raise Neo4jServerError(
                f"Port {self.port} on {self.host} is already in use by another process; "
                "stop it or set NEO4J_URI to another port (e.g. bolt://127.0.0.1:7688)."
            )
        classpath = self._classpath()
        self.dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, PLANTALENT_NEO4J_PASSWORD=self._password())
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
            _reap(pid)
            if _exited(pid):
                break
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
            with GraphDatabase.driver(self.settings.neo4j_uri, auth=self.settings.auth()) as drv:
                rec = drv.execute_query("CALL dbms.components() YIELD versions, edition RETURN versions[0] + ' ' + edition AS v").records
                version = rec[0]["v"] if rec else None
        store = self.dir / "dbms" / "data"
        size = sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) if store.exists() else 0
        return ServerStatus(pid is not None, pid, self.host, self.port, self.dir, size, version)

    # ---- bulk import and store swap --------------------------------------------------------
    def import_full(self, staging: Path, args: list[str], log: Path) -> subprocess.CompletedProcess[bytes]:
        """Run `neo4j-admin database import full ARGS` (the official importer, from the server's own jars)
        with ``staging`` as its NEO4J_HOME, so the new store lands in ``staging/data``, never in the live one.

        The output goes to ``log``; the caller reads the return code.
        """
        conf = staging / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        # The importer reads neo4j.conf from NEO4J_CONF; the data directory is the staging one.
        (conf / "neo4j.conf").write_text(f"server.directories.data={staging / 'data'}\n"
                                         f"server.directories.logs={staging / 'logs'}\n", encoding="utf-8")
        env = dict(os.environ, NEO4J_HOME=str(staging), NEO4J_CONF=str(conf))
        with open(log, "wb") as out:
            return subprocess.run(
                [shutil.which("java") or "java", f"-Xmx{self.settings.neo4j_heap}", "-XX:+UseG1GC",
                 "-Dfile.encoding=UTF-8", "-cp", self._classpath(), ADMIN_TOOL, "database", "import", "full", *args],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=staging,
            )

    def _store_dirs(self, data: Path, database: str) -> dict[str, Path]:
        return {kind: data / kind / database for kind in ("databases", "transactions")}

    def replace_store(self, staged_data: Path, database: str) -> float:
        """Serve ``database`` from the store imported into ``staged_data``: stop the server, swap the store
        directories, start it again; return the seconds the server was down.

        Every step is a rename within one file system, recorded first in a journal that names this process.
        Until `commit_swap`, the swap can be undone: `rollback_swap` puts the old store back, and so does the
        next `start` once this process is gone (killed, the machine down), so a load cut short at any moment
        never costs the previous store. A new store that fails to start is rolled back at once.
        """
        began = time.monotonic()
        live = self._store_dirs(self.data_dir, database)
        staged = self._store_dirs(staged_data, database)
        aside = staged_data / "previous"
        journal = {"database": database, "staged": str(staged_data), "aside": str(aside), "owner": os.getpid(),
                   "had": {kind: path.exists() for kind, path in live.items()}}
        self.stop()
        self._write_journal(journal)
        aside.mkdir(parents=True, exist_ok=True)
        for kind, path in live.items():
            if path.exists():
                path.rename(aside / kind)
            path.parent.mkdir(parents=True, exist_ok=True)
            staged[kind].rename(path)
        try:
            self.start()
        except Neo4jServerError:
            self.rollback_swap()
            raise
        return time.monotonic() - began

    def commit_swap(self) -> None:
        """Make the swap final: delete the old store and the journal."""
        journal = self._read_journal()
        if journal is not None:
            shutil.rmtree(journal["aside"], ignore_errors=True)
            self.journal.unlink(missing_ok=True)

    def rollback_swap(self) -> None:
        """Undo a swap not committed: stop the server, put the old store back (the new one back into its staging
        folder), start the server again."""
        if self._read_journal() is None:
            return
        self.stop()
        self._undo_swap()
        self.start()

    def _write_journal(self, journal: dict[str, object]) -> None:
        tmp = self.journal.with_suffix(".tmp")
        tmp.write_text(json.dumps(journal), encoding="utf-8")
        tmp.replace(self.journal)

    def _read_journal(self) -> dict[str, Any] | None:
        try:
            return dict(json.loads(self.journal.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None

    def _orphaned_swap(self) -> bool:
        """Whether a swap journal is left by a process that is gone (so nobody will commit or undo it)."""
        journal = self._read_journal()
        if journal is None:
            return False
        try:
            os.kill(int(journal["owner"]), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        return False

    def _undo_swap(self) -> None:
        # The server is stopped. Each part of the swap that happened is undone; one that never began is skipped.
        journal = self._read_journal()
        if journal is None:
            return
        live = self._store_dirs(self.data_dir, journal["database"])
        staged = self._store_dirs(Path(journal["staged"]), journal["database"])
        aside = Path(journal["aside"])
        for kind, path in live.items():
            came_in = path.exists() and not staged[kind].exists()  # the staged store had been moved in
            if came_in and (not journal["had"][kind] or (aside / kind).exists()):
                staged[kind].parent.mkdir(parents=True, exist_ok=True)
                path.rename(staged[kind])
            if (aside / kind).exists():
                (aside / kind).rename(path)
        self.journal.unlink(missing_ok=True)

    def _log_tail(self, n: int = 20) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _exited(pid: int) -> bool:
    """Whether the process is gone or a zombie: a server another process started (a test session, a
    benchmark's parent) stays a zombie once stopped until that process reaps it. Not ``pid() is None``:
    a dying process's cmdline empties before it has closed its files (the store lock); Z comes after."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _reap(pid: int) -> None:
    # A server started by this very process must be waited for, or it lingers as a zombie.
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
