"""Who is doing a piece of work, and is that process still alive?

A load, a job or the writer lock records its owner: the host (name and boot), the pid and the
process's start time. A later command on the same host knows at once whether the owner is gone
(killed with -9, the machine rebooted): no such pid, or a pid reused by another process. An owner
on another host cannot be asked; its heartbeat (`Heartbeat`) says whether it still works.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any


@cache
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _start_ticks(pid: int) -> int | None:
    """The process's start time (clock ticks since boot), or None if there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: fields after its last ')'.
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[19])


@dataclass(frozen=True)
class Owner:
    """One process: host name, boot id, pid and start time."""

    host: str
    boot: str
    pid: int
    started: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> Owner | None:
        if not raw:
            return None
        try:
            return cls(str(raw["host"]), str(raw.get("boot", "")), int(raw["pid"]), int(raw.get("started", 0)))
        except (KeyError, TypeError, ValueError):
            return None

    def label(self) -> str:
        return f"{self.host}:{self.pid}"


def this_process() -> Owner:
    """The calling process as an Owner."""
    pid = os.getpid()
    return Owner(socket.gethostname(), _boot_id(), pid, _start_ticks(pid) or 0)


def alive(owner: Owner | None) -> bool | None:
    """True/False for a process of this host (same boot); None when it cannot be told (another host)."""
    if owner is None:
        return False
    here = this_process()
    if owner.host != here.host:
        return None
    if owner.boot != here.boot:
        return False  # the machine rebooted since
    ticks = _start_ticks(owner.pid)
    return ticks is not None and (owner.started == 0 or ticks == owner.started)


class Heartbeat:
    """Calls ``beat()`` every ``interval_s`` on a daemon thread until stopped (errors are ignored:
    a missed beat only makes the work look stale sooner, and the work itself reports its failure)."""

    def __init__(self, beat: Callable[[], Any], interval_s: float) -> None:
        self._beat = beat
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._beat()
            except Exception:  # noqa: BLE001 - see the class docstring
                pass

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
