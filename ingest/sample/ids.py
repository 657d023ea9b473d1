"""Checksummed identifiers (居民身份证号 GB 11643, 统一社会信用代码 GB 32100) and unique contacts."""

from __future__ import annotations

import random
from datetime import date

from ingest.sample.divisions import DIVISIONS
from ingest.sample.names import GIVEN_CHARS, SURNAMES

_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
                    "176", "177", "180", "181", "186", "187", "188", "189", "199")
_MAIL_DOMAINS = ("163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "139.com")


def ric_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of an 18-digit resident ID."""
    total = sum(int(c) * w for c, w in zip(first17, _RIC_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def org_code_check(first8: str) -> str:
    """GB 11714 check character of the 9-character organisation code inside a USCC."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015 check character (mod 31 over the USCC alphabet)."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def _province_codes(prefix: str) -> list[tuple[str, int, int]]:
    """(code, first year, last year) of some county-level division codes of a province."""
    return DIVISIONS.get(prefix, [])


_VALID_CACHE: dict[tuple[str, int], list[str]] = {}


def birth_code(region_code: str, year: int, rng: random.Random) -> str:
    """`region_code` if it existed in `year`, else a code of the same province that did."""
    key = (region_code[:2], year)
    if key not in _VALID_CACHE:
        _VALID_CACHE[key] = [c for c, start, end in _province_codes(region_code[:2]) if start <= year <= end]
    valid = _VALID_CACHE[key]
    if any(c == region_code for c in valid):
        return region_code
    if not valid:
        # Hainan (46) was split from Guangdong (44) in 1988.
        return birth_code("440104" if region_code[:2] == "46" else "110101", year, rng)
    return valid[rng.randrange(len(valid))]


# Zipf-like surname frequencies: 王/李/张 about 7 % each, the tail rare.
_SURNAME_CUM: list[float] = []
for _i in range(len(SURNAMES)):
    _SURNAME_CUM.append((_SURNAME_CUM[-1] if _SURNAME_CUM else 0.0) + 1.0 / (_i + 3) ** 0.9)

AREA_CODES = {
    "310101": "021", "320102": "025", "320505": "0512", "330106": "0571", "330203": "0574", "340102": "0551",
    "350102": "0591", "350203": "0592", "360102": "0791", "370102": "0531", "370202": "0532", "110101": "010",
    "120101": "022", "130102": "0311", "130602": "0312", "140105": "0351", "150102": "0471", "440104": "020",
    "440304": "0755", "450102": "0771", "460105": "0898", "410102": "0371", "420102": "027", "430102": "0731",
    "500103": "023", "510104": "028", "520102": "0851", "530102": "0871", "540102": "0891", "610102": "029",
    "620102": "0931", "630102": "0971", "640104": "0951", "650102": "0991", "210102": "024", "210202": "0411",
    "220102": "0431", "230102": "0451",
}


class IdFactory:
    """Unique, valid identifiers and contacts drawn from one seeded Random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._ids: set[str] = set()
        self._usccs: set[str] = set()
        self._phones: set[str] = set()
        self._emails: set[str] = set()
        self._names: set[str] = set()
        self._name_list: list[str] = []
        self._cert = 0

    def person_id(self, region_code: str, birth: date, male: bool) -> str:
        """A new valid 18-digit ID number (odd sequence digit for men).

        The division code must have existed in the birth year (stdnum checks it), so a code of the
        same province valid that year replaces `region_code` when needed.
        """
        region_code = birth_code(region_code, birth.year, self.rng)
        while True:
            seq = self.rng.randrange(0, 100) * 10 + self.rng.randrange(1 if male else 0, 10, 2)
            body = f"{region_code}{birth:%Y%m%d}{seq:03d}"
            pid = body + ric_check_digit(body)
            if pid not in self._ids:
                self._ids.add(pid)
                return pid

    def uscc(self, region_code: str, kind: str) -> str:
        """A new valid USCC; kind 企业 -> 91, 事业单位/高校 -> 12, 机关 -> 11, else 52."""
        head = {"企业": "91", "事业单位": "12", "高校": "12", "机关": "11"}.get(kind, "52")
        alphabet = _USCC_ALPHABET
        while True:
            first8 = "".join(self.rng.choice(alphabet[:10] if i < 2 else alphabet) for i in range(8))
            org = first8 + org_code_check(first8)
            body = head + region_code + org
            code = body + uscc_check_char(body)
            if code not in self._usccs:
                self._usccs.add(code)
                return code

    def mobile(self) -> str:
        """A new unique 11-digit mobile number."""
        while True:
            phone = self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def landline(self, region_code: str) -> str:
        """A new unique landline such as 0571-87654321 (area code derived from the division code)."""
        area = AREA_CODES.get(region_code, "010")
        while True:
            number = f"{area}-{self.rng.randrange(2 * 10**7, 9 * 10**7):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def email(self, local_hint: str, domain: str | None = None) -> str:
        """A new unique e-mail address."""
        while True:
            local = f"{local_hint}{self.rng.randrange(100, 100000)}"
            mail = f"{local}@{domain or self.rng.choice(_MAIL_DOMAINS)}"
            if mail.lower() not in self._emails:
                self._emails.add(mail.lower())
                return mail

    def name(self) -> str:
        """A new person name not used before (namesakes are made on purpose, elsewhere)."""
        rng = self.rng
        while True:
            # Surnames are Zipf-like: the first ones are much more common.
            surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
            given = rng.choice(GIVEN_CHARS)
            if rng.random() < 0.75:
                given += rng.choice(GIVEN_CHARS)
            full = surname + given
            if full not in self._names:
                self._names.add(full)
                self._name_list.append(full)
                return full

    def existing_name(self) -> str:
        """A name that some earlier person already has (for 同名同姓)."""
        return self.rng.choice(self._name_list)

    def cert_no(self, year: int) -> str:
        """A registered-planner certificate number (注册城乡规划师注册证书编号)."""
        self._cert += 1
        return f"ZC{year}{self._cert:07d}"
