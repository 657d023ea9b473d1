"""Cell normalisation shared by ingest and the detection package.

Every function takes a raw cell (str from CSV, or str/int/float/date/datetime from XLSX) and
returns the normalised value or None for an empty cell; malformed values raise ``ValueError``
whose message is the reason shown in the error report.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

# Values people type for "no value" in contact columns (DESIGN.md LK1: placeholders ignored). The one
# list: the sample's reference rules and bench.detect_pandas normalise through norm_phone/norm_email.
PLACEHOLDERS = frozenset(
    {"无", "-", "--", "—", "空", "n/a", "na", "null", "none", "nil", "暂无", "/", "0", "未知", "不详", "无无"}
)
LIST_SEPARATORS = re.compile(r"[;；、,，]")
_DATE_SEP = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_SEP = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
# A datetime written as text ("2023-01-05 00:00:00", "2023-01-05T08:00"): keep the date part.
_TIME_SUFFIX = re.compile(r"^(\S+?)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_NON_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


def clean_text(value: Any) -> str | None:
    """Trimmed text (BOM/zero-width characters and full-width spaces removed); None when empty."""
    if value is None:
        return None
    if type(value) is str and "\ufeff" not in value and "\u200b" not in value:  # the common CSV cell
        return value.strip() or None
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\ufeff", "").replace("\u200b", "").strip()
    return text or None


def nfkc(value: Any) -> str | None:
    """Trimmed text with full-width digits, letters and punctuation folded (NFKC); None when empty."""
    text = clean_text(value)
    if text is None:
        return None
    if text.isascii():  # NFKC leaves ASCII as it is (and clean_text has trimmed it)
        return text
    return unicodedata.normalize("NFKC", text).strip() or None


def norm_id(value: Any) -> str | None:
    """An ID number or USCC: NFKC, inner spaces removed, upper-cased."""
    text = nfkc(value)
    if text is None:
        return None
    return _SPACES.sub("", text).upper()


def _mkdate(y: str | int, m: str | int, d: str | int) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise ValueError(f"not a calendar date: {y}-{m}-{d}") from None


def parse_date(value: Any) -> date | None:
    """A date from `2023-01-05`, `2023/1/5`, `2023.1.5`, `2023年1月5日`, `20230105` or an XLSX date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = nfkc(value)
    if text is None:
        return None
    timed = _TIME_SUFFIX.match(text)
    if timed:
        text = timed.group(1)
    m = _DATE_SEP.match(text) or _DATE_COMPACT.match(text)
    if not m:
        raise ValueError("not a date (expected e.g. 2023-01-05, 2023/1/5, 2023.1.5, 2023年1月5日)")
    return _mkdate(*m.groups())


def parse_month(value: Any) -> date | None:
    """A month as the date of its first day, from `2023-01`, `2023/1`, `2023年1月`, `202301` or a date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    text = nfkc(value)
    if text is None:
        return None
    m = _MONTH_SEP.match(text) or _MONTH_COMPACT.match(text)
    if m:
        return _mkdate(m.group(1), m.group(2), 1)
    try:
        # A full date in a month column is accepted as its month.
        day = parse_date(text)
    except ValueError:
        raise ValueError("not a month (expected e.g. 2023-01, 2023/1, 2023年1月)") from None
    return day.replace(day=1) if day else None


def parse_int(value: Any) -> int | None:
    """An integer (full-width digits allowed; `3.0` accepted, `3.5` rejected)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("not an integer")
    if isinstance(value, int):
        return value
    text = nfkc(value)
    if text is None:
        return None
    text = text.rstrip("年分").strip()
    try:
        number = float(text)
    except ValueError:
        raise ValueError("not an integer") from None
    if not number.is_integer():
        raise ValueError("not an integer")
    return int(number)


_TRUE = frozenset({"是", "y", "yes", "true", "1", "t"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "f"})


def parse_bool(value: Any) -> bool | None:
    """是/否 (also yes/no, true/false, 1/0) as a boolean."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = nfkc(value)
    if text is None:
        return None
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError("expected 是 or 否")


def split_list(value: Any) -> list[str]:
    """A list cell split on `;` `；` `、` `,` (and `，`), items trimmed, empties dropped."""
    text = clean_text(value)
    if text is None:
        return []
    return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]


def _is_placeholder(text: str) -> bool:
    return text.lower() in PLACEHOLDERS


def norm_phone(value: Any) -> str | None:
    """Digits only, leading +86/0086/86 dropped; placeholders (无, -, 空, N/A, all zeros) -> None."""
    text = nfkc(value)
    if text is None or _is_placeholder(text):
        return None
    digits = _NON_DIGITS.sub("", text)
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and (text.lstrip().startswith("+") or len(digits) >= 12):
        digits = digits[2:]
    if not digits or set(digits) == {"0"}:
        return None
    return digits


def norm_email(value: Any) -> str | None:
    """Lower-cased e-mail; placeholders and values without `@` -> None."""
    text = nfkc(value)
    if text is None or _is_placeholder(text):
        return None
    text = text.replace(" ", "").lower()
    local, at, domain = text.partition("@")
    if not at or not local or not domain or set(local) <= {"0"}:
        return None
    return text


# Standard division of the provinces into regions (七大地理分区).
REGIONS: dict[str, tuple[str, ...]] = {
    "华北": ("北京", "天津", "河北", "山西", "内蒙古"),
    "东北": ("辽宁", "吉林", "黑龙江"),
    "华东": ("上海", "江苏", "浙江", "安徽", "福建", "江西", "山东", "台湾"),
    "华中": ("河南", "湖北", "湖南"),
    "华南": ("广东", "广西", "海南", "香港", "澳门"),
    "西南": ("重庆", "四川", "贵州", "云南", "西藏"),
    "西北": ("陕西", "甘肃", "青海", "宁夏", "新疆"),
}
_PROVINCE_REGION = {p: r for r, provinces in REGIONS.items() for p in provinces}


def region_of(province: str | None) -> str | None:
    """The region (华东/华北/华南/华中/西南/西北/东北) of a province name, short or full; else None."""
    if not province:
        return None
    for short, region in _PROVINCE_REGION.items():
        if province.startswith(short):
            return region
    return None


# Full official names where the short name + 省 is not it (municipalities, autonomous regions, SARs).
_FULL_NAMES = {"北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "内蒙古": "内蒙古自治区",
               "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区",
               "香港": "香港特别行政区", "澳门": "澳门特别行政区"}


# Every name a province may be given by (short and full), e.g. for a schema's enum.
PROVINCE_NAMES: tuple[str, ...] = tuple(sorted({*_PROVINCE_REGION, *(_FULL_NAMES.get(p, p + "省") for p in _PROVINCE_REGION)}))


def province_name(province: str | None) -> str | None:
    """The full official name of a province given short or full (``浙江`` -> ``浙江省``); else None."""
    text = (province or "").strip()
    for short in _PROVINCE_REGION:
        if text.startswith(short):
            return _FULL_NAMES.get(short, short + "省")
    return None
