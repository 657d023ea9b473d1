"""The 13 input files of DESIGN.md: columns, Chinese header aliases, kinds and key columns.

A column's ``kind`` names how its cells are normalised and checked (see ingest/validate.py):

- ``text``: trimmed text; ``code``: trimmed, NFKC (record numbers such as cert_no, project_id)
- ``ric``: 18-digit ID number, checksum/birth date/birth place checked (python-stdnum)
- ``uscc``: 18-char unified social credit code, checksum checked
- ``person`` / ``project`` / ``application``: reference that must resolve (this load or the graph)
- ``org``: a USCC that becomes an external ``:Org`` when it is not a unit of units.csv
- ``org_known``: a USCC that must name an organisation already known (unit or external)
- ``persons``: list of person references
- ``date``, ``month``, ``int``, ``bool``, ``list``, ``enum``, ``phone``, ``email``, ``subject``

Plain dataclasses rather than one pydantic model per file: the national sample has ~3.5M rows and
the checks here run per cell; the specs are data, the checks are in one place (validate.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Column:
    """One input column: English name, Chinese alias, kind, whether required, allowed values."""

    name: str
    alias: str
    kind: str = "text"
    required: bool = False
    values: tuple[str, ...] = ()
    # ``int`` columns: the smallest and largest value accepted (every integer must also fit 64 bits).
    bounds: tuple[int, int] | None = None
    # Longest text accepted, in characters: Neo4j cannot index a longer value (its range indexes take
    # at most 8 KB per key), and no real cell is near it. Long free text (bio, description) is only
    # full-text indexed and may be longer.
    max_len: int = 0


@dataclass(frozen=True)
class FileSpec:
    """One input file: its name (without extension), columns and key columns."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # Pairs (start, end) that must not be reversed.
    periods: tuple[tuple[str, str], ...] = ()
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


# Longest cell by kind (characters): record numbers and codes are short; other text is capped below
# what Neo4j's range indexes take (8 KB, up to 4 bytes a character).
MAX_LEN = {"code": 100, "text": 1000, "phone": 100, "email": 200, "list": 2000}
LONG_TEXT = 20000


def C(name: str, alias: str, kind: str = "text", required: bool = False, values: str = "",
      bounds: tuple[int, int] | None = None, max_len: int = 0) -> Column:
    return Column(name, alias, kind, required, tuple(values.split("/")) if values else (), bounds,
                  max_len or MAX_LEN.get(kind, 0))


SPECS: tuple[FileSpec, ...] = (
    FileSpec("units", (
        C("unit_id", "统一社会信用代码", "uscc", True),
        C("name", "单位名称", required=True),
        C("province", "省份"),
        C("city", "城市"),
        C("unit_type", "单位性质", "enum", values="企业/事业单位/高校/机关/其他"),
        C("grade", "资质等级", "enum", values="甲级/乙级/无"),
        C("cert_no", "资质证书编号", "code"),
        C("cert_valid_until", "资质有效期", "date"),
        C("legal_rep", "法定代表人"),
        C("phone", "联系电话", "phone"),
        C("email", "电子邮箱", "email"),
        C("address", "地址"),
        C("parent_unit_id", "主管单位统一社会信用代码", "org"),
    ), key=("unit_id",)),
    FileSpec("persons", (
        C("person_id", "身份证号", "ric", True),
        C("name", "姓名", required=True),
        C("gender", "性别"),
        C("birth_date", "出生日期", "date"),
        C("education", "学历"),
        C("school", "毕业院校"),
        C("major", "专业"),
        C("title", "职称"),
        C("phone", "联系电话", "phone"),
        C("email", "电子邮箱", "email"),
        C("civil_servant", "是否公务员", "bool"),
        C("retired", "是否退休", "bool"),
        C("bio", "个人简介", max_len=LONG_TEXT),
    ), key=("person_id",)),
    FileSpec("registrations", (
        C("cert_no", "注册证书编号", "code", True),
        C("person_id", "身份证号", "person", True),
        C("unit_id", "注册单位统一社会信用代码", "org", True),
        C("valid_from", "注册日期", "date", True),
        C("valid_to", "注销日期", "date"),
    ), key=("cert_no", "unit_id", "valid_from"), periods=(("valid_from", "valid_to"),)),
    FileSpec("employments", (
        C("person_id", "身份证号", "person", True),
        C("unit_id", "单位统一社会信用代码", "org", True),
        C("start_date", "入职日期", "date", True),
        C("end_date", "离职日期", "date"),
        C("position", "岗位"),
    ), key=("person_id", "unit_id", "start_date"), periods=(("start_date", "end_date"),)),
    FileSpec("social_insurance", (
        C("person_id", "身份证号", "person", True),
        C("unit_id", "缴费单位统一社会信用代码", "org", True),
        C("payer_name", "缴费单位名称"),
        C("payer_type", "缴费单位性质", "enum", values="企业/事业单位/机关/其他"),
        C("province", "参保地"),
        C("start_month", "起始月份", "month", True),
        C("end_month", "终止月份", "month"),
    ), key=("person_id", "unit_id", "start_month"), periods=(("start_month", "end_month"),)),
    FileSpec("experts", (
        C("expert_id", "专家编号", "code", True),
        C("person_id", "身份证号", "person", True),
        C("level", "专家级别", "enum", values="国家级/省级/市级"),
        C("fields", "专业领域", "list"),
        C("appointed", "聘任日期", "date"),
        C("status", "状态", "enum", values="在库/暂停/出库"),
    ), key=("expert_id",)),
    FileSpec("projects", (
        C("project_id", "项目编号", "code", True),
        C("name", "项目名称", required=True),
        C("level", "项目层级", "enum", values="省级/市级/县级/乡镇级"),
        C("plan_type", "规划类型"),
        C("province", "省份"),
        C("city", "城市"),
        C("county", "区县"),
        C("lead_unit_id", "承担单位统一社会信用代码", "org"),
        C("start_date", "开始日期", "date"),
        C("end_date", "结束日期", "date"),
        C("status", "项目状态"),
        C("description", "项目简介", max_len=LONG_TEXT),
    ), key=("project_id",), periods=(("start_date", "end_date"),)),
    FileSpec("project_members", (
        C("project_id", "项目编号", "project", True),
        C("person_id", "身份证号", "person", True),
        C("unit_id", "所在单位统一社会信用代码", "uscc"),
        C("role", "项目角色", "enum", True, values="项目负责人/技术负责人/主要编制人员/参与人员"),
    ), key=("project_id", "person_id", "role")),
    FileSpec("applications", (
        C("application_id", "申请编号", "code", True),
        C("unit_id", "申请单位统一社会信用代码", "org_known", True),
        C("grade", "申请等级"),
        C("submitted", "申报日期", "date"),
        C("decided", "审批日期", "date"),
        C("result", "审批结果", "enum", values="批准/不批准/撤回"),
    ), key=("application_id",), periods=(("submitted", "decided"),)),
    FileSpec("application_staff", (
        C("application_id", "申请编号", "application", True),
        C("person_id", "身份证号", "person", True),
        C("role", "申报角色"),
    ), key=("application_id", "person_id")),
    FileSpec("awards", (
        C("award_id", "奖项编号", "code", True),
        C("name", "奖项名称"),
        C("level", "获奖等级"),
        C("year", "年度", "int", bounds=(1949, 2100)),
        C("project_id", "项目编号", "project"),
        C("unit_id", "获奖单位统一社会信用代码", "org"),
        C("person_ids", "获奖人员身份证号", "persons"),
    ), key=("award_id",)),
    FileSpec("violations", (
        C("violation_id", "处罚编号", "code", True),
        C("subject_type", "对象类型", "enum", True, values="单位/个人"),
        C("subject_id", "对象代码", "subject", True),
        C("category", "违规类别"),
        C("severity", "严重程度", "enum", values="轻微/一般/严重"),
        C("decided", "处罚日期", "date"),
        C("authority", "处罚机关"),
        C("penalty", "处罚措施"),
        C("points", "扣分", "int", bounds=(0, 1000)),
        C("description", "情况说明", max_len=LONG_TEXT),
    ), key=("violation_id",)),
    FileSpec("reorganizations", (
        C("from_unit_id", "原单位统一社会信用代码", "org", True),
        C("to_unit_id", "新单位统一社会信用代码", "org", True),
        C("date", "日期", "date", True),
        C("kind", "类型", "enum", True, values="合并/分立/更名/划转"),
    ), key=("from_unit_id", "to_unit_id", "date", "kind")),
)

SPEC_BY_NAME: dict[str, FileSpec] = {s.name: s for s in SPECS}
# Load order: units first (so payers/employers find them), persons next, then the rest.
LOAD_ORDER: tuple[str, ...] = tuple(s.name for s in SPECS)

_BRACKETS = re.compile(r"^(.*?)\s*[\[(（【](.*?)[\])）】]\s*$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text.replace("\ufeff", "")).strip().lower()
    return re.sub(r"[\s_\-]+", "_", text)


def header_index(spec: FileSpec) -> dict[str, str]:
    """Folded header text -> column name, for English names and Chinese aliases."""
    index: dict[str, str] = {}
    for col in spec.columns:
        index[_fold(col.name)] = col.name
        index[_fold(col.alias)] = col.name
    return index


def match_header(spec: FileSpec, header: str) -> str | None:
    """The column a header cell names: `person_id`, `身份证号` or `person_id [身份证号]`; else None."""
    index = header_index(spec)
    folded = _fold(header)
    if folded in index:
        return index[folded]
    m = _BRACKETS.match(unicodedata.normalize("NFKC", header).strip())
    if m:
        for part in m.groups():
            hit = index.get(_fold(part))
            if hit:
                return hit
    return None
