"""Masking of personal data (ID numbers, phones) for roles that may not see it in full.

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

# 18-character resident ID numbers anywhere in text; phones (mainland mobiles) in text.
ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9])")
PHONE_KEYS = frozenset({"phone", "phone_norm", "mobile", "telephone", "contact_phone"})
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


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number inside free text."""
    text = ID_RE.sub(lambda m: mask_id(m.group(0)) or "", text)
    return MOBILE_RE.sub(lambda m: mask_phone(m.group(0)) or "", text)


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


def _mask_value(key: str, value: Any, refs: PersonRefs | None) -> Any:
    if isinstance(value, str):
        if key in UNIT_KEYS:
            return value
        if key in PHONE_KEYS:
            return mask_phone(value)
        return mask_text(value)
    if isinstance(value, list):
        return [_mask_value(key, v, refs) for v in value]
    if isinstance(value, dict):
        return _mask_dict(value, refs)
    return value


def _mask_dict(d: dict[str, Any], refs: PersonRefs | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in d.items():
        out[key] = _mask_value(key, value, refs)
        if refs is None:
            continue
        # Keep pages navigable: a pseudonym beside each person ID that is masked here.
        if key == "person_id" and isinstance(value, str) and ID_RE.fullmatch(value) and "person_ref" not in d:
            out["person_ref"] = refs.encode(value)
        elif key == "person_ids" and isinstance(value, list) and "person_refs" not in d:
            out["person_refs"] = [refs.encode(v) if isinstance(v, str) and ID_RE.fullmatch(v) else None for v in value]
        elif key == "id" and isinstance(value, str) and ID_RE.fullmatch(value) and "ref" not in d:
            out["ref"] = refs.encode(value)
    return out


def public_payload(obj: Any, *, unmask: bool, refs: PersonRefs | None = None) -> Any:
    """JSON-ready copy of ``obj``; ID numbers and phones masked unless ``unmask``."""
    data = jsonable(obj)
    if unmask:
        return data
    return _mask_value("", data, refs)
