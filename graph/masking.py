"""Masking of personal data (ID numbers, birth dates, phones, e-mails) for roles that may not see it.

A masked view carries nothing from which an ID number, phone or e-mail can be rebuilt (DESIGN.md
"Privacy and security"): ID ``330106********1234``, the birth date as its year only (the eight hidden
digits of an ID are the birth date), phone ``187****3138``, e-mail ``l***@163.com``; IDs, mobiles,
landlines and e-mails inside free text (bio, profile text, evidence, summaries) and in mapping keys
are masked too.

Roles that see masked data still need to open a person's page, so each masked ``person_id`` is
accompanied by a ``person_ref``: a deterministic, authenticated pseudonym (an SIV-style encryption
of the ID under a server key) that the API turns back into the ID and that reveals nothing itself.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

# 18-character resident ID numbers anywhere in text; phones (mainland mobiles, landlines written with
# an area code and a dash) and e-mail addresses in text.
ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9])")
LANDLINE_RE = re.compile(r"(?<![0-9])0\d{2,3}-\d{7,8}(?![0-9])")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE_KEYS = frozenset({"phone", "phone_norm", "mobile", "telephone", "contact_phone"})
EMAIL_KEYS = frozenset({"email", "email_norm", "contact_email"})
# A birth date in a masked view: its year only (``birth_year``).
BIRTH_KEYS = frozenset({"birth_date", "birthday", "born"})
# Keys whose values are unit codes (USCC), never person IDs: left alone even if all digits. A record's
# record_key (graph/records.py) is built from unit codes, dates and certificate/project codes only.
UNIT_KEYS = frozenset({"unit_id", "unit_ids", "lead_unit_id", "parent_unit_id", "from_unit_id", "to_unit_id", "payer_id",
                       "record_key"})
# Heavy internals that no page needs.
DROP_KEYS = frozenset({"embedding", "token_hash"})
REF_PREFIX = "p_"


def mask_id(value: str | None) -> str | None:
    """`330106199001011234` -> `330106********1234` (keeps region and the last four)."""
    if not value:
        return value
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """`13812345678` -> `138****5678`; short numbers keep only their last two characters."""
    if not value:
        return value
    if len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * (len(value) - 2) + value[-2:]


def mask_email(value: str | None) -> str | None:
    """`li.ming@163.com` -> `l***@163.com` (the first character of the name, the domain)."""
    if not value:
        return value
    name, at, domain = value.rpartition("@")
    if not at:
        return mask_text(value)
    return (name[:1] or "*") + "***@" + domain


def mask_text(text: str) -> str:
    """Mask every ID number, phone and e-mail address inside free text."""
    text = EMAIL_RE.sub(lambda m: mask_email(m.group(0)) or "", text)
    text = ID_RE.sub(lambda m: mask_id(m.group(0)) or "", text)
    text = MOBILE_RE.sub(lambda m: mask_phone(m.group(0)) or "", text)
    return LANDLINE_RE.sub(lambda m: mask_phone(m.group(0)) or "", text)


def birth_year(value: Any) -> int | None:
    """The year of a birth date (ISO string or date), or None."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


class PersonRefs:
    """Reversible pseudonyms for person IDs: ``encode(pid)`` -> ``p_...``; ``decode`` -> pid or None."""

    def __init__(self, key: bytes) -> None:
        self._k_tag = hmac.new(key, b"plantalent/ref/tag", hashlib.sha256).digest()
        self._k_enc = hmac.new(key, b"plantalent/ref/enc", hashlib.sha256).digest()

    def _stream(self, tag: bytes, n: int) -> bytes:
        out = b""
        counter = 0
        while len(out) < n:
            out += hmac.new(self._k_enc, tag + counter.to_bytes(4, "big"), hashlib.sha256).digest()
            counter += 1
        return out[:n]

    def encode(self, person_id: str) -> str:
        data = person_id.encode("utf-8")
        tag = hmac.new(self._k_tag, data, hashlib.sha256).digest()[:10]
        ct = bytes(a ^ b for a, b in zip(data, self._stream(tag, len(data)), strict=True))
        return REF_PREFIX + base64.urlsafe_b64encode(tag + ct).rstrip(b"=").decode("ascii")

    def decode(self, ref: str) -> str | None:
        if not ref.startswith(REF_PREFIX) or len(ref) > 200:
            return None
        body = ref[len(REF_PREFIX):]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (ValueError, TypeError):
            return None
        if len(raw) <= 10:
            return None
        tag, ct = raw[:10], raw[10:]
        data = bytes(a ^ b for a, b in zip(ct, self._stream(tag, len(ct)), strict=True))
        expected = hmac.new(self._k_tag, data, hashlib.sha256).digest()[:10]
        if not hmac.compare_digest(tag, expected):
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None


def jsonable(obj: Any) -> Any:
    """Plain JSON values from what the query layer returns (neo4j temporals, numpy, dataclasses)."""
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items() if str(k) not in DROP_KEYS}
    if isinstance(obj, list | tuple | set | frozenset):
        return [jsonable(v) for v in obj]
    if isinstance(obj, datetime | date | time):
        return obj.isoformat()
    if hasattr(obj, "iso_format"):  # neo4j.time.Date / DateTime / Duration
        return obj.iso_format()
    if isinstance(obj, Decimal):
        return float(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return jsonable(dataclasses.asdict(obj))
    if hasattr(obj, "model_dump"):
        return jsonable(obj.model_dump(mode="json"))
    if hasattr(obj, "tolist"):  # numpy arrays and scalars
        return jsonable(obj.tolist())
    if hasattr(obj, "to_json"):
        return jsonable(obj.to_json())
    return str(obj)


def _mask_value(key: str, value: Any, refs: PersonRefs | None, mask: bool) -> Any:
    if isinstance(value, str):
        if not mask or key in UNIT_KEYS:
            return value
        if key in PHONE_KEYS:
            return mask_phone(value)
        if key in EMAIL_KEYS:
            return mask_email(value)
        return mask_text(value)
    if isinstance(value, list):
        return [_mask_value(key, v, refs, mask) for v in value]
    if isinstance(value, dict):
        return _mask_dict(value, refs, mask)
    return value


def _mask_dict(d: dict[str, Any], refs: PersonRefs | None, mask: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in d.items():
        if mask and key in BIRTH_KEYS:
            if "birth_year" not in d:
                out["birth_year"] = birth_year(value)
            continue
        # A mapping keyed by IDs or phones (counts per person, say) must not carry them in its keys.
        out[mask_text(key) if mask and key not in UNIT_KEYS else key] = _mask_value(key, value, refs, mask)
        if refs is None:
            continue
        # Pages link persons by these pseudonyms (never by ID number, which would land in URLs and logs).
        if key == "person_id" and isinstance(value, str) and ID_RE.fullmatch(value) and "person_ref" not in d:
            out["person_ref"] = refs.encode(value)
        elif key == "person_ids" and isinstance(value, list) and "person_refs" not in d:
            out["person_refs"] = [refs.encode(v) if isinstance(v, str) and ID_RE.fullmatch(v) else None for v in value]
        elif key == "id" and isinstance(value, str) and ID_RE.fullmatch(value) and "ref" not in d:
            out["ref"] = refs.encode(value)
    return out


def public_payload(obj: Any, *, unmask: bool, refs: PersonRefs | None = None) -> Any:
    """JSON-ready copy of ``obj``: ID numbers, birth dates, phones and e-mails masked unless ``unmask``;
    with ``refs``, a ``person_ref`` beside every person ID (``person_refs`` beside ``person_ids``,
    ``ref`` beside a node ``id``) whether masked or not."""
    return _mask_value("", jsonable(obj), refs, not unmask)


def person_ids_in(data: Any) -> set[str]:
    """The person ID numbers that ``data`` (JSON values) names under ``person_id``, ``person_ids`` or ``id``."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for key, v in value.items():
                if key in ("person_id", "id") and isinstance(v, str) and ID_RE.fullmatch(v):
                    found.add(v)
                elif key == "person_ids" and isinstance(v, list):
                    found.update(x for x in v if isinstance(x, str) and ID_RE.fullmatch(x))
                walk(v)

    walk(data)
    return found


def names_only(data: Any, allowed: set[str]) -> Any:
    """A copy of ``data`` (JSON values, before masking) in which persons outside ``allowed`` appear by
    name only: their ``person_id`` / ``id`` (and any ``person_ref`` / ``ref``) removed, removed from
    ``person_ids`` lists, and their ID numbers inside text starred out entirely."""
    if isinstance(data, list):
        return [names_only(v, allowed) for v in data]
    if isinstance(data, str):
        return ID_RE.sub(lambda m: m.group(0) if m.group(0).upper() in allowed else "*" * len(m.group(0)), data)
    if not isinstance(data, dict):
        return data
    hidden = {k for k in ("person_id", "id") if isinstance(data.get(k), str) and ID_RE.fullmatch(data[k])
              and data[k] not in allowed}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in hidden or (key == "person_ref" and "person_id" in hidden) or (key == "ref" and "id" in hidden):
            continue
        if key == "person_ids" and isinstance(value, list):
            out[key] = [v for v in value if not (isinstance(v, str) and ID_RE.fullmatch(v)) or v in allowed]
            continue
        if key == "person_refs":  # pseudonyms beside person_ids: made again after masking
            continue
        if key in UNIT_KEYS:  # unit codes (USCC), which may be all digits like an ID number
            out[key] = value
            continue
        out[names_only(key, allowed)] = names_only(value, allowed)
    return out
