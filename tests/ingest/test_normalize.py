"""Cell normalisation, header aliases, encodings and ID checks (no database)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from ingest import normalize as N
from ingest.readers import detect_encoding, open_source
from ingest.schemas import SPEC_BY_NAME, match_header
from ingest.validate import check_ric, check_uscc
from tests.ingest.conftest import P1, U1, world, write_file


@pytest.mark.parametrize("text", ["2023-01-05", "2023/1/5", "2023.1.5", "2023年1月5日", "２０２３－０１－０５", "20230105",
                                  " 2023-01-05 00:00:00 ", datetime(2023, 1, 5, 0, 0), date(2023, 1, 5)])
def test_dates(text: object) -> None:
    assert N.parse_date(text) == date(2023, 1, 5)


@pytest.mark.parametrize("text", ["2023-01", "2023/1", "2023年1月", "2023.1", "202301", "2023-01-17", datetime(2023, 1, 9)])
def test_months(text: object) -> None:
    assert N.parse_month(text) == date(2023, 1, 1)


@pytest.mark.parametrize("text", ["2023-13-01", "2023-02-30", "01/05/2023", "yesterday", "2023-1"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        N.parse_date(text)


def test_empty_is_none() -> None:
    assert N.parse_date("  ") is None and N.parse_month(None) is None and N.parse_int("") is None


@pytest.mark.parametrize(("raw", "norm"), [
    ("+86 138-0000-1111", "13800001111"), ("8613800001111", "13800001111"), ("0086 13800001111", "13800001111"),
    ("１３８００００１１１１", "13800001111"), ("0571-88880000", "057188880000"), ("无", None), ("-", None), ("空", None),
    ("N/A", None), ("00000000000", None), ("", None), (None, None), (13800001111, "13800001111"),
])
def test_phone(raw: object, norm: str | None) -> None:
    assert N.norm_phone(raw) == norm


@pytest.mark.parametrize(("raw", "norm"), [
    (" Zhang.Wei@Example.COM ", "zhang.wei@example.com"), ("无", None), ("-", None), ("N/A", None), ("not-an-email", None),
    ("ＡＢ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ab@example.com"),
])
def test_email(raw: str, norm: str | None) -> None:
    assert N.norm_email(raw) == norm


@pytest.mark.parametrize("placeholder", sorted(N.PLACEHOLDERS))
def test_placeholders_are_no_contact(placeholder: str) -> None:
    for text in (placeholder, placeholder.upper(), f" {placeholder} "):
        assert N.norm_phone(text) is None and N.norm_email(text) is None


def test_lists_ids_and_regions() -> None:
    assert N.split_list("城乡规划;国土空间规划；GIS、遥感,测绘，交通") == ["城乡规划", "国土空间规划", "GIS", "遥感", "测绘", "交通"]
    assert N.norm_id(" １１０１０１１９８００１０１００１x ") == "11010119800101001X"
    assert N.parse_bool("是") is True and N.parse_bool("否") is False
    assert [N.region_of(p) for p in ("浙江省", "北京", "广西壮族自治区", "黑龙江省", "新疆", "湖北省", "四川", "火星")] == [
        "华东", "华北", "华南", "东北", "西北", "华中", "西南", None]


def test_id_checks_never_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_ric(P1) is None and check_uscc(U1) is None
    assert "check digit" in check_ric(P1[:-1] + ("1" if P1[-1] == "0" else "0"))
    assert "18" in check_ric("123")
    assert "check character" in check_uscc(U1[:-1] + ("1" if U1[-1] == "0" else "0"))
    from ingest import validate

    monkeypatch.setattr(validate.ric, "calc_check_digit", lambda n: 1 / 0)
    assert "could not be validated" in check_ric(P1)
    monkeypatch.undo()
    # The cached birth-place look-up: a library failure there is reported too (and not cached past the patch).
    validate._birth_place_error.cache_clear()
    monkeypatch.setattr(validate.ric, "get_birth_place", lambda n: {}["county"])
    assert "could not be validated (KeyError)" in check_ric(P1)
    monkeypatch.undo()
    validate._birth_place_error.cache_clear()
    assert check_ric(P1) is None


def test_headers() -> None:
    spec = SPEC_BY_NAME["persons"]
    assert match_header(spec, "person_id") == "person_id"
    assert match_header(spec, " 身份证号 ") == "person_id"
    assert match_header(spec, "Person ID") == "person_id"
    assert match_header(spec, "身份证号(person_id)") == "person_id"
    assert match_header(spec, "person_id [身份证号]") == "person_id"
    assert match_header(spec, "shoe size") is None


@pytest.mark.parametrize(("fmt", "encoding"), [("csv", "utf-8-sig"), ("bom", "utf-8-sig"), ("gbk", "gb18030"),
                                               ("gb18030", "gb18030")])
def test_encodings(tmp_path: Path, fmt: str, encoding: str) -> None:
    path = write_file(tmp_path, "persons", world()["persons"], fmt, chinese=True)
    assert detect_encoding(path)[0] == encoding
    source = open_source(SPEC_BY_NAME["persons"], path)
    rows = list(source.rows())
    assert source.columns[0] == "person_id" and source.headers[0] == "身份证号"
    assert rows[0][0] == 2 and rows[0][1][1] == "张伟"


def test_nul_characters_are_dropped(tmp_path: Path) -> None:
    """A NUL inside a cell (it would stop the csv module) is dropped; a file without one reads the same."""
    clean = tmp_path / "clean" / "units.csv"
    nul = tmp_path / "nul" / "units.csv"
    for path, name in ((clean, "某单位"), (nul, "某\x00单位")):
        path.parent.mkdir()
        path.write_text(f"unit_id,name\n91110000100000000X,{name}\n", encoding="utf-8")
    rows = [list(open_source(SPEC_BY_NAME["units"], p).rows()) for p in (clean, nul)]
    assert rows[0] == rows[1] == [(2, ["91110000100000000X", "某单位"])]


def test_text_cells_take_clean_texts_way(tmp_path: Path) -> None:
    """The validator's shortcut for plain text cells gives what clean_text and the range and required
    checks give, for every text, phone and e-mail column of every file."""
    from ingest.validate import REQUIRED, CellError, Known, Validator, check_range

    awkward = ["", " ", "  张伟 ", "\ufeff张伟", "张\u200b伟", "\u3000全角空格\u3000", "\t", "a\nb", "x" * 10_000,
               "0571-12345678", " li@163.com ", None, 12, 12.0, 3.5, True, date(2023, 1, 5), datetime(2023, 1, 5, 8)]
    checked = 0
    for name, spec in SPEC_BY_NAME.items():
        (tmp_path / name).mkdir()
        path = write_file(tmp_path / name, name, world()[name])
        validator = Validator(open_source(spec, path), Known(), None)
        for col in spec.columns:
            if col.kind not in ("text", "phone", "email"):
                continue
            convert = validator._converter(col)
            for raw in awkward:
                expected: tuple[object, str | None]
                try:
                    value = N.clean_text(raw)
                    check_range(col, value, raw)
                    expected = (None, REQUIRED) if col.required and value is None else (value, None)
                except CellError as exc:
                    expected = (None, str(exc))
                assert convert(raw) == expected, (name, col.name, raw)
                checked += 1
    assert checked > 500
