"""Masking of personal data (ID numbers, phones) for roles that may not see it in full."""

from __future__ import annotations


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
