"""The `generate` entry point: background, planting, side files and the reference check."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.errors import PlantalentError
from ingest.sample.background import build_background
from ingest.sample.planting import Planter
from ingest.sample.reference import evaluate, key_of
from ingest.sample.sidefiles import write_inspectors, write_requests, write_variants
from ingest.sample.world import World

AS_OF = date(2026, 6, 30)
SCALES = ("small", "regional", "national")


class SampleMismatch(PlantalentError):
    """The reference checker disagrees with the planted ground truth (a generator bug)."""


@dataclass
class SampleSummary:
    """What `generate` wrote."""

    out: Path
    scale: str
    seed: int
    as_of: date
    counts: dict[str, int]
    planted: dict[str, int] = field(default_factory=dict)
    hard_negatives: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    inspectors: int = 0
    variants: list[str] = field(default_factory=list)
    checked: bool = False
    seconds: float = 0.0


def _write_jsonl(path: Path, lines: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def check_folder(out: Path, truth: list[dict], negatives: list[dict], as_of: date = AS_OF) -> None:
    """Raise SampleMismatch unless the reference rules find exactly `truth` and none of `negatives`."""
    found = evaluate(out, as_of)
    expected = {key_of(t) for t in truth}
    missing = expected - set(found)
    extra = set(found) - expected
    hit_negatives = [n for n in negatives if key_of(n) in found]
    if missing or extra or hit_negatives:
        raise SampleMismatch(
            f"reference rules disagree with the planted truth: missing {sorted(missing, key=str)}; "
            f"unexpected {[(k, found[k]) for k in sorted(extra, key=str)]}; negatives raised {hit_negatives}")


def generate(out: Path, scale: str = "small", seed: int = 1, variants: bool = False,
             check: bool | None = None) -> SampleSummary:
    """Write a sample folder (see the package docstring). At small scale (or with `check=True`) the
    reference rules must find exactly the planted alerts, else SampleMismatch."""
    t0 = time.perf_counter()
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, not {scale!r}")
    out = Path(out)
    w = World(out, seed, scale, AS_OF)
    try:
        kinds = build_background(w, scale)
        planter = Planter(w, kinds)
        planter.plant_all()
    finally:
        w.sink.close()
    counts = dict(sorted(w.sink.counts.items()))
    _write_jsonl(out / "ground_truth.jsonl", planter.truth)
    _write_jsonl(out / "hard_negatives.jsonl", planter.negatives)
    summary = SampleSummary(out, scale, seed, AS_OF, counts)
    summary.planted = dict(sorted(Counter(t["rule"] for t in planter.truth).items()))
    summary.hard_negatives = dict(sorted(Counter(t["rule"] for t in planter.negatives).items()))
    summary.inspectors = write_inspectors(w, kinds, out)
    summary.requests = write_requests(w, out)
    (out / "sample_meta.json").write_text(json.dumps(
        {"as_of": AS_OF.isoformat(), "seed": seed, "scale": scale, "counts": counts,
         "planted": summary.planted, "hard_negatives": summary.hard_negatives},
        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if variants:
        summary.variants = write_variants(out)
    if check if check is not None else scale == "small":
        check_folder(out, planter.truth, planter.negatives)
        summary.checked = True
    summary.seconds = time.perf_counter() - t0
    return summary
