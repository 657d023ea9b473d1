"""ingest/bulk_read.py: files read and checked side by side in worker processes give exactly what one pass
over the files in load order gives (the importer's CSV files byte for byte, the error report, the
organisations with their lines and hashes, the list fix-ups), whatever the number of workers.

The reference is the plain pass: one Validator per file in load order sharing one Known, organisations
created as the rows are accepted. Small batches put a payer's name and its first mention in different
chunks, and the corrupted copy of a sample rejects rows in every file.
"""

from __future__ import annotations

import csv
import gc
import random
from pathlib import Path
from typing import Any

import pytest

from graph.db import batched
from ingest.bulk_read import few_collections, read_all
from ingest.errors import ErrorReport
from ingest.image import StoreImage
from ingest.loader import LoadReport, preflight
from ingest.sample import generate
from ingest.validate import Known, Validator
from ingest.writers import to_row
from tests.ingest.conftest import P1, P2, P3, P4, make_uscc, write_folder
from tests.ingest.test_bulk import awkward_world

LOADED_AT = "2026-01-01T00:00:00+00:00"


def one_pass(folder: Path, out: Path, batch: int) -> tuple[list[str], StoreImage, LoadReport]:
    """The reference: every file in load order in this process, organisations made as rows are accepted."""
    image, report, known = StoreImage(out, "L", LOADED_AT), LoadReport(load_id="L"), Known()
    errors = ErrorReport(out / "errors.csv")
    for source in preflight(folder):
        validator = Validator(source, known, None)
        name = source.spec.name
        files = None if name == "units" else image.file_image(name, source.file)
        for chunk in batched(source.rows(), batch):
            checked = validator.check(chunk)
            for error in checked.errors:
                errors.add(error)
            report.rows += len(chunk)
            report.rejected += checked.rejected
            image.add_orgs(source.file, checked.orgs)
            rows = [to_row(name, line, values) for line, values in checked.rows]
            image.add_units(source.file, rows) if files is None else files.add_rows(rows)
        if files is not None:
            image.add_file(*files.close(), files.fixups)
    errors.close()
    return image.close(), image, report


def side_by_side(folder: Path, out: Path, batch: int, workers: int) -> tuple[list[str], StoreImage, LoadReport]:
    image, report = StoreImage(out, "L", LOADED_AT), LoadReport(load_id="L")
    errors = ErrorReport(out / "errors.csv")
    read_all(preflight(folder), image, errors, report, batch, workers, progress=False)
    errors.close()
    return image.close(), image, report


def corrupt(folder: Path, seed: int = 5) -> None:
    """Spoil about one cell in 20 of every CSV file of ``folder`` (bad dates, ids, enums, blanks,
    repeated rows), so that every file rejects rows for several reasons."""
    rnd = random.Random(seed)
    spoil = ["", "2023-02-30", "1800-01-01", "X", "９９", "不详", "多行\n值", "a,\"b\""]
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        out = [rows[0]]
        for row in rows[1:]:
            row = [rnd.choice(spoil) if rnd.random() < 0.05 else cell for cell in row]
            out += [row, row] if rnd.random() < 0.01 else [row]
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(out)


def same(a: tuple[list[str], StoreImage, LoadReport], b: tuple[list[str], StoreImage, LoadReport], a_dir: Path,
         b_dir: Path) -> None:
    (a_args, a_image, a_report), (b_args, b_image, b_report) = a, b
    assert [x.replace(str(a_dir), "") for x in a_args] == [x.replace(str(b_dir), "") for x in b_args]
    a_files, b_files = sorted(p.name for p in a_dir.iterdir()), sorted(p.name for p in b_dir.iterdir())
    assert a_files == b_files
    for name in a_files:
        assert (a_dir / name).read_bytes() == (b_dir / name).read_bytes(), name
    assert [(k, o.labels, o.values) for k, o in a_image.orgs.items()] == [
        (k, o.labels, o.values) for k, o in b_image.orgs.items()]
    assert a_image.fixups == b_image.fixups
    assert (a_report.rows, a_report.rejected) == (b_report.rows, b_report.rejected)


def payers_named_late() -> dict[str, list[dict[str, Any]]]:
    """The awkward world, with an employer named by a payer row later in social_insurance.csv (unnamed at its
    first mention, named at a later one, then named otherwise: the first name stays) and one never named."""
    data = awkward_world()
    late, never = make_uscc(22), make_uscc(23)
    rows = [(P1, late, ""), (P2, never, ""), (P3, late, "后来有名"), (P4, late, "再改名"), (P1, never, "")]
    data["social_insurance"] += [{"person_id": pid, "unit_id": uid, "payer_name": name, "payer_type": "企业" if name else "",
                                  "province": "浙江", "start_month": f"2019-0{i + 1}", "end_month": ""}
                                 for i, (pid, uid, name) in enumerate(rows)]
    return data


@pytest.mark.parametrize(("workers", "batch"), [(1, 2), (2, 2), (2, 1000)])
def test_side_by_side_gives_the_one_pass_files_for_the_awkward_world(tmp_path: Path, workers: int, batch: int) -> None:
    folder = write_folder(tmp_path / "in", payers_named_late(), fmt={"units": "gbk", "persons": "bom",
                                                                     "social_insurance": "xlsx"}, chinese=True)
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
    reference = one_pass(folder, tmp_path / "a", batch=batch)
    assert reference[2].rejected == 3
    assert reference[1].orgs[make_uscc(22)].values["name"] == "后来有名"
    assert reference[1].orgs[make_uscc(23)].values["name"] is None
    same(reference, side_by_side(folder, tmp_path / "b", batch=batch, workers=workers), tmp_path / "a", tmp_path / "b")


@pytest.mark.parametrize("workers", [1, 2])
def test_side_by_side_gives_the_one_pass_files_for_a_corrupted_sample(tmp_path: Path, workers: int) -> None:
    summary = generate(tmp_path / "s", scale="small", seed=4, variants=False, check=False)
    corrupt(summary.out)
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
    reference = one_pass(summary.out, tmp_path / "a", batch=97)
    assert reference[2].rejected > 500 and len(reference[1].orgs) > 60
    assert any(o.labels == "Org" and o.values["name"] for o in reference[1].orgs.values())  # payers named
    same(reference, side_by_side(summary.out, tmp_path / "b", batch=97, workers=workers), tmp_path / "a",
         tmp_path / "b")


def test_reading_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    summary = generate(tmp_path / "s", scale="small", seed=4, variants=False, check=False)
    before = gc.get_threshold()
    for workers in (1, 2):
        (tmp_path / f"w{workers}").mkdir()
        side_by_side(summary.out, tmp_path / f"w{workers}", batch=97, workers=workers)
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0


def test_collections_stay_few_until_the_outermost_reading_ends() -> None:
    before = gc.get_threshold()
    with few_collections():
        reading = gc.get_threshold()
        assert reading[0] > before[0]
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with few_collections():  # a worker's read_file within read_all (the in-process pool)
            assert gc.get_threshold() == reading
        assert gc.get_threshold() == reading and gc.get_freeze_count() >= frozen
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
