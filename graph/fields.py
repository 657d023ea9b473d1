"""Field types of the pydantic models at the edges (HTTP bodies, request files): values exactly as the
JSON Schema they publish says, no more. Lax pydantic would take ``true`` or ``"5"`` for an integer and a
number for a date, which the OpenAPI document does not allow (and schemathesis rightly reports)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A character that is not blank, by every engine that reads the pattern: \s differs between Python's
# re (and str.strip: \x1c-\x1f, \x85), ECMA-262, which JSON Schema tools follow (\ufeff, not \x85),
# and pydantic's Rust regex, so each blank is named. A text field that must not be blank after stripping
# has one of these (the pattern of ``api.schemas`` text fields and of the lookup text).
SOLID = r"[^\s\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"


def iso_date(value: Any) -> Any:
    """A date as ``YYYY-MM-DD`` (or a date object), nothing else."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("a date YYYY-MM-DD")


def json_integer(value: Any) -> Any:
    """A JSON Schema integer: 5 or 5.0, not "5" nor true. Put after the field's Field(...) in Annotated,
    or the schema loses its minimum/maximum."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError("an integer")


IsoDate = Annotated[date, BeforeValidator(iso_date)]
JsonInt = Annotated[int, BeforeValidator(json_integer)]
