"""Taxonomy and matcher: synonyms, paraphrases, sub-token and multi-token phrases."""

from __future__ import annotations

import pytest

from tagging.nlp import get_matcher, load_taxonomy


def tags_of(text: str) -> set[str]:
    return {m.tag_id for m in get_matcher().match(text)}


def test_taxonomy_shape() -> None:
    tax = load_taxonomy()
    specs = tax.specialties()
    assert len(specs) >= 40
    for t in specs:
        assert t.label and t.label_en and t.synonyms
        assert t.parent is None or t.parent in tax.tags
    labels = {t.label for t in specs}
    for must in ("村庄规划", "详细规划", "城市设计", "双评价", "耕地保护", "城市更新", "海洋与海岸带"):
        assert must in labels
    assert tax.ancestors("master_plan_city") == ["master_plan"]
    assert tax.resolve("控规") == "regulatory_plan"
    assert tax.resolve("village_plan") == "village_plan"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("主持编制了某县县域国土空间规划", {"master_plan_county"}),
        ("参与多规合一实用性村庄规划编制", {"village_plan"}),
        ("负责资源环境承载能力和国土空间开发适宜性评价", {"double_eval"}),
        ("开展双评价工作", {"double_eval"}),
        ("熟悉控规调整和修建性详细规划", {"regulatory_plan", "detailed_plan"}),
        ("研究海绵城市与排水防涝", {"water_sponge"}),
        ("从事老旧小区改造和城中村改造", {"urban_renewal"}),
        ("负责历史文化街区保护与传统村落调查", {"heritage"}),
        ("参加全域土地综合整治试点", {"land_consolidation"}),
        ("承担永久基本农田划定", {"farmland"}),
        ("长期从事GIS与遥感应用", {"gis"}),
        ("从事海岸带保护利用规划", {"marine"}),
        ("做过城市体检和规划实施评估", {"evaluation"}),
        ("参与TOD站城一体开发研究", {"transport_rail"}),
    ],
)
def test_synonyms_and_paraphrases(text: str, expected: set[str]) -> None:
    assert expected <= tags_of(text)


def test_synonym_inside_longer_word() -> None:
    # jieba merges or splits these; the char-level fallback still finds them.
    found = {m.tag_id: m for m in get_matcher().match("他编制的乡镇国土空间规划成果和村庄规划编制技术导则")}
    assert "master_plan_township" in found
    assert "village_plan" in found
    m = get_matcher().match("省级国土空间规划编制")
    assert m and m[0].tag_id == "master_plan_province" and (m[0].start, m[0].end) == (0, 8)
    # a synonym jieba does not produce as one token
    hits = get_matcher().match("资源环境承载力评价")
    assert hits and hits[0].tag_id == "double_eval"


def test_longest_span_wins_and_ascii_boundaries() -> None:
    assert tags_of("美丽乡村规划") == {"village_plan"}
    assert "gis" not in tags_of("LOGISTICS planning")
    assert "gis" in tags_of("gis平台")


def test_spans_point_into_text() -> None:
    text = "主持苏州市控规修编项目"
    for m in get_matcher().match(text):
        assert text[m.start:m.end] == m.text


def test_char_fallback_finds_synonyms_jieba_merged() -> None:
    # jieba keeps 地铁站 / 防洪堤 as one token: only the char-level scan sees 地铁 / 防洪.
    for text, tag in (("新建地铁站周边开发", "transport_rail"), ("加固防洪堤", "disaster")):
        hits = [m for m in get_matcher().match(text) if m.tag_id == tag]
        assert hits and hits[0].how == "char"


def test_no_false_housing_for_government_body() -> None:
    assert "housing" not in tags_of("在住房和城乡建设局工作")
