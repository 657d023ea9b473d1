"""The sample generator (no Neo4j needed): determinism, valid identifiers, planted truth, headers."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from stdnum.cn import ric, uscc

from ingest.sample import AS_OF, generate
from ingest.sample.reference import Params, evaluate, key_of

RULES = ["CL1", "CL2", "CL3", "CL4", "CL5", "TR1", "TR2", "TR3", "TR4", "LK1", "LK2", "LK3", "QA1"]

# DESIGN.md "Input files", verbatim.
HEADERS = {
    "units": "unit_id name province city unit_type grade cert_no cert_valid_until legal_rep phone email address parent_unit_id",
    "persons": "person_id name gender birth_date education school major title phone email civil_servant retired bio",
    "registrations": "cert_no person_id unit_id valid_from valid_to",
    "employments": "person_id unit_id start_date end_date position",
    "social_insurance": "person_id unit_id payer_name payer_type province start_month end_month",
    "experts": "expert_id person_id level fields appointed status",
    "projects": "project_id name level plan_type province city county lead_unit_id start_date end_date status description",
    "project_members": "project_id person_id unit_id role",
    "applications": "application_id unit_id grade submitted decided result",
    "application_staff": "application_id person_id role",
    "awards": "award_id name level year project_id unit_id person_ids",
    "violations": "violation_id subject_type subject_id category severity decided authority penalty points description",
    "reorganizations": "from_unit_id to_unit_id date kind",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "s1"
    summary = generate(out, scale="small", seed=1, variants=True)
    assert summary.checked
    return out


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_headers_exactly_as_design(sample: Path) -> None:
    for name, header in HEADERS.items():
        with open(sample / f"{name}.csv", encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == header.split(), name
    with open(sample / "inspectors.csv", encoding="utf-8") as fh:
        assert fh.readline().strip() == "inspector_id,name,person_id,unit_id,province"


def test_same_seed_same_bytes_even_across_processes(sample: Path, tmp_path: Path) -> None:
    # A second process with another hash seed: set iteration order must not leak into the output.
    code = f"from ingest.sample import generate; generate({str(tmp_path / 'again')!r}, 'small', 1, variants=True)"
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin"})
    assert digest(tmp_path / "again") == digest(sample)
    other = generate(tmp_path / "other", "small", seed=2, check=False)
    assert digest(other.out)["persons.csv"] != digest(sample)["persons.csv"]


def test_identifiers_are_valid_and_unique(sample: Path) -> None:
    persons = rows(sample, "persons")
    ids = [p["person_id"] for p in persons]
    assert len(ids) == len(set(ids)) and len(ids) > 1000
    for p in persons:
        assert ric.is_valid(p["person_id"]), p["person_id"]
        assert ric.get_birth_date(p["person_id"]).isoformat() == p["birth_date"]
        assert (int(p["person_id"][16]) % 2 == 1) == (p["gender"] == "男")
    units = rows(sample, "units")
    assert len({u["unit_id"] for u in units}) == len(units)
    payers = {r["unit_id"] for r in rows(sample, "social_insurance")}
    for code in {u["unit_id"] for u in units} | payers:
        assert uscc.is_valid(code), code
    by_id = {u["unit_id"] for u in units}
    assert all(u["parent_unit_id"] in by_id for u in units if u["parent_unit_id"])


def test_namesakes_and_placeholders_present(sample: Path) -> None:
    persons = rows(sample, "persons")
    names = Counter(p["name"] for p in persons)
    share = sum(n for n in names.values() if n > 1) / len(persons)
    assert 0.03 <= share <= 0.08, share
    phones = Counter(p["phone"] for p in persons)
    assert sum(phones[v] for v in ("无", "-", "00000000000")) >= 3


def test_every_rule_planted_with_hard_negatives(sample: Path) -> None:
    truth = jsonl(sample / "ground_truth.jsonl")
    negatives = jsonl(sample / "hard_negatives.jsonl")
    planted = Counter(t["rule"] for t in truth)
    for rule in RULES:
        assert planted[rule] >= 2, rule
    assert set(Counter(n["rule"] for n in negatives)) == set(RULES)
    assert all(n["why_not"] for n in negatives)
    assert len({key_of(t) for t in truth}) == len(truth)
    for t in truth:
        assert set(t) == {"rule", "person_ids", "unit_ids", "project_id", "application_id", "note"}
        if t["rule"] in ("CL2", "CL5", "LK2", "LK3"):
            assert t["unit_ids"] == sorted(t["unit_ids"]) and len(t["unit_ids"]) >= 2
        if t["rule"] == "LK1":
            assert t["person_ids"] == sorted(t["person_ids"])
    meta = json.loads((sample / "sample_meta.json").read_text(encoding="utf-8"))
    assert meta["as_of"] == "2026-06-30" and meta["seed"] == 1 and meta["scale"] == "small"
    assert meta["counts"]["persons"] == len(rows(sample, "persons"))


def test_reference_finds_exactly_the_ground_truth(sample: Path) -> None:
    found = evaluate(sample, AS_OF)
    truth = {key_of(t) for t in jsonl(sample / "ground_truth.jsonl")}
    assert set(found) == truth
    assert not {key_of(n) for n in jsonl(sample / "hard_negatives.jsonl")} & set(found)


@pytest.mark.parametrize(("change", "rule"), [
    ({"cl1_months": 2}, "CL1"), ({"cl2_days": 30}, "CL2"), ({"cl5_months": 1}, "CL5"),
    ({"tr1_days": 731}, "TR1"), ({"tr2_before": 91}, "TR2"), ({"tr3_persons": 4}, "TR3"),
    ({"tr3_reorg_days": 99}, "TR3"), ({"tr4_days": 366}, "TR4"), ({"lk3_persons": 2}, "LK3"),
])
def test_hard_negatives_sit_on_the_boundary(sample: Path, change: dict, rule: str) -> None:
    """Moving a threshold by one step turns a hard negative of that rule into an alert."""
    negatives = {key_of(n) for n in jsonl(sample / "hard_negatives.jsonl") if n["rule"] == rule}
    found = evaluate(sample, AS_OF, replace(Params(), **change))
    assert negatives & set(found), (rule, change)


def test_qa1_boundary_units(sample: Path) -> None:
    strict = replace(Params(), qa1=(("甲级", 41, 10), ("乙级", 21, 4)))
    negatives = {key_of(n) for n in jsonl(sample / "hard_negatives.jsonl") if n["rule"] == "QA1"}
    assert negatives <= set(evaluate(sample, AS_OF, strict))


def test_background_units_meet_their_bar(sample: Path) -> None:
    """Every graded unit not planted as QA1 has >= 40/20 employed-and-insured staff (checked via the reference)."""
    qa1 = {key_of(t) for t in jsonl(sample / "ground_truth.jsonl") if t["rule"] == "QA1"}
    assert {k for k in evaluate(sample, AS_OF) if k[0] == "QA1"} == qa1
    graded = [u for u in rows(sample, "units") if u["grade"] in ("甲级", "乙级")]
    assert len(graded) >= 30 and any(u["parent_unit_id"] for u in graded)


def test_expert_requests_and_inspectors(sample: Path) -> None:
    requests = jsonl(sample / "expert_requests.jsonl")
    experts = {e["expert_id"]: e for e in rows(sample, "experts")}
    assert len(requests) >= 30
    for r in requests:
        assert set(r) >= {"text", "plan_type", "level", "province", "relevant_expert_ids"}
        assert len(r["relevant_expert_ids"]) >= 3
        assert all(experts[e]["status"] == "在库" for e in r["relevant_expert_ids"])
    assert {e["status"] for e in experts.values()} == {"在库", "暂停", "出库"}
    inspectors = rows(sample, "inspectors")
    assert 15 <= len(inspectors) <= 25
    units = {u["unit_id"] for u in rows(sample, "units")}
    persons = {p["person_id"] for p in rows(sample, "persons")}
    assert all(i["unit_id"] in units and (not i["person_id"] or i["person_id"] in persons) for i in inspectors)


def test_variants_gbk_and_xlsx(sample: Path) -> None:
    from openpyxl import load_workbook

    text = (sample / "variants" / "gbk" / "persons.csv").read_bytes().decode("gbk")
    assert text.startswith("身份证号,姓名,性别,出生日期")
    assert "年" in text.splitlines()[1]
    wb = load_workbook(sample / "variants" / "xlsx" / "projects.xlsx", read_only=True)
    header = next(wb.active.iter_rows(values_only=True))
    assert header[0] == "项目编号"


def test_cli_sample(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "sample", "--out",
                             str(tmp_path / "cli"), "--scale", "small", "--seed", "3", "--json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["checked"] and summary["as_of"] == "2026-06-30"
    bad = subprocess.run([sys.executable, "-c", "from api.cli import main; main()", "sample", "--out",
                          str(tmp_path / "x"), "--scale", "huge"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2


def test_as_of_is_fixed() -> None:
    assert AS_OF == date(2026, 6, 30)


def test_references_resolve(sample: Path) -> None:
    """Every person/unit/project reference points at a row of the sample (payers may be external orgs)."""
    persons = {p["person_id"] for p in rows(sample, "persons")}
    units = {u["unit_id"] for u in rows(sample, "units")}
    projects = {p["project_id"] for p in rows(sample, "projects")}
    apps = {a["application_id"] for a in rows(sample, "applications")}
    for name in ("registrations", "employments", "project_members"):
        for r in rows(sample, name):
            assert r["person_id"] in persons and r["unit_id"] in units, (name, r)
    assert all(r["person_id"] in persons for r in rows(sample, "social_insurance"))
    assert all(r["person_id"] in persons for r in rows(sample, "experts"))
    assert all(r["project_id"] in projects and r["person_id"] in persons for r in rows(sample, "project_members"))
    assert all(r["application_id"] in apps and r["person_id"] in persons for r in rows(sample, "application_staff"))
    for a in rows(sample, "awards"):
        assert a["project_id"] in projects and a["unit_id"] in units
        assert all(p in persons for p in a["person_ids"].split(";"))
    violations = rows(sample, "violations")
    assert {v["subject_type"] for v in violations} == {"单位", "个人"}
    for v in violations:
        assert v["subject_id"] in (units if v["subject_type"] == "单位" else persons)
    assert all(r["from_unit_id"] in units and r["to_unit_id"] in units for r in rows(sample, "reorganizations"))
    external = {r["unit_id"] for r in rows(sample, "social_insurance")} - units
    assert external, "some insurance payers are organisations outside units.csv"
