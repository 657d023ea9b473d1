"""Input files -> raw rows with line numbers.

``NAME.csv`` (UTF-8, UTF-8 with BOM, GBK/GB18030, detected) or ``NAME.xlsx`` (first sheet).
Line numbers follow the error report: the header is line 1, the first data row line 2; for CSV a
line is one record (a quoted cell may span physical lines), for XLSX the sheet row.
"""

from __future__ import annotations

import codecs
import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from charset_normalizer import from_path
from python_calamine import CalamineSheet, CalamineWorkbook
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ingest.errors import IngestFatal
from ingest.schemas import FileSpec, match_header

CHUNK = 1 << 20
csv.field_size_limit(min(sys.maxsize, 1 << 30))


def _decodes(path: Path, encoding: str) -> tuple[bool, int]:
    """Whether the whole file decodes strictly with ``encoding``; also its newline count."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    newlines = 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                newlines += chunk.count(b"\n")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, newlines
    return True, newlines


def detect_encoding(path: Path) -> tuple[str, int]:
    """The file's encoding (utf-8-sig strictly first, then gb18030, then charset-normalizer's guess)
    and its newline count (for the progress bar); IngestFatal when none fits."""
    for encoding in ("utf-8-sig", "gb18030"):
        ok, newlines = _decodes(path, encoding)
        if ok:
            return encoding, newlines

    best = from_path(path).best()
    if best is not None and best.encoding:
        return best.encoding, newlines
    raise IngestFatal("cannot detect the text encoding (expected UTF-8, UTF-8 with BOM, GBK or GB18030)", path.name)


@dataclass
class Source:
    """One input file ready to read: its spec, header mapping and encoding."""

    spec: FileSpec
    path: Path
    # Position in the row -> column name (None: unknown column, ignored).
    columns: list[str | None]
    headers: list[str]
    encoding: str | None = None
    estimated_rows: int = 0
    ignored: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.path.name

    def header_of(self, column: str) -> str:
        """The header text the file uses for ``column`` (for the error report)."""
        for pos, name in enumerate(self.columns):
            if name == column:
                return self.headers[pos]
        return column

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(line, cells) for every non-empty data row."""
        if self.path.suffix.lower() == ".xlsx":
            yield from _xlsx_rows(self.path, skip_header=True)
        else:
            yield from _csv_rows(self.path, self.encoding or "utf-8-sig", skip_header=True)


def _has_nul(path: Path) -> bool:
    """Whether the file holds a NUL byte (a fast byte scan)."""
    with path.open("rb") as fh:
        return any(b"\x00" in chunk for chunk in iter(lambda: fh.read(CHUNK), b""))


def _csv_rows(path: Path, encoding: str, skip_header: bool) -> Iterator[tuple[int, list[Any]]]:
    with path.open("r", encoding=encoding, newline="") as fh:
        # NUL characters would stop the csv module; they are never meaningful in these files. In UTF-8
        # and GB18030 a NUL character is exactly a NUL byte, so a file without one is read as it is.
        if encoding in ("utf-8-sig", "utf-8", "gb18030") and not _has_nul(path):
            reader = csv.reader(fh)
        else:
            reader = csv.reader(line.replace("\x00", "") for line in fh)
        for line, cells in enumerate(reader, start=1):
            if skip_header and line == 1:
                continue
            if "".join(cells).strip():  # some cell holds more than white space
                yield line, cells


def _first_sheet(path: Path) -> CalamineSheet:
    # python-calamine (Rust) reads a sheet ~20x faster than openpyxl, whose per-cell objects made XLSX
    # files the slowest part of a load. Cells hold the cached values of formulas, as openpyxl's data_only.
    workbook = CalamineWorkbook.from_path(str(path))
    if not workbook.sheet_names:
        raise IngestFatal("the workbook has no sheet", path.name)
    return workbook.get_sheet_by_index(0)


def _cell(value: Any) -> Any:
    """A calamine cell as openpyxl gives it: None for an empty cell, an int for a whole number."""
    if value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _xlsx_rows(path: Path, skip_header: bool) -> Iterator[tuple[int, list[Any]]]:
    sheet = _first_sheet(path)
    # The sheet's cells start at its first used cell: lines count from row 1, columns from A.
    first_row, first_col = sheet.start or (0, 0)
    for line, cells in enumerate(sheet.iter_rows(), start=first_row + 1):
        if skip_header and line == 1:
            continue
        values = [None] * first_col + [_cell(v) for v in cells]
        if any(v is not None and str(v).strip() for v in values):
            yield line, values


def _header_cells(path: Path, encoding: str | None) -> list[str]:
    if path.suffix.lower() == ".xlsx":
        for _, cells in _xlsx_rows(path, skip_header=False):
            return ["" if c is None else str(c) for c in cells]
        return []
    for _, cells in _csv_rows(path, encoding or "utf-8-sig", skip_header=False):
        return cells
    return []


def find_inputs(folder: Path, names: tuple[str, ...]) -> dict[str, Path]:
    """The input file of each known name in ``folder`` (NAME.csv or NAME.xlsx, any case)."""
    if not folder.is_dir():
        raise IngestFatal(f"input folder {folder} does not exist or is not a folder")
    by_stem: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in {".csv", ".xlsx"} and not path.name.startswith("~$"):
            by_stem.setdefault(path.stem.lower(), []).append(path)
    found: dict[str, Path] = {}
    for name in names:
        paths = by_stem.get(name, [])
        if len(paths) > 1:
            raise IngestFatal(f"both {' and '.join(p.name for p in paths)} exist; keep only one", name)
        if paths:
            found[name] = paths[0]
    if not found:
        raise IngestFatal(f"no input files in {folder} (expected e.g. units.csv, persons.csv)")
    return found


def open_source(spec: FileSpec, path: Path) -> Source:
    """Check a file is readable and its header usable; IngestFatal otherwise."""
    encoding: str | None = None
    estimated = 0
    try:
        if path.suffix.lower() == ".xlsx":
            estimated = max(_first_sheet(path).height - 1, 0)
        else:
            encoding, newlines = detect_encoding(path)
            estimated = max(newlines - 1, 0)
        headers = [str(h).strip() for h in _header_cells(path, encoding)]
    except IngestFatal:
        raise
    except Exception as exc:  # unreadable or corrupt file: fatal, before anything is written
        raise IngestFatal(f"cannot read the file: {exc}", path.name) from exc
    if not any(headers):
        raise IngestFatal("the file is empty (no header line)", path.name)
    columns: list[str | None] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for header in headers:
        name = match_header(spec, header) if header else None
        if name is not None and name in seen:
            raise IngestFatal(f"columns {seen[name]!r} and {header!r} both name {name}", path.name)
        if name is None and header:
            ignored.append(header)
        if name is not None:
            seen[name] = header
        columns.append(name)
    missing = [c for c in spec.required if c not in seen]
    if missing:
        wanted = ", ".join(f"{c} [{spec.by_name[c].alias}]" for c in missing)
        extra = f"; unknown headers: {', '.join(ignored)}" if ignored else ""
        raise IngestFatal(f"required columns missing: {wanted}{extra}", path.name)
    return Source(spec, path, columns, headers, encoding, estimated, ignored)


def files_progress(enabled: bool) -> Progress:
    """The progress display of a load: one bar per input file, on stderr (stdout may carry --json)."""
    return Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    disable=not enabled, transient=False, console=Console(stderr=True))
