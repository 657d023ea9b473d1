"""Masking and person pseudonyms, without a server."""

from __future__ import annotations

from datetime import date

from graph.masking import PersonRefs, mask_id, mask_phone, mask_text, public_payload

PID = "330106197001010115"


def test_mask_id_and_phone() -> None:
    assert mask_id(PID) == "330106********0115"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_text(f"身份证 {PID}，电话 13812345678。") == "身份证 330106********0115，电话 138****5678。"


def test_refs_round_trip_and_tamper() -> None:
    refs = PersonRefs(b"k" * 32)
    ref = refs.encode(PID)
    assert ref.startswith("p_") and PID not in ref
    assert refs.encode(PID) == ref  # stable, so links can be shared
    assert refs.decode(ref) == PID
    assert refs.decode(ref[:-2] + ("A" if ref[-2] != "A" else "B") + ref[-1]) is None
    assert PersonRefs(b"x" * 32).decode(ref) is None
    assert refs.decode("p_%%%") is None and refs.decode("nope") is None


def test_public_payload_masks_but_keeps_units() -> None:
    refs = PersonRefs(b"k" * 32)
    unit = "913301001234567890"  # an all-digit USCC under a unit key stays as it is
    body = {"person_id": PID, "phone": "0571-88886666", "unit_id": unit, "d": date(2024, 1, 2),
            "rows": [{"person_ids": [PID]}], "embedding": [0.1] * 4, "x": float("nan")}
    out = public_payload(body, unmask=False, refs=refs)
    assert out["person_id"] == "330106********0115" and refs.decode(out["person_ref"]) == PID
    assert out["phone"].endswith("6666") and "8888" not in out["phone"]
    assert out["unit_id"] == unit and out["d"] == "2024-01-02" and out["x"] is None
    assert "embedding" not in out
    assert out["rows"][0]["person_ids"] == ["330106********0115"] and out["rows"][0]["person_refs"][0].startswith("p_")
    assert public_payload(body, unmask=True)["person_id"] == PID
