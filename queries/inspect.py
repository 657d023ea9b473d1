"""双随机、一公开: draw units for random inspection and inspectors for each, reproducibly.

A share of the draw (``risk_share``) is picked with probability proportional to a risk weight
(credit grade C/D of the last credit run and open alerts raise it), the rest uniformly from the
remaining units. Each drawn unit gets ``inspectors_per_unit`` inspectors from the roster, never one
with a conflict of interest (回避, as for experts: the inspector's own unit, or an employment,
registration or insurance of the inspector's person at the unit now or within ``avoid_years``),
preferring inspectors from another province and spreading the work (least-assigned first). Everything is driven by one ``random.Random(seed)``
over candidates sorted by key, so the same seed and data give the same draw; the published list
carries the seed, the as-of date and a SHA-256 of every input so anyone can re-run and audit it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.cypher import CypherFiles
from graph.db import read
from graph.errors import InvalidInput
from graph.files import SafeDictWriter
from graph.settings import Settings
from queries.alerts import COUNTING
from queries.credit import CreditConfig, add_months, load_config

CYPHER = CypherFiles(__file__, "inspect")

ROSTER_COLUMNS = ("inspector_id", "name", "person_id", "unit_id", "province")


class RosterError(InvalidInput):
    """The inspector roster cannot be read (names the file and line)."""


class DrawError(InvalidInput):
    """The draw cannot be made as asked (e.g. no candidate units)."""


@dataclass(frozen=True)
class Inspector:
    """One row of the inspector roster (执法检查人员名录)."""

    inspector_id: str
    name: str
    person_id: str
    unit_id: str
    province: str


@dataclass(frozen=True)
class Candidate:
    """A unit that can be drawn, with its risk inputs."""

    unit_id: str
    name: str
    province: str
    grade: str | None = None
    alerts: int = 0
    high_alerts: int = 0


@dataclass
class DrawnUnit:
    """One line of the published list."""

    seq: int
    unit_id: str
    name: str
    province: str
    pool: str  # "risk" (风险加权) or "random" (随机)
    weight: float
    inspectors: list[Inspector] = field(default_factory=list)
    note: str = ""


@dataclass
class DrawResult:
    """The draw and what it was made from."""

    seed: int
    as_of: date
    n: int
    province: str | None
    risk_share: float
    inputs_hash: str
    candidates: int
    roster_size: int
    units: list[DrawnUnit]
    excluded_pairs: int = 0
    per_unit: int = 2

    def rows(self) -> list[dict[str, Any]]:
        """CSV rows of the publishable list (no ID numbers)."""
        per_unit = self.per_unit
        out = []
        for u in self.units:
            row: dict[str, Any] = {
                "seq": u.seq, "unit_id": u.unit_id, "unit_name": u.name, "province": u.province,
                "pool": "风险加权" if u.pool == "risk" else "随机", "risk_weight": f"{u.weight:g}",
            }
            for k in range(per_unit):
                ins = u.inspectors[k] if k < len(u.inspectors) else None
                row[f"inspector_{k + 1}_id"] = ins.inspector_id if ins else ""
                row[f"inspector_{k + 1}_name"] = ins.name if ins else ""
                row[f"inspector_{k + 1}_province"] = ins.province if ins else ""
            row.update(note=u.note, seed=self.seed, as_of=self.as_of.isoformat(), inputs_hash=self.inputs_hash)
            out.append(row)
        return out

    def meta(self) -> dict[str, Any]:
        """Parameters and hashes that let anyone re-run and audit the draw."""
        return {
            "seed": self.seed, "as_of": self.as_of.isoformat(), "n": self.n, "province": self.province,
            "risk_share": self.risk_share, "inspectors_per_unit": self.per_unit, "inputs_hash": self.inputs_hash, "candidates": self.candidates,
            "roster_size": self.roster_size, "excluded_conflicts": self.excluded_pairs,
            "drawn": [u.unit_id for u in self.units],
            "method": "random.Random(seed); risk pool by Efraimidis–Spirakis keys u**(1/w) over units sorted by "
                      "unit_id, rest by Random.sample; inspectors by Random.sample over the roster sorted by "
                      "inspector_id, other provinces first, least-assigned first, conflicts of interest excluded",
        }


def read_roster(path: Path) -> list[Inspector]:
    """Read the roster CSV (UTF-8, UTF-8 BOM or GBK) with columns inspector_id, name, person_id, unit_id, province."""
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise RosterError(f"{path}: unknown encoding")
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ROSTER_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RosterError(f"{path}: missing column(s) {', '.join(missing)}")
    out: dict[str, Inspector] = {}
    for line, row in enumerate(reader, start=2):
        vals = {c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS}
        if not vals["inspector_id"]:
            raise RosterError(f"{path}: line {line}: empty inspector_id")
        vals["person_id"] = vals["person_id"].upper()
        vals["unit_id"] = vals["unit_id"].upper()
        out[vals["inspector_id"]] = Inspector(**vals)
    return [out[k] for k in sorted(out)]


def risk_weight(c: Candidate, cfg: dict[str, Any]) -> float:
    """Base weight + credit-grade weight + (capped) weight of open alerts."""
    grades = cfg.get("grade_weights", {})
    alert_part = (c.alerts - c.high_alerts) * float(cfg.get("alert_weight", 1.0)) \
        + c.high_alerts * float(cfg.get("high_alert_weight", 2.0))
    alert_part = min(alert_part, float(cfg.get("max_alert_weight", 6.0)))
    return float(cfg.get("base_weight", 1.0)) + float(grades.get(c.grade or "", 0.0)) + alert_part


def pick_units(rng: random.Random, candidates: Sequence[Candidate], weights: dict[str, float], n: int,
               risk_share: float) -> list[tuple[Candidate, str]]:
    """Pick ``n`` units: round(n·risk_share) by weight (without replacement), the rest uniformly."""
    pool = sorted(candidates, key=lambda c: c.unit_id)
    n = min(n, len(pool))
    k_risk = min(n, int(math.floor(n * risk_share + 0.5)))
    # Efraimidis–Spirakis: key u^(1/w), take the k largest — weighted sampling without replacement.
    keyed = [(rng.random() ** (1.0 / max(weights[c.unit_id], 1e-9)), c) for c in pool]
    keyed.sort(key=lambda kc: (-kc[0], kc[1].unit_id))
    risk = [c for _, c in keyed[:k_risk]]
    chosen = {c.unit_id for c in risk}
    rest = [c for c in pool if c.unit_id not in chosen]
    uniform = rng.sample(rest, n - k_risk)
    return [(c, "risk") for c in risk] + [(c, "random") for c in uniform]


def _least_loaded(rng: random.Random, pool: Sequence[Inspector], k: int, load: dict[str, int]) -> list[Inspector]:
    """Up to ``k`` of ``pool`` at random, taking the least-assigned inspectors first (spreads the work)."""
    picked: list[Inspector] = []
    for level in sorted({load.get(i.inspector_id, 0) for i in pool}):
        need = k - len(picked)
        if need <= 0:
            break
        group = [i for i in pool if load.get(i.inspector_id, 0) == level]
        picked += group if len(group) <= need else rng.sample(group, need)
    return picked


def assign_inspectors(rng: random.Random, unit: Candidate, roster: Sequence[Inspector],
                      conflicts: set[tuple[str, str]], per_unit: int,
                      load: dict[str, int] | None = None) -> tuple[list[Inspector], str]:
    """Draw ``per_unit`` inspectors without conflict of interest, other provinces first; (inspectors, note).

    ``load`` (assignments so far, updated here) makes the least-assigned inspectors go first.
    """
    load = load if load is not None else {}
    eligible = [i for i in roster
                if i.unit_id != unit.unit_id and (i.person_id, unit.unit_id) not in conflicts]
    other = [i for i in eligible if i.province != unit.province]
    same = [i for i in eligible if i.province == unit.province]
    picked = _least_loaded(rng, other, per_unit, load)
    picked += _least_loaded(rng, same, per_unit - len(picked), load)
    for i in picked:
        load[i.inspector_id] = load.get(i.inspector_id, 0) + 1
    note = ""
    if len(picked) < per_unit:
        note = f"可用检查人员不足（需 {per_unit} 名，回避后仅 {len(picked)} 名）"
    elif any(i.province == unit.province for i in picked):
        note = "外省检查人员不足，含本省人员"
    return sorted(picked, key=lambda i: i.inspector_id), note


def inputs_hash(params: dict[str, Any], candidates: Sequence[Candidate], roster: Sequence[Inspector],
                conflicts: set[tuple[str, str]]) -> str:
    """SHA-256 over the parameters, candidate units (with risk inputs), roster and conflict pairs."""
    blob = json.dumps({
        "params": params,
        "candidates": [asdict(c) for c in sorted(candidates, key=lambda c: c.unit_id)],
        "roster": [asdict(i) for i in roster],
        "conflicts": sorted(conflicts),
    }, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def draw(driver: Driver, settings: Settings, n: int, seed: int, province: str | None = None,
         roster: Sequence[Inspector] | Path | None = None, as_of: date | None = None,
         config: CreditConfig | None = None) -> DrawResult:
    """Draw ``n`` units (risk-weighted share + uniform rest) and their inspectors; deterministic per seed."""
    if n <= 0:
        raise DrawError("n must be positive")
    as_of = as_of or settings.today()
    full = config or load_config(settings)
    cfg = full.inspection
    alert_statuses = list(COUNTING)
    risk_share = float(cfg.get("risk_share", 0.5))
    per_unit = int(cfg.get("inspectors_per_unit", 2))
    avoid_years = int(cfg.get("avoid_years", 3))
    inspectors = read_roster(roster) if isinstance(roster, Path) else sorted(roster or [], key=lambda i: i.inspector_id)
    rows = read(driver, settings, CYPHER.load("candidates"), province=province, statuses=alert_statuses,
                exclude_types=full.exclude_unit_types)
    candidates = [Candidate(r["unit_id"], r["name"] or "", r["province"] or "", r["grade"], int(r["alerts"]),
                            int(r["high_alerts"])) for r in rows]
    if not candidates:
        raise DrawError(f"no units to draw from{' in ' + province if province else ''}")
    weights = {c.unit_id: risk_weight(c, cfg) for c in candidates}
    # Conflicts are looked up for every candidate so the input hash does not depend on the draw.
    start = add_months(as_of, -12 * avoid_years).replace(day=1)
    conflicts: set[tuple[str, str]] = set()
    pids = sorted({i.person_id for i in inspectors if i.person_id})
    if pids:
        for r in read(driver, settings, CYPHER.load("conflicts"), person_ids=pids,
                      unit_ids=[c.unit_id for c in candidates], **dict[str, Any]({"from": start, "as_of": as_of})):
            conflicts.add((r["person_id"], r["unit_id"]))
    params = {"n": n, "seed": seed, "province": province, "as_of": as_of.isoformat(), "risk_share": risk_share,
              "inspectors_per_unit": per_unit, "avoid_years": avoid_years,
              "exclude_unit_types": full.exclude_unit_types,
              "weights": {k: cfg.get(k) for k in sorted(cfg) if k != "risk_share"}}
    digest = inputs_hash(params, candidates, inspectors, conflicts)

    rng = random.Random(seed)
    picked = pick_units(rng, candidates, weights, n, risk_share)
    units: list[DrawnUnit] = []
    assigned: dict[str, int] = {}
    for seq, (c, pool) in enumerate(picked, start=1):
        chosen, note = assign_inspectors(rng, c, inspectors, conflicts, per_unit, assigned) if inspectors else ([], "")
        units.append(DrawnUnit(seq, c.unit_id, c.name, c.province, pool, round(weights[c.unit_id], 3), chosen, note))
    excluded = sum(1 for c in candidates for i in inspectors
                   if i.unit_id == c.unit_id or (i.person_id, c.unit_id) in conflicts)
    return DrawResult(seed, as_of, n, province, risk_share, digest, len(candidates), len(inspectors), units, excluded, per_unit)


def write_draw(result: DrawResult, out: Path) -> Path:
    """Write the list as UTF-8 (BOM, for Excel) CSV and the audit metadata beside it; return the meta path."""
    rows = result.rows()
    out.parent.mkdir(parents=True, exist_ok=True)
    fields = list(rows[0]) if rows else ["seq", "unit_id", "unit_name", "province", "pool", "risk_weight"]
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        w = SafeDictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    meta = out.with_suffix(".meta.json")
    meta.write_text(json.dumps(result.meta(), ensure_ascii=False, indent=2), encoding="utf-8")
    return meta
