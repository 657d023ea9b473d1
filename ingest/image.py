"""The input files of Neo4j's bulk importer for one load: node and relationship CSV files.

They mirror ingest/writers/*.cypher on an empty graph: one record node per accepted row with its
provenance, the same relationships with theirs. Every input file but units.csv has CSV files of its own
(`FileImage`: the record nodes of its label, the relationships its rows start), so that files can be
written by different processes; the organisations (`StoreImage`) are kept in memory until the end,
because a later row may still name an external one (a payer name) or make it a unit.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ingest.schemas import SPEC_BY_NAME
from ingest.writers import org_row

# Between the items of a list property in the importer's CSV: a character no list item holds (an item
# that does is set after the import instead, like an empty list, which the CSV format cannot express).
ARRAY_DELIMITER = "\x1f"
PROVENANCE = ("src_file", "src_line:long", "load_id", "loaded_at:datetime", "row_hash")
_TYPE_OF_KIND = {"date": "date", "month": "date", "int": "long", "bool": "boolean", "list": "string[]",
                 "persons": "string[]"}
# Properties to_row adds to a file's values (after the input columns), by file.
_DERIVED = {"units": ("region", "phone_norm", "email_norm"), "persons": ("phone_norm", "email_norm"),
            "registrations": ("reg_id",), "employments": ("emp_id",), "social_insurance": ("ins_id",),
            "reorganizations": ("reorg_id",)}
# Record nodes: file -> (label, key property). Their ID spaces are named by the label.
NODES = {"persons": ("Person", "person_id"), "registrations": ("Registration", "reg_id"),
         "employments": ("Employment", "emp_id"), "social_insurance": ("Insurance", "ins_id"),
         "experts": ("Expert", "expert_id"), "projects": ("Project", "project_id"),
         "applications": ("Application", "application_id"), "awards": ("Award", "award_id"),
         "violations": ("Violation", "violation_id"), "reorganizations": ("Reorganization", "reorg_id")}
# Files whose rows are relationships only: file -> (type, start ID space, end ID space, property names).
RELATIONSHIP_FILES = {"project_members": ("MEMBER_OF", "Person", "Project", ("role", "unit_id")),
                      "application_staff": ("DECLARES", "Application", "Person", ("role",))}

# List values the CSV cannot hold, set after the import: (label, key, property) -> [{"k": key, "v": items}].
Fixups = dict[tuple[str, str, str], list[dict[str, Any]]]


def _node_columns(file_name: str) -> list[tuple[str, str]]:
    """(property, import type) of a file's record node, in to_row's order of ``p``."""
    spec = SPEC_BY_NAME[file_name]
    cols = [(c.name, _TYPE_OF_KIND.get(c.kind, "string")) for c in spec.columns]
    return cols + [(name, "string") for name in _DERIVED.get(file_name, ())]


def _header(columns: list[tuple[str, str]], key: str, space: str) -> list[str]:
    """The importer's header of a node file: the key column is the node's ID in ``space``."""
    return [f"{name}:ID({space})" if name == key else name if kind == "string" else f"{name}:{kind}"
            for name, kind in columns]


@dataclass(frozen=True)
class ImportFile:
    """One written input file of the importer: its option (``--nodes=Label`` or ``--relationships=TYPE``),
    path, rows, and whether some value spans lines (the importer must then parse it as multi-line)."""

    option: str
    path: Path
    rows: int
    multiline: bool


class _CsvFile:
    """One importer input file (header first), counting its rows."""

    def __init__(self, path: Path, header: list[str], option: str) -> None:
        self.path = path
        self.option = option
        self._fh: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self._fh, lineterminator="\n")
        self.writer.writerow(header)
        self.rows = 0

    def write_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """Write rows exactly as ``self.writer.writerows`` would, counting them.

        The writer (QUOTE_MINIMAL) quotes only a value holding a comma, a quote or a line break, and
        writes None as "" and anything else as its str(): a row without any of those characters is its
        values joined by commas, which costs a third of the writer's per-value work. Other rows (free
        text with commas) go through the writer.
        """
        write, writerow = self._fh.write, self.writer.writerow
        for row in rows:
            line = ",".join(["" if v is None else v if type(v) is str else str(v) for v in row])
            if '"' in line or "\n" in line or "\r" in line or line.count(",") != len(row) - 1:
                writerow(row)
            else:
                write(line + "\n")
        self.rows += len(rows)

    def close(self) -> ImportFile:
        """Close; an empty file (header only) is deleted."""
        self._fh.close()
        with self.path.open("rb") as fh:
            newlines = sum(chunk.count(b"\n") + chunk.count(b"\r") for chunk in iter(lambda: fh.read(1 << 20), b""))
        if not self.rows:
            self.path.unlink()
        return ImportFile(self.option, self.path, self.rows, newlines != self.rows + 1)


def _rel_file(folder: Path, rel_type: str, start: str, end: str, props: tuple[str, ...] = ()) -> _CsvFile:
    header = [f":START_ID({start})", f":END_ID({end})", *props, *PROVENANCE]
    return _CsvFile(folder / f"rel-{rel_type}-{start}-{end}.csv", header, f"--relationships={rel_type}")


Endpoints = Callable[[dict[str, Any]], list[tuple[Any, Any]]]


def _pairs(start: Callable[[dict[str, Any]], Any], end: Callable[[dict[str, Any]], Any]) -> Endpoints:
    """Endpoints of one relationship per row; a None end (an optional reference) means none."""
    def endpoints(row: dict[str, Any]) -> list[tuple[Any, Any]]:
        a, b = start(row), end(row)
        return [] if a is None or b is None else [(a, b)]
    return endpoints


def _k(row: dict[str, Any]) -> Any:
    return row["k"]


def _p(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row["p"][name]


def _award_persons(row: dict[str, Any]) -> list[tuple[Any, Any]]:
    # awards.cypher: one TO_PERSON per listed id (a repeated id gives two relationships, as there).
    return [(row["k"], pid) for pid in row["p"]["person_ids"] or []]


def _violation_subject(kind: str) -> Endpoints:
    return lambda row: [(row["k"], row["p"]["subject_id"])] if row["p"]["subject_type"] == kind else []


def _record(rel_type: str, label: str) -> list[tuple[str, str, str, Endpoints]]:
    # Person -[:HAS_X]-> record -[:AT]-> Org, as in registrations/employments/social_insurance.cypher.
    return [(rel_type, "Person", label, _pairs(_p("person_id"), _k)), ("AT", label, "Org", _pairs(_k, _p("unit_id")))]


# Per file: (type, start ID space, end ID space, endpoints of the row's relationships of that type).
_LINKS: dict[str, list[tuple[str, str, str, Endpoints]]] = {
    "persons": [],
    "registrations": _record("HAS_REGISTRATION", "Registration"),
    "employments": _record("HAS_EMPLOYMENT", "Employment"),
    "social_insurance": _record("HAS_INSURANCE", "Insurance"),
    "experts": [("IS_EXPERT", "Person", "Expert", _pairs(_p("person_id"), _k))],
    "projects": [("LED_BY", "Project", "Org", _pairs(_k, _p("lead_unit_id")))],
    "applications": [("BY", "Application", "Org", _pairs(_k, _p("unit_id")))],
    "awards": [("FOR_PROJECT", "Award", "Project", _pairs(_k, _p("project_id"))),
               ("TO_UNIT", "Award", "Org", _pairs(_k, _p("unit_id"))),
               ("TO_PERSON", "Award", "Person", _award_persons)],
    "violations": [("AGAINST", "Violation", "Person", _violation_subject("个人")),
                   ("AGAINST", "Violation", "Org", _violation_subject("单位"))],
    "reorganizations": [("FROM", "Reorganization", "Org", _pairs(_k, _p("from_unit_id"))),
                        ("TO", "Reorganization", "Org", _pairs(_k, _p("to_unit_id")))],
}


class FileImage:
    """The importer's CSV files of one input file other than units.csv, written batch by batch.

    A file of records (persons.csv ...) gives the node file of its label and one file per relationship
    its records start; project_members.csv and application_staff.csv give one relationship file each.
    List values the CSV cannot hold are collected in ``fixups``.
    """

    def __init__(self, folder: Path, file_name: str, src_file: str, load_id: str, loaded_at: str) -> None:
        if file_name == "units":
            raise ValueError("units.csv rows are organisations: StoreImage.add_units")
        self.file_name = file_name
        self.src_file = src_file
        self.prov = (load_id, loaded_at)
        self.fixups: Fixups = {}
        self.node: _CsvFile | None = None
        self.links: list[tuple[_CsvFile, Endpoints]] = []
        if file_name in RELATIONSHIP_FILES:
            rel_type, start, end, props = RELATIONSHIP_FILES[file_name]
            self.rels = [_rel_file(folder, rel_type, start, end, props)]
            return
        self.label, self.key = NODES[file_name]
        columns = _node_columns(file_name)
        self.names = [name for name, _ in columns]
        self.lists = [name for name, kind in columns if kind == "string[]"]
        self.bools = [name for name, kind in columns if kind == "boolean"]
        self.node = _CsvFile(folder / f"node-{self.label}.csv",
                             [*_header(columns, self.key, self.label), *PROVENANCE], f"--nodes={self.label}")
        self.links = [(_rel_file(folder, rel_type, start, end), endpoints)
                      for rel_type, start, end, endpoints in _LINKS[file_name]]
        self.rels = [rel for rel, _ in self.links]

    def _list(self, key_value: str, prop: str, items: list[str]) -> str:
        """A list property's CSV cell; "" (property set after the import) when the CSV cannot hold it."""
        if items and not any(ARRAY_DELIMITER in item for item in items):
            return ARRAY_DELIMITER.join(items)
        self.fixups.setdefault((self.label, self.key, prop), []).append({"k": key_value, "v": items})
        return ""

    def add_rows(self, rows: list[dict[str, Any]]) -> None:
        """Accepted rows of one batch (to_row's parameter rows), in file order."""
        src_file, prov = self.src_file, self.prov
        if self.node is None:  # a relationship per row
            rel = self.rels[0]
            if self.file_name == "project_members":
                rel.write_rows([(row["person_id"], row["project_id"], row["p"]["role"], row["p"]["unit_id"],
                                 src_file, row["line"], *prov, row["h"]) for row in rows])
            else:
                rel.write_rows([(row["application_id"], row["person_id"], row["p"]["role"],
                                 src_file, row["line"], *prov, row["h"]) for row in rows])
            return
        # to_row builds every row of a file alike: the first row's properties stand for the batch's.
        if rows and list(rows[0]["p"]) != self.names:  # else the CSV columns would be wrong
            raise AssertionError(f"{self.file_name}: row properties {list(rows[0]['p'])} differ from {self.names}")
        lists, bools = self.lists, self.bools
        node_lines = []
        rel_lines: list[list[tuple[Any, ...]]] = [[] for _ in self.links]
        for row in rows:
            p = row["p"]
            if lists or bools:
                p = dict(p)
                for name in lists:
                    p[name] = self._list(row["k"], name, p[name])
                for name in bools:
                    if p[name] is not None:
                        p[name] = "true" if p[name] else "false"
            tail = (src_file, row["line"], *prov, row["h"])
            node_lines.append((*p.values(), *tail))
            for (_, endpoints), lines in zip(self.links, rel_lines, strict=True):
                for a, b in endpoints(row):
                    lines.append((a, b, *tail))
        self.node.write_rows(node_lines)
        for (rel, _), lines in zip(self.links, rel_lines, strict=True):
            rel.write_rows(lines)

    def close(self) -> tuple[list[ImportFile], list[ImportFile]]:
        """Close every file: (the node file, if any), (the relationship files), empty ones deleted."""
        return ([self.node.close()] if self.node else []), [rel.close() for rel in self.rels]


@dataclass
class _Org:
    labels: str
    values: dict[str, Any]


@dataclass
class StoreImage:
    """The importer's CSV files of one load: the organisations (units.csv and the external organisations
    any file names, in memory until the end) and the files of each other input file, in load order."""

    folder: Path
    load_id: str
    loaded_at: str
    orgs: dict[str, _Org] = field(default_factory=dict)
    fixups: Fixups = field(default_factory=dict)
    owned: _CsvFile | None = None
    nodes: list[ImportFile] = field(default_factory=list)
    rels: list[ImportFile] = field(default_factory=list)

    def file_image(self, file_name: str, src_file: str) -> FileImage:
        """The image of one input file other than units.csv, in this load's folder."""
        return FileImage(self.folder, file_name, src_file, self.load_id, self.loaded_at)

    def add_file(self, nodes: list[ImportFile], rels: list[ImportFile], fixups: Fixups) -> None:
        """A closed file image's files and fix-ups (the files of a load are added in load order)."""
        self.nodes += nodes
        self.rels += rels
        for key, items in fixups.items():
            self.fixups.setdefault(key, []).extend(items)

    def add_orgs(self, src_file: str, orgs: list[dict[str, Any]]) -> None:
        """External organisations a batch names (queries/ingest/orgs.cypher: created once, a name filled in later)."""
        for org in orgs:
            known = self.orgs.get(org["unit_id"])
            if known is None:
                values = {"unit_id": org["unit_id"], "external": True, "name": org["name"], "unit_type": org["unit_type"],
                          "src_file": src_file, "src_line": org["line"], "row_hash": org_row(org)["h"]}
                self.orgs[org["unit_id"]] = _Org("Org", values)
            elif known.values["external"] and known.values["name"] is None and org["name"] is not None:
                known.values["name"] = org["name"]
                if known.values["unit_type"] is None:
                    known.values["unit_type"] = org["unit_type"]

    def add_units(self, src_file: str, rows: list[dict[str, Any]]) -> None:
        """Accepted rows of one batch of units.csv (to_row's parameter rows), in file order."""
        if self.owned is None:
            self.owned = _rel_file(self.folder, "OWNED_BY", "Org", "Org")
        prov = (self.load_id, self.loaded_at)
        for row in rows:
            p = row["p"]
            # An external org becomes a unit with the row's properties only (units.cypher: SET o += row.p).
            values = {**p, "external": False, "src_file": src_file, "src_line": row["line"], "row_hash": row["h"]}
            self.orgs[row["k"]] = _Org("Org:Unit", values)
            if p["parent_unit_id"] is not None:
                self.owned.writer.writerow((row["k"], p["parent_unit_id"], src_file, row["line"], *prov, row["h"]))
                self.owned.rows += 1

    def close(self) -> list[str]:
        """Write the organisations, close every file; the importer's --nodes/--relationships arguments."""
        columns = _node_columns("units")
        unit_cols = [name for name, _ in columns]
        units = _CsvFile(self.folder / "node-Unit.csv", [*_header(columns, "unit_id", "Org"), "external:boolean",
                                                          *PROVENANCE], "--nodes=Org:Unit")
        external = _CsvFile(self.folder / "node-Org.csv",
                            ["unit_id:ID(Org)", "external:boolean", "name", "unit_type", *PROVENANCE], "--nodes=Org")
        prov = (self.load_id, self.loaded_at)
        for org in self.orgs.values():
            v = org.values
            if org.labels == "Org:Unit":
                units.writer.writerow((*(v[n] for n in unit_cols), "false", v["src_file"], v["src_line"], *prov,
                                       v["row_hash"]))
                units.rows += 1
            else:
                external.writer.writerow((v["unit_id"], "true", v["name"], v["unit_type"], v["src_file"],
                                          v["src_line"], *prov, v["row_hash"]))
                external.rows += 1
        files = [units.close(), external.close(), *self.nodes, *([self.owned.close()] if self.owned else []), *self.rels]
        args = [f"{f.option}={f.path}" for f in files if f.rows]
        multiline = [str(f.path) for f in files if f.multiline]
        if multiline:
            # Only the files that need it: multi-line parsing is much slower.
            args += ["--multiline-fields-format=v2", f"--multiline-fields={','.join(multiline)}"]
        return args
