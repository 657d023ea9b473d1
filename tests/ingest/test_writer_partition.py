"""The fast path of ingest.writers: how a batch is split into new / changed / unchanged rows; a row's hash."""

from datetime import date

from ingest.writers import partition, row_hash, to_row


def _row(k: str, h: str) -> dict[str, object]:
    return {"k": k, "h": h, "line": 1, "p": {}}


def test_partition_nodes() -> None:
    rows = [_row("a", "1"), _row("b", "2"), _row("c", "3"), _row("a", "9"), _row("d", "4"), _row("d", "4")]
    stored = [(False, None), (True, "2"), (True, "x"), (False, None), (True, None), (True, None)]
    new, changed = partition(rows, stored, None)
    # a: first row new, its later row (another hash) replaces it; b unchanged; c changed; d: a node
    # without a hash is changed once, then its identical duplicate is unchanged.
    assert [(r["k"], r["h"]) for r in new] == [("a", "1")]
    assert [(r["k"], r["h"]) for r in changed] == [("c", "3"), ("a", "9"), ("d", "4")]


def test_partition_relationships() -> None:
    keys = ("person_id", "project_id", "role")
    rows = [{"person_id": "p", "project_id": "j", "role": r, "h": h} for r, h in
            [("负责人", "1"), ("成员", "2"), ("负责人", "1")]]
    new, changed = partition(rows, [(False, None), (True, "2"), (False, None)], keys)
    assert new == [rows[0]] and changed == []


def test_fast_path_writes_every_property() -> None:
    """Each new_<file>.cypher names, one by one, exactly the keys of to_row's ``p`` for that file."""
    import re

    from ingest.schemas import SPEC_BY_NAME
    from ingest.writers import CYPHER as WRITERS_CYPHER
    from ingest.writers import FAST_PATH, to_row

    for name in FAST_PATH:
        values = {c.name: None for c in SPEC_BY_NAME[name].columns}
        row = to_row(name, 2, values)
        text = "\n".join(line for line in WRITERS_CYPHER.load(f"new_{name}").splitlines() if not line.startswith("//"))
        written = set(re.findall(r"\b(\w+): row\.p\.(\w+)\b", text))
        assert {k for k, v in written if k == v} == set(row["p"]), name
        assert "+=" not in text and "datetime()" not in text, name
        for prop in ("src_file", "src_line", "load_id", "loaded_at", "row_hash"):
            assert f"{prop}: " in text, (name, prop)


def test_row_hash_is_the_hash_of_the_rows_content() -> None:
    """to_row's hash is row_hash of (file, the row's identifying items, its properties) for values of every type."""
    awkward = ["", "it's", 'say "hi"', "back\\slash", "多行\n值", "\x00\u200b\ufeff", "\U0001f600", "tab\t"]
    values_of = [
        {"award_id": text, "name": None, "level": text[::-1], "year": 2024, "project_id": None, "unit_id": "91",
         "person_ids": [text, "x'y"]} for text in awkward
    ] + [{"award_id": "W1", "name": "n", "level": None, "year": -(1 << 63), "project_id": "J", "unit_id": None,
          "person_ids": []}]
    for values in values_of:
        row = to_row("awards", 7, values)
        assert row["h"] == row_hash(("awards", [("k", values["award_id"])], list(row["p"].items())))
    members = {"project_id": "J'1", "person_id": "P", "unit_id": None, "role": "参与人员"}
    row = to_row("project_members", 3, dict(members))
    assert row["h"] == row_hash(("project_members", [("project_id", "J'1"), ("person_id", "P"), ("role", "参与人员")],
                                 [("unit_id", None), ("role", "参与人员")]))
    emp = to_row("employments", 2, {"person_id": "P", "unit_id": "U", "start_date": date(2020, 1, 5), "end_date": None,
                                    "position": True})
    assert emp["h"] == row_hash(("employments", [("k", "P|U|2020-01-05")], list(emp["p"].items())))
