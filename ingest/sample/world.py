"""The sample world: CSV sinks, record primitives and the clean background population."""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from ingest.sample import names as N
from ingest.sample.ids import IdFactory

HEADERS: dict[str, list[str]] = {
    "units": ["unit_id", "name", "province", "city", "unit_type", "grade", "cert_no", "cert_valid_until", "legal_rep",
              "phone", "email", "address", "parent_unit_id"],
    "persons": ["person_id", "name", "gender", "birth_date", "education", "school", "major", "title", "phone", "email",
                "civil_servant", "retired", "bio"],
    "registrations": ["cert_no", "person_id", "unit_id", "valid_from", "valid_to"],
    "employments": ["person_id", "unit_id", "start_date", "end_date", "position"],
    "social_insurance": ["person_id", "unit_id", "payer_name", "payer_type", "province", "start_month", "end_month"],
    "experts": ["expert_id", "person_id", "level", "fields", "appointed", "status"],
    "projects": ["project_id", "name", "level", "plan_type", "province", "city", "county", "lead_unit_id", "start_date",
                 "end_date", "status", "description"],
    "project_members": ["project_id", "person_id", "unit_id", "role"],
    "applications": ["application_id", "unit_id", "grade", "submitted", "decided", "result"],
    "application_staff": ["application_id", "person_id", "role"],
    "awards": ["award_id", "name", "level", "year", "project_id", "unit_id", "person_ids"],
    "violations": ["violation_id", "subject_type", "subject_id", "category", "severity", "decided", "authority",
                   "penalty", "points", "description"],
    "reorganizations": ["from_unit_id", "to_unit_id", "date", "kind"],
}
RESPONSIBLE = ("项目负责人", "技术负责人")


def month_str(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def ds(d: date | None) -> str:
    return d.isoformat() if d else ""


def add_months(d: date, n: int) -> date:
    """First day of the month n months after d's month."""
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


def month_end(d: date) -> date:
    return add_months(d, 1) - timedelta(days=1)


class Sink:
    """One streaming CSV writer per input file (UTF-8, exact English headers) with row counts."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, csv.writer] = {}  # type: ignore[valid-type]
        self.counts: Counter[str] = Counter()
        for name, header in HEADERS.items():
            fh = open(out / f"{name}.csv", "w", encoding="utf-8", newline="")
            self._files[name] = fh
            self._writers[name] = csv.writer(fh, lineterminator="\n")
            self._writers[name].writerow(header)  # type: ignore[attr-defined]

    def emit(self, name: str, row: list[object]) -> None:
        self._writers[name].writerow(row)  # type: ignore[attr-defined]
        self.counts[name] += 1

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()


@dataclass
class Unit:
    unit_id: str
    name: str
    province: str
    city: str
    code: str
    unit_type: str
    grade: str
    parent: str | None = None
    external: bool = False
    staff: list[tuple[str, date, bool]] = field(default_factory=list)  # (person_id, start, registered)


@dataclass
class Person:
    person_id: str
    name: str
    province: str
    birth: date
    registered_cert: str | None = None
    expert_specialty: str | None = None


class World:
    """Primitives that write consistent records; the background population; bookkeeping for planting."""

    def __init__(self, out: Path, seed: int, scale: str, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.ids = IdFactory(self.rng)
        self.sink = Sink(out)
        self.scale = scale
        self.as_of = as_of
        self.units: dict[str, Unit] = {}
        self.unit_names: set[str] = set()
        self.legal_reps: set[str] = set()
        self.move_pairs: Counter[tuple[str, str]] = Counter()
        self.persons_written = 0
        self.namesake_pairs: list[tuple[str, str]] = []
        self._name_owner: dict[str, str] = {}
        self._person_names: list[str] = []
        self.person_names: dict[str, str] = {}
        self.placeholder_phones: dict[str, list[str]] = {}
        self.reorg_pairs: set[tuple[str, str]] = set()
        self._project_seq = 0
        self._app_seq = 0
        self._award_seq = 0
        self._violation_seq = 0
        self.expert_ids: dict[str, list[tuple[str, str]]] = {}  # specialty -> [(expert_id, status)]
        self._expert_seq = 0
        self.experts_by_person: dict[str, str] = {}
        self.old_experts: set[str] = set()
        self.expert_people: dict[str, tuple[Person, Unit, str, date]] = {}

    # ----------------------------------------------------------------- places and units
    def pick_province(self) -> str:
        regions = list(N.REGION_WEIGHTS)
        region = self.rng.choices(regions, weights=[N.REGION_WEIGHTS[r] for r in regions])[0]
        provs = [p for p, d in N.PROVINCES.items() if d["region"] == region]
        return self.rng.choices(provs, weights=[N.PROVINCE_WEIGHTS[p] for p in provs])[0]

    def pick_city(self, province: str) -> tuple[str, str]:
        cities = N.PROVINCES[province]["cities"]
        city = self.rng.choice(sorted(cities))
        return city, cities[city][0]

    def county(self, province: str, city: str) -> str:
        return self.rng.choice(N.PROVINCES[province]["cities"][city][1])

    def unique_rep(self) -> str:
        """A legal representative's name used by no other unit (shared names would link units, LK3)."""
        while True:
            name = self.ids.name()
            if name not in self.legal_reps:
                self.legal_reps.add(name)
                return name

    def new_unit(self, unit_type: str, grade: str, province: str | None = None, name: str | None = None,
                 parent: str | None = None, phone: str | None = None, email: str | None = None,
                 legal_rep: str | None = None, city: str | None = None) -> Unit:
        """Write one units.csv row (unique contacts and legal_rep unless given) and return the unit."""
        rng = self.rng
        province = province or self.pick_province()
        if city is None:
            city, code = self.pick_city(province)
        else:
            code = N.PROVINCES[province]["cities"][city][0]
        if name is None:
            short = city.removesuffix("市")
            while True:
                if unit_type == "机关":
                    name = f"{short}{rng.choice(['自然资源和规划局', '自然资源局', '住房和城乡建设局', '规划和自然资源局'])}"
                    if name in self.unit_names:
                        name = f"{short}{self.county(province, city)}{rng.choice(['自然资源局', '规划分局'])}"
                else:
                    name = f"{short}{rng.choice(N.FIRM_WORDS)}{rng.choice(N.UNIT_PREFIXES)}"
                    name += "有限公司" if unit_type == "企业" else ""
                if name not in self.unit_names:
                    break
                if rng.random() < 0.3:
                    name = f"{name.removesuffix('有限公司')}{rng.choice(['第二', '第三', '华东', '西部'])}分院"
                    if name not in self.unit_names:
                        break
        self.unit_names.add(name)
        uid = self.ids.uscc(code, unit_type)
        unit = Unit(uid, name, province, city, code, unit_type, grade, parent)
        self.units[uid] = unit
        cert = ""
        valid = ""
        if grade in ("甲级", "乙级"):
            cert = f"{'自资规' if rng.random() < 0.5 else '建规'}{grade[0]}字{rng.randrange(10**7, 10**8)}"
            valid = ds(date(2027 + rng.randrange(3), rng.randrange(1, 13), 28))
        email_dom = f"{rng.choice(['ghy', 'plan', 'gtgh', 'urban', 'design'])}{rng.randrange(1000, 99999)}.com.cn"
        self.sink.emit("units", [
            uid, name, province, city, unit_type, grade, cert, valid,
            legal_rep if legal_rep is not None else self.unique_rep(),
            phone if phone is not None else self.ids.landline(code),
            email if email is not None else self.ids.email("office", email_dom),
            f"{province}{city}{self.county(province, city)}{rng.choice(['人民路', '建设路', '中山路', '解放路', '文化路'])}{rng.randrange(1, 300)}号",
            parent or "",
        ])
        return unit

    def external_org(self, name: str, unit_type: str = "企业", province: str | None = None) -> Unit:
        """An insurance payer / employer that is not in units.csv (kept as an Org by ingest)."""
        province = province or self.pick_province()
        city, code = self.pick_city(province)
        uid = self.ids.uscc(code, unit_type)
        unit = Unit(uid, name, province, city, code, unit_type, "无", external=True)
        self.units[uid] = unit
        return unit

    # ----------------------------------------------------------------- persons and records
    def new_person(self, province: str, birth_years: tuple[int, int] = (1965, 1998), *, name: str | None = None,
                   namesake: bool = False, title: str | None = None, phone: str | None = None,
                   email: str | None = None, civil_servant: bool = False, retired: bool = False,
                   bio: str | None = None, specialty: str | None = None, birth: date | None = None) -> Person:
        """Write one persons.csv row; contacts are unique unless given."""
        rng = self.rng
        if birth is None:
            birth = date(rng.randint(*birth_years), rng.randint(1, 12), rng.randint(1, 28))
        male = rng.random() < 0.58
        city, code = self.pick_city(province)
        pid = self.ids.person_id(code, birth, male)
        if name is None:
            if namesake:
                name = self.rng.choice(self._person_names)
                self.namesake_pairs.append((self._name_owner[name], pid))
            else:
                name = self.ids.name()
                self._name_owner[name] = pid
                self._person_names.append(name)
        age = self.as_of.year - birth.year
        if title is None:
            seniority = min(3, max(0, (age - 24) // 8 + (1 if rng.random() < 0.3 else 0) - 1))
            title = N.TITLES_BY_SENIORITY[seniority]
        education = rng.choice(N.EDUCATIONS) if age > 30 else rng.choice(N.EDUCATIONS[1:])
        if bio is None:
            spec = specialty or rng.choice(sorted(N.SPECIALTIES))
            sp = N.SPECIALTIES[spec]
            bio = f"{education}学历，{title}。{rng.choice(sp['bio'])}，{rng.choice(N.GENERIC_BIO)}。"
        if phone is None:
            phone = self.ids.mobile()
            if rng.random() < 0.05:
                phone = f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}"
        if email is None:
            email = self.ids.email(rng.choice(["gh", "plan", "zhang", "li", "wang", "urban", "gis", "design"])) \
                if rng.random() < 0.8 else ""
        self.sink.emit("persons", [
            pid, name, "男" if male else "女", ds(birth), education, rng.choice(N.SCHOOLS), rng.choice(N.MAJORS), title,
            phone, email, "是" if civil_servant else "否", "是" if retired else "否", bio,
        ])
        self.persons_written += 1
        if phone in ("无", "-", "00000000000"):
            self.placeholder_phones.setdefault(phone, []).append(pid)
        self.person_names[pid] = name
        return Person(pid, name, province, birth)

    def employ(self, pid: str, unit: Unit, start: date, end: date | None, position: str | None = None) -> None:
        self.sink.emit("employments", [pid, unit.unit_id, ds(start), ds(end), position or self.rng.choice(N.POSITIONS)])

    def insure(self, pid: str, payer: Unit, start: date, end: date | None, split: bool = True) -> None:
        """Insurance by `payer` over the months of [start, end]; sometimes split in two contiguous periods."""
        first = date(start.year, start.month, 1)
        last = date(end.year, end.month, 1) if end else None
        stop = last or date(self.as_of.year, self.as_of.month, 1)
        n = (stop.year - first.year) * 12 + stop.month - first.month
        p_split = 0.55 if self.scale == "national" else 0.2
        if split and n >= 6 and self.rng.random() < p_split:
            cut = add_months(first, self.rng.randrange(2, n - 1))
            self._ins_row(pid, payer, first, add_months(cut, -1))
            first = cut
        self._ins_row(pid, payer, first, last)

    def _ins_row(self, pid: str, payer: Unit, first: date, last: date | None) -> None:
        ptype = "事业单位" if payer.unit_type == "高校" else payer.unit_type
        self.sink.emit("social_insurance", [pid, payer.unit_id, payer.name, ptype, payer.province, month_str(first),
                                            month_str(last) if last else ""])

    def register(self, person: Person, unit: Unit, start: date, end: date | None) -> None:
        if person.registered_cert is None:
            person.registered_cert = self.ids.cert_no(start.year)
        self.sink.emit("registrations", [person.registered_cert, person.person_id, unit.unit_id, ds(start), ds(end)])

    def payer_of(self, unit: Unit) -> Unit:
        """Who pays the insurance of a unit's staff: the owning university for its firm, else the unit."""
        return self.units[unit.parent] if unit.parent else unit

    def career(self, person: Person, segments: list[tuple[Unit, date, date | None]], registered_from: date | None = None,
               insured: bool = True) -> None:
        """Clean history: employment, insurance (payer = unit or its parent) and, from `registered_from`,
        registration, all at the same unit for each segment."""
        for unit, start, end in segments:
            self.employ(person.person_id, unit, start, end)
            if insured:
                self.insure(person.person_id, self.payer_of(unit), start, end)
            if registered_from is not None and (end is None or end >= registered_from):
                self.register(person, unit, max(start, registered_from), end)
        for (a, _s, _e), (b, _s2, _e2) in zip(segments, segments[1:], strict=False):
            self.move_pairs[(a.unit_id, b.unit_id)] += 1

    # ----------------------------------------------------------------- projects etc.
    def project_id(self, year: int) -> str:
        self._project_seq += 1
        return f"XM{year}{self._project_seq:07d}"

    def project(self, lead: Unit, start: date, specialty: str, level: str | None = None) -> tuple[str, str]:
        """Write a projects.csv row about `specialty`; returns (project_id, name)."""
        rng = self.rng
        sp = N.SPECIALTIES[specialty]
        level = level or rng.choices(["省级", "市级", "县级", "乡镇级"], weights=[1, 4, 6, 3])[0]
        province = lead.province if rng.random() < 0.85 else self.pick_province()
        city, _ = self.pick_city(province)
        county = self.county(province, city)
        place = {"省级": province, "市级": city, "县级": county}.get(level) or f"{county}{rng.choice(['城关镇', '新华镇', '桥头镇', '石门乡', '清溪镇'])}"
        name = rng.choice(sp["projects"]).format(place=place)
        if specialty == "village_plan" and level != "乡镇级":
            name = name.replace(place, f"{place}{rng.choice(['东山村', '南塘村', '柳湾村', '河口村'])}")
        end = start + timedelta(days=rng.randrange(180, 900))
        status = "已完成" if end < self.as_of else rng.choice(["在编", "评审中"])
        pid = self.project_id(start.year)
        desc = (f"本项目为{level}{sp['plan_type']}，围绕{rng.choice(sp['fields'])}开展编制，"
                f"{rng.choice(sp['bio']).replace('长期', '').replace('主持', '涉及')}，成果包括文本、图集和数据库。")
        self.sink.emit("projects", [pid, name, level, sp["plan_type"], province, city, county, lead.unit_id, ds(start),
                                    ds(end if status == "已完成" else None), status, desc])
        return pid, name

    def member(self, project_id: str, pid: str, unit: Unit, role: str) -> None:
        self.sink.emit("project_members", [project_id, pid, unit.unit_id, role])

    def award(self, project_id: str, unit: Unit, year: int, person_ids: list[str]) -> None:
        self._award_seq += 1
        name, level = self.rng.choice(N.AWARD_NAMES)
        self.sink.emit("awards", [f"JX{year}{self._award_seq:05d}", name, self.rng.choice(N.AWARD_LEVELS), year,
                                  project_id, unit.unit_id, ";".join(person_ids)])

    def violation(self, subject_type: str, subject_id: str, province: str, decided: date) -> None:
        self._violation_seq += 1
        cat, sev = self.rng.choice(N.VIOLATION_CATS)
        points = {"轻微": 2, "一般": 5, "严重": 10}[sev]
        self.sink.emit("violations", [
            f"CF{decided.year}{self._violation_seq:05d}", subject_type, subject_id, cat, sev, ds(decided),
            f"{province}自然资源厅", N.PENALTIES[sev], points, f"经核查，存在{cat}问题，依法予以处理。"])

    def application(self, unit: Unit, grade: str, submitted: date, decided: date | None, result: str,
                    staff: list[tuple[str, str]]) -> str:
        self._app_seq += 1
        aid = f"SQ{submitted.year}{self._app_seq:05d}"
        self.sink.emit("applications", [aid, unit.unit_id, grade, ds(submitted), ds(decided), result])
        for pid, role in staff:
            self.sink.emit("application_staff", [aid, pid, role])
        return aid

    def expert(self, person: Person, specialty: str, level: str, status: str, appointed: date) -> str:
        self._expert_seq += 1
        eid = f"ZJ{self._expert_seq:05d}"
        fields = N.SPECIALTIES[specialty]["fields"]
        self.sink.emit("experts", [eid, person.person_id, level, ";".join(fields), ds(appointed), status])
        self.expert_ids.setdefault(specialty, []).append((eid, status))
        self.experts_by_person[person.person_id] = eid
        return eid

    def reorganization(self, a: Unit, b: Unit, when: date, kind: str) -> None:
        self.reorg_pairs.add((a.unit_id, b.unit_id))
        self.sink.emit("reorganizations", [a.unit_id, b.unit_id, ds(when), kind])
