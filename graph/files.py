"""Files written for people to open (error reports, credit and draw lists, exports).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return before one) as a formula, so a unit named ``=HYPERLINK(...)`` in a CSV would become a live
link. Every text cell of such a file goes through ``safe_cell``, which writes it with a leading
``'`` (shown as text, never run). Numbers stay numbers. Files that hold ID numbers are created
readable by their owner only (``private_file``).

CSV writers here and the XLSX exports (openpyxl: pass each value through ``safe_cell``) share
this one rule.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it without running it: text starting with a formula
    character gets a leading ``'``; anything else (numbers, dates, None) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """``safe_cell`` of every value of a row."""
    return [safe_cell(v) for v in values]


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, fh: IO[str]) -> None:
        self._writer = csv.writer(fh)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose every value goes through ``safe_cell`` (the header is ours, left as is)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def private_file(path: Path, encoding: str = "utf-8") -> IO[str]:
    """Open ``path`` for writing text (truncated), readable and writable by its owner only (0600),
    also when it existed before with wider permissions; CSV-ready (``newline=""``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
    except OSError:
        os.close(fd)
        raise
    return os.fdopen(fd, "w", encoding=encoding, newline="")
