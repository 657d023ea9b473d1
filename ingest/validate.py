"""Row validation: normalise cells, check IDs/USCCs/enums/dates, resolve references, find duplicates.

A chunk of raw rows is checked in three steps so that reference look-ups in the graph are one
query per chunk, not one per row: (1) normalise every cell and run the per-row checks, (2) look
up in the graph the references this load has not seen, (3) resolve references and duplicate keys
in file order. A row with any error is rejected as a whole, every error is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import isdigits

from graph.errors import InvalidInput
from ingest import normalize as N
from ingest.errors import IngestError
from ingest.readers import Source
from ingest.schemas import Column

# Kinds of graph look-up (see queries/ingest/exists_*.cypher).
LOOKUP_KINDS = ("person", "org", "project", "application")
Lookup = Callable[[str, list[str]], set[str]]


class CellError(InvalidInput):
    """A cell that fails its check; the message is the report's reason."""


@lru_cache(maxsize=1)
def _memoize_places() -> None:
    """Memoize stdnum's look-up of a 6-digit place code in its ``cn/loc`` database (once per process).

    The look-up scans the database's prefix lists and depends only on the code; ``ric.get_birth_place``
    then picks the county valid in the birth year from what it returns, without modifying it. A
    national load's ID numbers combine a few thousand place codes with decades of birth years, so a
    cache on (place, year) alone still missed on one row in eight; memoized on the shared database
    object, each code is looked up once while stdnum's own checks stay as they are.
    """
    places = numdb.get("cn/loc")
    places.info = lru_cache(maxsize=None)(places.info)  # type: ignore[method-assign]


@lru_cache(maxsize=1 << 16)
def _birth_place_error(place: str, year: int) -> Exception | None:
    """The error of stdnum's ``ric.get_birth_place`` for a place code and birth year, or None.

    The numdb look-up is the slow part of ``ric.validate`` and depends only on the first 6 digits
    and the birth year, so it is cached on those (a stand-in number with that place and year).
    """
    _memoize_places()
    try:
        ric.get_birth_place(f"{place}{year:04d}01010000")
        return None
    except Exception as exc:  # noqa: BLE001 - re-raised by check_ric
        return exc


def _compact_ric(number: str) -> str:
    """stdnum's ``ric.compact``; for ASCII text without its per-character loop (of the characters its
    ``clean`` maps, the only ASCII one that changes is the backquote)."""
    if number.isascii():
        return number.replace("`", "'").upper().strip()
    return ric.compact(number)


@lru_cache(maxsize=1 << 16)
def birth_date(digits: str) -> date:
    """stdnum's ``ric.get_birth_date`` of a compact ID number whose 7th-14th characters are ``digits``
    (8 digits), cached: the date depends on nothing else (a stand-in number with those digits)."""
    return ric.get_birth_date(f"000000{digits}0000")


def check_ric(number: str) -> str | None:
    """None when ``number`` is a valid 18-digit ID number, else the reason (never raises).

    The same checks, in the same order, as stdnum's ``ric.validate`` (length, digits, check digit,
    birth date, birth place), with the birth-date and birth-place look-ups cached.
    """
    try:
        number = _compact_ric(number)
        if len(number) != 18:
            raise InvalidLength()
        if not isdigits(number[:-1]):
            raise InvalidFormat()
        if number[-1] != ric.calc_check_digit(number):
            raise InvalidChecksum()
        born = birth_date(number[6:14])
        if (error := _birth_place_error(number[:6], born.year)) is not None:
            raise error.with_traceback(None)
        return None
    except InvalidLength:
        return "ID number must have 18 characters (身份证号应为18位)"
    except InvalidFormat:
        return "ID number must be 17 digits and a check digit 0-9 or X (身份证号格式错误)"
    except InvalidChecksum:
        return "ID number check digit is wrong (身份证号校验位错误)"
    except InvalidComponent:
        try:
            ric.get_birth_date(number)
        except Exception:
            return "birth date inside the ID number is not a valid date (身份证号出生日期无效)"
        return "birth place code (first 6 digits) of the ID number is unknown (身份证号地区码无效)"
    except ValidationError as exc:
        return f"invalid ID number ({exc})"
    except Exception as exc:  # the library itself failed: treat as invalid, never crash the load
        return f"ID number could not be validated ({type(exc).__name__}) (身份证号无法校验)"


def check_uscc(code: str) -> str | None:
    """None when ``code`` is a valid USCC, else the reason (never raises)."""
    try:
        uscc.validate(code)
        return None
    except InvalidLength:
        return "unified social credit code must have 18 characters (统一社会信用代码应为18位)"
    except InvalidFormat:
        return "unified social credit code has invalid characters (统一社会信用代码格式错误)"
    except InvalidChecksum:
        return "unified social credit code check character is wrong (统一社会信用代码校验位错误)"
    except Exception as exc:
        return f"unified social credit code could not be validated ({type(exc).__name__})"


INT64 = (-(1 << 63), (1 << 63) - 1)
REPORT_VALUE_LEN = 200
# Dates and months outside these years are typing errors (0202 for 2020, 20231 for 2023).
DATE_YEARS = (1900, 2100)


def check_range(col: Column, value: Any, raw: Any) -> None:
    """CellError when a parsed value is out of its column's range: an integer beyond 64 bits or its
    bounds, a date outside DATE_YEARS, a text longer than the column's ``max_len``."""
    if col.max_len and isinstance(raw, str) and len(raw) > col.max_len:
        raise CellError(f"text longer than {col.max_len} characters (文本过长)")
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = col.bounds or INT64  # every column's bounds lie within 64 bits
        if not low <= value <= high:
            raise CellError(f"must be between {low} and {high} (数值超出范围)" if col.bounds
                            else "integer does not fit 64 bits (数值超出范围)")
    elif isinstance(value, date) and not DATE_YEARS[0] <= value.year <= DATE_YEARS[1]:
        raise CellError(f"date outside the years {DATE_YEARS[0]}-{DATE_YEARS[1]} (日期超出范围)")


@dataclass
class Known:
    """Keys known to exist (loaded in this run or found in the graph) and keys known missing."""

    ids: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in LOOKUP_KINDS})
    missing: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in LOOKUP_KINDS})
    # External orgs sent in this load without a name (a later payer_name fills it in).
    unnamed: set[str] = field(default_factory=set)

    def add(self, kind: str, key: str) -> None:
        self.ids[kind].add(key)
        self.missing[kind].discard(key)


# An organisation an accepted row names: (line, unit_id, name, unit_type); the name and type are a
# payer's (social_insurance.csv), else None.
Mention = tuple[int, str, str | None, str | None]


@dataclass
class Checked:
    """The result of one chunk: accepted rows (normalised values), new external orgs, errors."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    orgs: list[dict[str, Any]] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    rejected: int = 0
    # With deferred organisations (Validator ``defer_orgs``): the organisations the accepted rows name, in
    # order, instead of ``orgs``; note_org turns them into ``orgs`` when replayed in load order.
    mentions: list[Mention] = field(default_factory=list)


def note_org(known: Known, new_orgs: dict[str, dict[str, Any]], mention: Mention) -> None:
    """Note one organisation an accepted row names; an external organisation it creates (or names) goes to
    ``new_orgs``, the chunk's in order of creation.

    An organisation not known yet is created at its first mention, unnamed unless a payer names it; a
    later payer name fills in one still unnamed (within a chunk, the named mention replaces it).
    """
    line, unit_id, name, unit_type = mention
    if unit_id in known.ids["org"] and not (name is not None and unit_id in known.unnamed):
        return
    known.add("org", unit_id)
    if unit_id in new_orgs and new_orgs[unit_id]["name"] is not None:
        return
    if name is None:
        known.unnamed.add(unit_id)
    else:
        known.unnamed.discard(unit_id)
    new_orgs[unit_id] = {"unit_id": unit_id, "name": name, "unit_type": unit_type, "line": line}


class FileMentions:
    """One file's organisation mentions, without those that cannot change anything when replayed.

    Replayed in load order through note_org, a file's mentions of one organisation do something only at
    its first mention (which makes it known) and at its first mention with a name (which may name it): a
    later unnamed mention finds it known; a later named one finds it known and no longer unnamed, since
    only a first mention leaves it unnamed. Dropping the others keeps the replay exact (each kept mention
    stays in its own chunk), while a file of 600,000 insurance rows hands over a few thousand.
    """

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.named: set[str] = set()

    def keep(self, mentions: list[Mention]) -> list[Mention]:
        kept = []
        for mention in mentions:
            unit_id, named = mention[1], mention[2] is not None
            if unit_id not in self.seen or (named and unit_id not in self.named):
                kept.append(mention)
                self.seen.add(unit_id)
                if named:
                    self.named.add(unit_id)
        return kept


_USCC_CACHE: dict[str, str | None] = {}


def _uscc_reason(code: str) -> str | None:
    if code not in _USCC_CACHE:
        if len(_USCC_CACHE) > 2_000_000:
            _USCC_CACHE.clear()
        _USCC_CACHE[code] = check_uscc(code)
    return _USCC_CACHE[code]


# A converted cell: (value, None), or (None, the reason it is refused).
Converted = tuple[Any, str | None]
# Column kinds whose cells repeat from row to row (dates, unit codes, references, enums): their conversion
# is cached per column. Free text and record numbers are mostly distinct; lists must be new per row.
_CACHED_KINDS = frozenset({"date", "month", "int", "bool", "enum", "uscc", "org", "org_known", "person", "subject",
                           "project", "application"})
# Converted cells a column's cache holds before it starts over (bounds memory on huge files).
CELL_CACHE_SIZE = 1 << 19
REQUIRED = "required value is missing (必填项为空)"


class Validator:
    """Checks the rows of one source; keeps the file's seen keys and the load's known ids.

    ``lookup`` finds in the graph the references this load has not seen; None when the graph is known to
    hold none (a load into an empty store), which skips that step. ``defer_orgs``: accepted rows hand
    the organisations they name over (``Checked.mentions``) instead of creating them, for a caller that
    checks files apart and replays the mentions in load order (note_org); exact only when the rows'
    acceptance does not depend on the organisations the file itself makes: not for units.csv, nor for a
    file with both ``org_known`` columns and columns that make organisations.
    """

    def __init__(self, source: Source, known: Known, lookup: Lookup | None, defer_orgs: bool = False) -> None:
        self.source = source
        self.spec = source.spec
        self.known = known
        self.lookup = lookup
        self.seen: dict[str, int] = {}
        self.header = {c.name: source.header_of(c.name) for c in self.spec.columns}
        self.positions = [(pos, self.spec.by_name[name]) for pos, name in enumerate(source.columns) if name]
        self.position_of = {col.name: pos for pos, col in self.positions}
        self.width = len(source.columns)
        self.key_positions = [(pos, col) for pos, col in self.positions if col.name in self.spec.key]
        self.blank: dict[str, Any] = {c.name: None for c in self.spec.columns}
        # Per column present: (position, column, its cell converter), see _converter.
        self.cells = [(pos, col, self._converter(col)) for pos, col in self.positions]
        # The columns that may hold references (in column order), see _refs.
        self.ref_columns = [(c.name, c.kind) for c in self.spec.columns
                            if c.kind in ("person", "project", "application", "org_known", "persons", "subject")]
        # The columns that name organisations (created when unknown), see _accept.
        self.org_columns = [(c.name, c.kind) for c in self.spec.columns if c.kind in ("org", "subject")]
        self.payer = self.spec.name == "social_insurance"
        # Whether _cross has anything to check in this file.
        self.crosses = bool(self.spec.periods) or self.spec.name in ("persons", "units", "violations")
        if defer_orgs and (self.spec.name == "units" or (
                self.org_columns and any(kind == "org_known" for _, kind in self.ref_columns))):
            raise ValueError(f"{self.spec.name}: its rows need the organisations they make; check it in load order")
        self.defer_orgs = defer_orgs

    # ---- step 1: cells ------------------------------------------------------------------
    def _cell(self, kind: str, raw: Any, allowed: tuple[str, ...]) -> Any:
        if kind in ("text",):
            return N.clean_text(raw)
        if kind == "code":
            return N.nfkc(raw)
        if kind == "ric":
            value = N.norm_id(raw)
            if value is not None and (reason := check_ric(value)):
                raise CellError(reason)
            return value
        if kind in ("uscc", "org", "org_known"):
            value = N.norm_id(raw)
            if value is not None and (reason := _uscc_reason(value)):
                raise CellError(reason)
            return value
        if kind in ("person", "subject"):
            return N.norm_id(raw)
        if kind in ("project", "application"):
            return N.nfkc(raw)
        if kind == "persons":
            return [N.norm_id(x) for x in N.split_list(N.nfkc(raw))]
        if kind == "date":
            return N.parse_date(raw)
        if kind == "month":
            return N.parse_month(raw)
        if kind == "int":
            return N.parse_int(raw)
        if kind == "bool":
            return N.parse_bool(raw)
        if kind == "list":
            return N.split_list(raw)
        if kind == "enum":
            value = N.nfkc(raw)
            if value is not None and value not in allowed:
                raise CellError(f"must be one of {'/'.join(allowed)}")
            return value
        if kind == "phone":
            return N.clean_text(raw)
        if kind == "email":
            return N.clean_text(raw)
        raise AssertionError(f"unknown column kind {kind}")

    def _converter(self, col: Column) -> Callable[[Any], Converted]:
        """The function checking one column's cells: raw cell -> (value, None) or (None, the reason).

        The same steps as ever (_cell, check_range, the required check). A text cell of a kind in
        _CACHED_KINDS is converted once per column and value, since its conversion depends on nothing
        else; cells of other types (XLSX numbers and dates) each time, as 1, 1.0 and True are one key.
        """
        kind, allowed, required, cell = col.kind, col.values, col.required, self._cell

        def convert(raw: Any) -> Converted:
            try:
                value = cell(kind, raw, allowed)
                check_range(col, value, raw)
            except (CellError, ValueError) as exc:
                return None, str(exc)
            if required and (value is None or value == []):
                return None, REQUIRED
            return value, None

        if kind in ("text", "phone", "email"):
            max_len = col.max_len

            def text(raw: Any) -> Converted:
                # The common CSV cell, as clean_text trims it; anything else (too long, missing, not a
                # plain string) takes the whole way.
                if type(raw) is str and "\ufeff" not in raw and "\u200b" not in raw and not (max_len and len(raw) > max_len):
                    value = raw.strip() or None
                    if value is not None or not required:
                        return value, None
                return convert(raw)
            return text
        if kind not in _CACHED_KINDS:
            return convert
        cache: dict[str, Converted] = {}

        def cached(raw: Any) -> Converted:
            if type(raw) is not str:
                return convert(raw)
            hit = cache.get(raw)
            if hit is None:
                if len(cache) >= CELL_CACHE_SIZE:
                    cache.clear()
                hit = cache[raw] = convert(raw)
            return hit
        return cached

    def _raw(self, cells: list[Any], column: str) -> Any:
        """The raw cell of ``column`` in a row (None when the file lacks the column or the row is short)."""
        pos = self.position_of.get(column)
        return cells[pos] if pos is not None and pos < len(cells) else None

    def _err(self, out: list[IngestError], line: int, column: str, value: Any, reason: str) -> None:
        text = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
        if len(text) > REPORT_VALUE_LEN:  # the report names the cell; a 20,000-character value helps nobody
            text = text[:REPORT_VALUE_LEN] + "…"
        out.append(IngestError(self.source.file, line, self.header.get(column, column), text, reason))

    def _row(self, line: int, cells: list[Any]) -> tuple[dict[str, Any], list[IngestError]]:
        values = dict(self.blank)
        errors: list[IngestError] = []
        width = len(cells)
        for pos, col, convert in self.cells:
            cell = cells[pos] if pos < width else None
            value, reason = convert(cell)
            if reason is not None:
                self._err(errors, line, col.name, N.clean_text(cell), reason)
                continue
            values[col.name] = value
        if width > self.width and any(N.clean_text(c) for c in cells[self.width:]):
            extra = [N.clean_text(c) or "" for c in cells[self.width:]]
            errors.append(IngestError(self.source.file, line, "", ",".join(extra),
                                      f"row has {width} cells but the header has {self.width} (多余的单元格)"))
        self._cross(line, values, cells, errors)
        return values, errors

    def _cross(self, line: int, values: dict[str, Any], cells: list[Any], errors: list[IngestError]) -> None:
        if not self.crosses:
            return
        for start, end in self.spec.periods:
            if values[start] is not None and values[end] is not None and values[end] < values[start]:
                self._err(errors, line, end, N.clean_text(self._raw(cells, end)), f"{end} is before {start} (结束早于开始)")
        name = self.spec.name
        if name == "persons" and values["person_id"] and not any(e.column == self.header["person_id"] for e in errors):
            # A person_id without an error passed check_ric: 17 ASCII digits and a check character.
            try:
                born = birth_date(values["person_id"][6:14])
            except Exception:
                born = None
            if born is not None:
                if values["birth_date"] is None and not any(e.column == self.header["birth_date"] for e in errors):
                    values["birth_date"] = born
                elif values["birth_date"] is not None and values["birth_date"] != born:
                    self._err(errors, line, "birth_date", N.clean_text(self._raw(cells, "birth_date")),
                              f"birth date differs from the ID number's {born.isoformat()} (出生日期与身份证号不一致)")
        elif name == "units" and values["parent_unit_id"] and values["parent_unit_id"] == values["unit_id"]:
            self._err(errors, line, "parent_unit_id", values["parent_unit_id"], "a unit cannot own itself")
        elif name == "violations" and values["subject_type"] == "单位" and values["subject_id"]:
            if reason := _uscc_reason(values["subject_id"]):
                self._err(errors, line, "subject_id", values["subject_id"], reason)

    def key_of(self, cells: list[Any]) -> dict[str, Any] | None:
        """The key columns of a raw row, normalised and checked as ``check`` does; None when one of them
        is missing or bad (the row cannot name a record). Snapshot loads read every row's key first."""
        values: dict[str, Any] = {}
        for pos, col in self.key_positions:
            cell = cells[pos] if pos < len(cells) else None
            try:
                value = self._cell(col.kind, cell, col.values)
                check_range(col, value, cell)
            except (CellError, ValueError):
                return None
            if value is None:
                return None
            values[col.name] = value
        return values if len(values) == len(self.spec.key) else None

    # ---- step 2/3: references -----------------------------------------------------------
    def _refs(self, values: dict[str, Any]) -> Iterable[tuple[str, str, str]]:
        """(lookup kind, column, id) of every reference that must exist."""
        for name, kind in self.ref_columns:
            value = values[name]
            if value is None:
                continue
            if kind in ("person", "project", "application"):
                yield kind, name, value
            elif kind == "org_known":
                yield "org", name, value
            elif kind == "persons":
                for pid in value:
                    yield "person", name, pid
            elif values.get("subject_type") == "个人":  # kind "subject"
                yield "person", name, value

    def _missing_reason(self, kind: str, value: str) -> str:
        where = {"person": "persons.csv", "org": "units.csv or any earlier file", "project": "projects.csv",
                 "application": "applications.csv"}[kind]
        reason = f"{kind} {value} is not in {where} nor in the graph (引用不存在)"
        if kind == "person" and (bad := check_ric(value)):
            reason += f"; {bad}"
        return reason

    def _key(self, values: dict[str, Any]) -> str:
        """The row's key: its key columns' values joined by ``|`` (dates in ISO form, None as "")."""
        if len(self.spec.key) == 1:
            value = values[self.spec.key[0]]
            return "" if value is None else str(value)
        return "|".join(["" if values[k] is None else str(values[k]) for k in self.spec.key])

    def check(self, chunk: list[tuple[int, list[Any]]]) -> Checked:
        """Validate a chunk of (line, cells); update seen keys and known ids for accepted rows."""
        out = Checked()
        parsed = [(line, cells, *self._row(line, cells)) for line, cells in chunk]
        known = self.known.ids
        if self.lookup is not None and self.ref_columns:
            wanted: dict[str, set[str]] = {k: set() for k in LOOKUP_KINDS}
            for _, _, values, errors in parsed:
                if errors:
                    continue
                for kind, _, value in self._refs(values):
                    if value not in known[kind] and value not in self.known.missing[kind]:
                        wanted[kind].add(value)
            for kind, ids in wanted.items():
                if ids:
                    found = self.lookup(kind, sorted(ids))
                    known[kind].update(found)
                    self.known.missing[kind].update(ids - found)
        key_col = self.spec.key[0]
        new_orgs: dict[str, dict[str, Any]] = {}
        refs, seen = bool(self.ref_columns), self.seen
        for line, cells, values, errors in parsed:
            if not errors and refs:
                for kind, column, value in self._refs(values):
                    if value not in known[kind]:
                        self._err(errors, line, column,
                                  value if column != "person_ids" else N.clean_text(self._raw(cells, column)),
                                  self._missing_reason(kind, value))
            key = self._key(values)
            if not errors and key in seen:
                self._err(errors, line, key_col, values[key_col],
                          f"duplicate key {key} (first at line {seen[key]}) (重复记录)")
            if errors:
                out.errors.extend(errors)
                out.rejected += 1
                continue
            seen[key] = line
            self._accept(line, values, new_orgs, out.mentions)
            out.rows.append((line, values))
        out.orgs = list(new_orgs.values())
        return out

    def _accept(self, line: int, values: dict[str, Any], new_orgs: dict[str, dict[str, Any]],
                mentions: list[Mention]) -> None:
        name = self.spec.name
        known = self.known
        if name == "units":
            # An external org first seen earlier in this chunk (as a parent) stays in new_orgs: it
            # must exist before the units statement links OWNED_BY, which then upgrades it to :Unit.
            known.add("org", values["unit_id"])
        elif name == "persons":
            known.add("person", values["person_id"])
        elif name == "projects":
            known.add("project", values["project_id"])
        elif name == "applications":
            known.add("application", values["application_id"])
        for column, kind in self.org_columns:
            if kind == "subject" and values.get("subject_type") != "单位":
                continue
            unit_id = values[column]
            if not unit_id:
                continue
            payer_name, payer_type = (values["payer_name"], values["payer_type"]) if self.payer else (None, None)
            if self.defer_orgs:
                mentions.append((line, unit_id, payer_name, payer_type))
            else:
                note_org(known, new_orgs, (line, unit_id, payer_name, payer_type))
