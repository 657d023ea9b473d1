"""`ingest.validate.check_ric` does stdnum's `ric.validate` checks itself, with its slow look-ups cached
(for national loads): it must accept exactly the ID numbers stdnum accepts, whatever stdnum's version."""

from __future__ import annotations

import random

from stdnum.cn import ric

from ingest.validate import check_ric


def _numbers(rng: random.Random) -> list[str]:
    valid_places = ["110101", "330106", "440305", "510104", "650102", "110100", "330000"]
    out = []
    for _ in range(3000):
        place = rng.choice(valid_places) if rng.random() < 0.7 else f"{rng.randrange(10**6):06d}"
        born = f"{rng.randint(1890, 2030):04d}{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}"
        body = f"{place}{born}{rng.randrange(1000):03d}"
        check = ric.calc_check_digit(body + "0") if rng.random() < 0.8 else rng.choice("0123456789X")
        number = body + check
        mutation = rng.random()
        if mutation < 0.05:
            number = number.lower()
        elif mutation < 0.1:
            number = f" {number} "
        elif mutation < 0.13:
            number = number[:-1]
        elif mutation < 0.16:
            number = number[:5] + "A" + number[6:]
        out.append(number)
    return out + ["", "X" * 18, "11010119900307001`", "１１０１０１１９９００３０７００１５", "11010119900230001X"]


def _stdnum_accepts(number: str) -> bool:
    # (ric.is_valid itself raises KeyError for some place codes; check_ric calls that invalid)
    try:
        ric.validate(number)
    except Exception:  # noqa: BLE001
        return False
    return True


def test_check_ric_accepts_exactly_what_stdnum_accepts() -> None:
    numbers = _numbers(random.Random(7))
    verdicts = [(n, check_ric(n) is None, _stdnum_accepts(n)) for n in numbers]
    assert [v for v in verdicts if v[1] != v[2]] == []
    assert sum(ok for _, ok, _ in verdicts) > 500  # valid numbers were tried, not only invalid ones
