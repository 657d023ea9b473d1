"""Error types of ingest and the error-report writer.

A rejected row yields one `IngestError` per problem (every bad column is reported, not only the
first). The report is a UTF-8 CSV with the header `file,line,column,value,reason`; `line` counts
the header as line 1 (XLSX: the sheet row). The report is written even when no row was rejected
(header only), so an old report never outlives the load it described. It holds rejected ID numbers,
so it is created readable by its owner only (0600), and its cells are written so that a spreadsheet
never runs one as a formula (``graph.files``).
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from graph.errors import InvalidInput, PlantalentError
from graph.files import SafeWriter, private_file

REPORT_COLUMNS = ("file", "line", "column", "value", "reason")


@dataclass(frozen=True, slots=True)
class IngestError:
    """One problem of one input row."""

    file: str
    line: int
    column: str
    value: str
    reason: str

    def as_row(self) -> list[str]:
        return [self.file, str(self.line), self.column, self.value, self.reason]


class LoadInterrupted(PlantalentError):
    """A load that stopped after writing part of its rows (exit 1, not 2: something was written).
    Running the same ingest again finishes it."""


class IngestFatal(InvalidInput):
    """A problem that makes the load impossible (exit code 2): nothing is written."""

    def __init__(self, message: str, file: str | None = None) -> None:
        super().__init__(f"{file}: {message}" if file else message)
        self.file = file


class ErrorReport:
    """Streams rejected-row errors to the CSV report (or only counts them when path is None)."""

    def __init__(self, path: Path | None, keep: int = 1000) -> None:
        self.path = path
        self._lock = threading.Lock()  # writer threads add the rows Neo4j refused
        self.count = 0
        self.kept: list[IngestError] = []
        self._keep = keep
        self._fh: IO[str] | None = None
        self._writer: SafeWriter | None = None
        if path is not None:
            self._fh = private_file(path)
            self._writer = SafeWriter(self._fh)
            self._writer.writerow(REPORT_COLUMNS)

    def add(self, error: IngestError) -> None:
        with self._lock:
            self.count += 1
            if len(self.kept) < self._keep:
                self.kept.append(error)
            if self._writer is not None:
                self._writer.writerow(error.as_row())

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._writer = None


def read_report(path: Path) -> list[IngestError]:
    """Read a report back (for tests and the API)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return [IngestError(r["file"], int(r["line"]), r["column"], r["value"], r["reason"]) for r in reader]
