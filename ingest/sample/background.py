"""The clean background population: units that meet their grade's bar, people whose employment,
registration and insurance agree, rare moves with insurance following, unique contacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ingest.sample import names as N
from ingest.sample.world import RESPONSIBLE, Person, Unit, World, add_months


@dataclass(frozen=True)
class Scale:
    grade_a: int
    grade_b: int
    ungraded: int
    universities: int
    univ_firms_a: int
    univ_firms_b: int
    government: int
    staff_a: tuple[int, int]
    staff_b: tuple[int, int]
    staff_none: tuple[int, int]
    staff_univ: tuple[int, int]
    staff_gov: tuple[int, int]
    moves: tuple[float, float]  # P(1 earlier employment), P(2 earlier employments)
    projects_per_staff: float
    members: tuple[int, int]
    experts_per_specialty: int
    reg_factor: float = 1.0  # scales the share of registered planners (national: about 25 %)


SCALES = {
    "small": Scale(12, 18, 14, 4, 2, 1, 4, (43, 50), (22, 27), (5, 12), (8, 12), (4, 7), (0.06, 0.01), 0.35,
                   (3, 6), 4),
    # About 70k rows (a province's worth): sized for benchmarks between small and national.
    "regional": Scale(14, 52, 36, 4, 2, 2, 8, (42, 136), (22, 64), (5, 50), (20, 60), (5, 15),
                      (0.40, 0.38), 1.5, (3, 7), 4, 0.72),
    "national": Scale(560, 2330, 1620, 80, 40, 40, 330, (42, 136), (22, 64), (5, 50), (20, 60), (5, 15),
                      (0.40, 0.38), 1.5, (3, 7), 140, 0.72),
}
SPEC_IDS = sorted(N.SPECIALTIES)
PLANNING_TYPES = ("企业", "事业单位")
FIRST_START = date(2003, 1, 1)
LAST_START = date(2025, 6, 1)


def rand_month(w: World, lo: date, hi: date) -> date:
    """A first-of-month date in [lo, hi]."""
    span = (hi.year - lo.year) * 12 + hi.month - lo.month
    return add_months(date(lo.year, lo.month, 1), w.rng.randrange(max(span, 0) + 1))


def rand_day(w: World, lo: date, hi: date) -> date:
    return lo + timedelta(days=w.rng.randrange(max((hi - lo).days, 0) + 1))


def build_units(w: World, sc: Scale) -> dict[str, list[Unit]]:
    """Background units by kind: 'a', 'b', 'none', 'univ', 'gov' (university firms are in 'a'/'b')."""
    kinds: dict[str, list[Unit]] = {"a": [], "b": [], "none": [], "univ": [], "gov": []}
    for i in range(sc.universities):
        if i < len(N.UNIVERSITIES):
            name, prov, city, _short = N.UNIVERSITIES[i]
        else:
            prov = w.pick_province()
            city, _ = w.pick_city(prov)
            name = f"{city.removesuffix('市')}{['理工', '建筑', '工程', '科技', '城建', '交通'][i % 6]}{'大学' if i % 2 else '学院'}"
            if name in w.unit_names:
                name = f"{name}{i}"
        kinds["univ"].append(w.new_unit("高校", "无", prov, name=name, city=city))
    for i in range(sc.univ_firms_a + sc.univ_firms_b):
        uni = kinds["univ"][i % len(kinds["univ"])]
        short = N.UNIVERSITIES[i % len(N.UNIVERSITIES)][3] if i < len(N.UNIVERSITIES) else uni.name[:4]
        grade = "甲级" if i < sc.univ_firms_a else "乙级"
        name = f"{short}城市规划设计研究院有限公司" if i < len(N.UNIVERSITIES) else f"{uni.name}规划设计研究院{i}有限公司"
        if name in w.unit_names:
            name = f"{uni.name}{grade}规划设计研究院{i}有限公司"
        unit = w.new_unit("企业", grade, uni.province, name=name, city=uni.city, parent=uni.unit_id)
        kinds["a" if grade == "甲级" else "b"].append(unit)
    for _ in range(sc.grade_a - sc.univ_firms_a):
        kinds["a"].append(w.new_unit(w.rng.choice(["企业", "企业", "事业单位"]), "甲级"))
    for _ in range(sc.grade_b - sc.univ_firms_b):
        kinds["b"].append(w.new_unit(w.rng.choice(["企业", "企业", "企业", "事业单位"]), "乙级"))
    for _ in range(sc.ungraded):
        kinds["none"].append(w.new_unit("企业", "无"))
    for _ in range(sc.government):
        kinds["gov"].append(w.new_unit("机关", "无"))
    return kinds


def build_staff(w: World, sc: Scale, kinds: dict[str, list[Unit]]) -> None:
    """Current staff of every background unit, with clean histories (see module docstring)."""
    rng = w.rng
    planning = kinds["a"] + kinds["b"] + kinds["none"]
    past_pool = [u for u in planning]
    plan: list[tuple[Unit, int, int, str]] = []  # unit, staff, registered, kind
    for kind, units in kinds.items():
        for unit in units:
            if kind == "a":
                n = rng.randint(*sc.staff_a)
                reg = max(12, round(n * rng.uniform(0.25, 0.32) * sc.reg_factor))
            elif kind == "b":
                n = rng.randint(*sc.staff_b)
                reg = max(6, round(n * rng.uniform(0.22, 0.3) * sc.reg_factor))
            elif kind == "none":
                n = rng.randint(*sc.staff_none)
                reg = round(n * 0.15 * sc.reg_factor)
            elif kind == "univ":
                n, reg = rng.randint(*sc.staff_univ), 0
            else:
                n, reg = rng.randint(*sc.staff_gov), 0
            plan.append((unit, n, reg, kind))
    rng.shuffle(plan)
    # Experts: a fixed number per specialty, on random slots of planning staff.
    slots = [(i, j) for i, (_u, n, _r, kind) in enumerate(plan) if kind in ("a", "b", "none", "univ") for j in range(n)]
    n_experts = sc.experts_per_specialty * len(SPEC_IDS) + len(SPEC_IDS)
    chosen = rng.sample(slots, n_experts)
    expert_slot = {slot: SPEC_IDS[k % len(SPEC_IDS)] for k, slot in enumerate(chosen)}
    spec_count: dict[str, int] = {}
    p1, p2 = sc.moves
    for i, (unit, n, n_reg, kind) in enumerate(plan):
        for j in range(n):
            spec = expert_slot.get((i, j))
            registered = j < n_reg
            years = (1962, 1985) if spec else (1962, 1999)
            if kind == "gov":
                person = w.new_person(unit.province, years, namesake=rng.random() < 0.03, civil_servant=True,
                                      bio=f"从事国土空间规划管理工作，{rng.choice(N.GENERIC_BIO)}。")
            elif spec:
                sp = N.SPECIALTIES[spec]
                title = rng.choice(["正高级工程师", "高级工程师"])
                b1, b2 = rng.sample(sp["bio"], 2)
                person = w.new_person(unit.province, years, namesake=rng.random() < 0.03, title=title,
                                      bio=f"{title}，{b1}；{b2}，在{sp['fields'][0]}领域经验丰富。")
            else:
                phone = None
                if rng.random() < 0.012:
                    phone = rng.choice(["无", "-", "00000000000"])
                person = w.new_person(unit.province, years, namesake=rng.random() < 0.03, phone=phone)
            earliest = date(person.birth.year + 23, person.birth.month, 1)
            start = rand_month(w, max(earliest, FIRST_START), LAST_START)
            segments: list[tuple[Unit, date, date | None]] = [(unit, start, None)]
            if kind in ("a", "b", "none") and not spec:
                r = rng.random()
                k = 2 if r < p2 else 1 if r < p1 + p2 else 0
                for _ in range(k):
                    first_unit, first_start = segments[0][0], segments[0][1]
                    lo = max(earliest, date(1995, 1, 1))
                    hi = add_months(first_start, -14)
                    if hi <= lo:
                        break
                    prev_start = rand_month(w, lo, hi)
                    for _try in range(6):
                        prev = rng.choice(past_pool)
                        used = {s[0].unit_id for s in segments}
                        if prev.unit_id not in used and w.move_pairs[(prev.unit_id, first_unit.unit_id)] < 2:
                            break
                    else:
                        break
                    segments.insert(0, (prev, prev_start, first_start - timedelta(days=1)))
            reg_from = None
            if registered:
                reg_from = rand_day(w, max(segments[0][1], date(2008, 1, 1)), min(add_months(start, 36), date(2025, 12, 31)))
            w.career(person, segments, registered_from=reg_from)
            unit.staff.append((person.person_id, start, registered))
            if spec:
                status = "在库"
                spec_count[spec] = spec_count.get(spec, 0) + 1
                if spec_count[spec] > sc.experts_per_specialty:
                    status = rng.choice(["暂停", "出库"])
                level = rng.choices(["国家级", "省级", "市级"], weights=[1, 5, 4])[0]
                w.expert(person, spec, level, status, rand_day(w, date(2015, 1, 1), date(2025, 12, 31)))
                person.expert_specialty = spec
                w.expert_people[person.person_id] = (person, unit, spec, start)


def build_projects(w: World, sc: Scale, kinds: dict[str, list[Unit]]) -> None:
    """Projects led by planning units; responsible members are employed at the lead unit on the start date."""
    rng = w.rng
    planning = kinds["a"] + kinds["b"] + kinds["none"]
    lo, hi = date(2016, 1, 1), date(2026, 5, 31)
    for unit in planning:
        staff = [s for s in unit.staff if s[0] not in w.experts_by_person]
        n_proj = round(len(unit.staff) * sc.projects_per_staff * rng.uniform(0.7, 1.3))
        for _ in range(n_proj):
            start = rand_day(w, lo, hi)
            eligible = [s for s in staff if s[1] <= start - timedelta(days=30)]
            if len(eligible) < 2:
                continue
            spec = rng.choice(SPEC_IDS)
            pid, _name = w.project(unit, start, spec)
            k = min(len(eligible), rng.randint(*sc.members))
            chosen = rng.sample(eligible, k)
            chosen.sort(key=lambda s: not s[2])  # registered planners lead
            ids = []
            for idx, (person_id, _s, _r) in enumerate(chosen):
                role = RESPONSIBLE[idx] if idx < 2 else rng.choice(["主要编制人员", "参与人员"])
                w.member(pid, person_id, unit, role)
                ids.append(person_id)
            if rng.random() < 0.08:  # a partner unit's staff member, signing for their own unit
                partner = rng.choice(planning)
                cands = [s for s in partner.staff if s[1] <= start and s[0] not in w.experts_by_person and s[0] not in ids]
                if partner is not unit and cands:
                    w.member(pid, rng.choice(cands)[0], partner, rng.choice(["主要编制人员", "参与人员", "技术负责人"]))
            end_year = start.year + 1
            if end_year <= 2025 and rng.random() < 0.06:
                w.award(pid, unit, end_year, ids[:2])
    # Experts lead consistent projects in their specialty (the signal for recommendation).
    for person, unit, spec, start in w.expert_people.values():
        if unit.unit_type == "高校":
            continue
        staff = [s for s in unit.staff if s[0] not in w.experts_by_person]
        for _ in range(rng.randint(2, 4)):
            pstart = rand_day(w, max(start + timedelta(days=60), lo), hi)
            level = rng.choice(["省级", "市级", "县级"])
            pid, _ = w.project(unit, pstart, spec, level=level)
            w.member(pid, person.person_id, unit, "项目负责人")
            eligible = [s for s in staff if s[1] <= pstart - timedelta(days=30)]
            for idx, (person_id, _s, _r) in enumerate(rng.sample(eligible, min(len(eligible), rng.randint(2, 4)))):
                w.member(pid, person_id, unit, "技术负责人" if idx == 0 else "主要编制人员")
            if rng.random() < 0.25 and pstart.year + 1 <= 2025:
                w.award(pid, unit, pstart.year + 1, [person.person_id])


def build_applications(w: World, kinds: dict[str, list[Unit]]) -> None:
    """Qualification applications declaring long-standing staff (employed well before submission)."""
    rng = w.rng
    for unit in kinds["a"] + kinds["b"]:
        if rng.random() < 0.5:
            continue
        submitted = rand_day(w, date(2023, 1, 1), date(2025, 10, 31))
        result = rng.choices(["批准", "不批准", "撤回"], weights=[8, 1, 1])[0]
        decided = None if result == "撤回" else submitted + timedelta(days=rng.randrange(30, 120))
        staff = [s for s in unit.staff if s[1] <= submitted - timedelta(days=400)]
        staff = staff[:45]
        w.application(unit, unit.grade, submitted, decided, result,
                      [(pid, "注册城乡规划师" if reg else "技术人员") for pid, _s, reg in staff])


def build_misc(w: World, kinds: dict[str, list[Unit]]) -> None:
    """Violations (units and persons, never experts) and a few background reorganizations (renames)."""
    rng = w.rng
    planning = kinds["a"] + kinds["b"] + kinds["none"]
    for unit in planning:
        if rng.random() < 0.06:
            w.violation("单位", unit.unit_id, unit.province, rand_day(w, date(2020, 1, 1), date(2026, 5, 31)))
        for pid, _s, _r in unit.staff:
            if pid not in w.experts_by_person and rng.random() < 0.004:
                w.violation("个人", pid, unit.province, rand_day(w, date(2020, 1, 1), date(2026, 5, 31)))
    # At least one violation of each subject type, whatever the dice said.
    w.violation("单位", planning[-1].unit_id, planning[-1].province, date(2025, 4, 18))
    pid = next(pid for pid, _s, _r in planning[-1].staff if pid not in w.experts_by_person)
    w.violation("个人", pid, planning[-1].province, date(2024, 11, 5))
    n_reorg = max(2, len(planning) // 30)
    for _ in range(n_reorg):
        a, b = rng.sample(kinds["none"], 2)
        if w.move_pairs[(a.unit_id, b.unit_id)] == 0:
            w.reorganization(a, b, rand_day(w, date(2019, 1, 1), date(2025, 12, 31)), rng.choice(["更名", "划转"]))


def build_background(w: World, scale: str) -> dict[str, list[Unit]]:
    """All background data; returns the units by kind for planting."""
    sc = SCALES[scale]
    kinds = build_units(w, sc)
    build_staff(w, sc, kinds)
    build_projects(w, sc, kinds)
    build_applications(w, kinds)
    build_misc(w, kinds)
    return kinds


__all__ = ["SCALES", "Person", "build_background"]
