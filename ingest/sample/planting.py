"""Planted cases: several positives of every rule and hard negatives right at each boundary.

Every planted person is new (clean apart from the planted pattern); every planted move uses a unit pair
no one else moved between, so one case cannot leak into another rule unless recorded here."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ingest.sample.names import SPECIALTIES
from ingest.sample.world import Person, Unit, World, add_months

D = date.fromisoformat


class Planter:
    """Plants the cases and records ground truth and hard negatives."""

    def __init__(self, w: World, kinds: dict[str, list[Unit]]) -> None:
        self.w = w
        self.rng: random.Random = w.rng
        self.kinds = kinds
        self.pool = kinds["a"] + kinds["b"] + kinds["none"]
        self.truth: list[dict] = []
        self.negatives: list[dict] = []

    # ------------------------------------------------------------------ bookkeeping
    @staticmethod
    def _line(rule: str, persons: list[str], units: list[str], project: str | None, app: str | None) -> dict:
        if rule in ("CL2", "CL5", "LK2", "LK3"):
            units = sorted(units)
        if rule == "LK1":
            persons = sorted(persons)
        return {"rule": rule, "person_ids": persons, "unit_ids": units, "project_id": project, "application_id": app}

    def pos(self, rule: str, persons: list[str] | None = None, units: list[str] | None = None,
            project: str | None = None, app: str | None = None, note: str = "") -> None:
        self.truth.append(self._line(rule, persons or [], units or [], project, app) | {"note": note})

    def neg(self, rule: str, why: str, persons: list[str] | None = None, units: list[str] | None = None,
            project: str | None = None, app: str | None = None, note: str = "") -> None:
        self.negatives.append(self._line(rule, persons or [], units or [], project, app) | {"note": note, "why_not": why})

    # ------------------------------------------------------------------ helpers
    def unit(self, exclude: tuple[Unit, ...] = ()) -> Unit:
        while True:
            u = self.rng.choice(self.pool)
            if u not in exclude:
                return u

    def fresh_units(self, n: int) -> list[Unit]:
        """n distinct planning units with no move between any two of them so far."""
        while True:
            units = self.rng.sample(self.pool, n)
            ids = [u.unit_id for u in units]
            if all(self.w.move_pairs[(a, b)] == 0 and (a, b) not in self.w.reorg_pairs
                   for a in ids for b in ids if a != b):
                return units

    def person(self, unit: Unit | None = None, **kw: object) -> Person:
        province = unit.province if unit else self.w.pick_province()
        return self.w.new_person(province, (1966, 1988), **kw)  # type: ignore[arg-type]

    def clean(self, segments: list[tuple[Unit, date, date | None]], registered_from: date | None = None,
              **kw: object) -> Person:
        """A new person with a clean history over `segments`."""
        p = self.person(segments[-1][0], **kw)
        self.w.career(p, segments, registered_from=registered_from)
        return p

    def long_staff(self, unit: Unit, before: date, n: int) -> list[str]:
        """Up to n current staff employed since `before` (experts left out: their projects stay on topic)."""
        return [pid for pid, start, _r in unit.staff if start <= before and pid not in self.w.experts_by_person][:n]

    def small_unit(self, grade: str = "无", **kw: object) -> Unit:
        """A new ungraded unit with three clean staff (for contact/ring cases)."""
        unit = self.w.new_unit("企业", grade, **kw)  # type: ignore[arg-type]
        for _ in range(3):
            start = add_months(D("2012-01-01"), self.rng.randrange(120))
            p = self.clean([(unit, start, None)])
            unit.staff.append((p.person_id, start, False))
        return unit

    # ------------------------------------------------------------------ CL1
    def cl1(self) -> None:
        w = self.w
        u = self.unit()
        p = self.person(u)
        w.employ(p.person_id, u, D("2019-03-01"), None)
        w.register(p, u, D("2019-03-01"), None)
        w.insure(p.person_id, w.payer_of(u), D("2019-08-01"), None, split=False)
        self.pos("CL1", [p.person_id], [u.unit_id], note="insurance started 5 months after registration")

        u = self.unit()
        agency = w.external_org(f"{u.city.removesuffix('市')}众诚人力资源服务有限公司", province=u.province)
        p = self.person(u)
        w.register(p, u, D("2021-05-10"), None)
        w.insure(p.person_id, agency, D("2018-01-01"), None, split=False)
        self.pos("CL1", [p.person_id], [u.unit_id], note="registered without employment, insured by an agency")

        u = self.unit()
        agency = w.external_org(f"{u.city.removesuffix('市')}博才劳务派遣有限公司", province=u.province)
        p = self.person(u)
        w.employ(p.person_id, u, D("2017-06-01"), None)
        w.register(p, u, D("2018-01-01"), None)
        w.insure(p.person_id, agency, D("2017-06-01"), None)
        self.pos("CL1", [p.person_id], [u.unit_id], note="registration unit differs from insurance payer")

        u = self.unit()
        p = self.person(u)
        w.employ(p.person_id, u, D("2020-01-01"), None)
        w.register(p, u, D("2020-01-01"), None)
        self.pos("CL1", [p.person_id], [u.unit_id], note="no insurance at all, not retired")

        u, x = self.fresh_units(2)
        p = self.clean([(x, D("2015-01-01"), None)])
        w.register(p, u, D("2022-01-01"), None)
        self.pos("CL1", [p.person_id], [u.unit_id], note="classic 挂证: works and insured at another unit")
        self.pos("CL2", [p.person_id], [u.unit_id, x.unit_id], note="registration at u overlaps employment at x")

        # Hard negatives.
        a, b = self.fresh_units(2)
        p = self.person(b)
        w.employ(p.person_id, a, D("2016-01-01"), D("2023-02-28"))
        w.register(p, a, D("2016-01-01"), D("2023-02-28"))
        w.insure(p.person_id, w.payer_of(a), D("2016-01-01"), D("2023-04-01"), split=False)
        w.employ(p.person_id, b, D("2023-03-01"), None)
        w.register(p, b, D("2023-03-01"), None)
        w.insure(p.person_id, w.payer_of(b), D("2023-05-01"), None, split=False)
        w.move_pairs[(a.unit_id, b.unit_id)] += 1
        self.neg("CL1", "job change: insurance at the new unit follows after 2 months (needs >= 3)",
                 [p.person_id], [b.unit_id])
        firms = [u for u in self.kinds["a"] + self.kinds["b"] if u.parent]
        for firm in firms[:2]:
            pid = next(pid for pid, _s, reg in firm.staff if reg)
            self.neg("CL1", "staff of a university-owned firm insured by the university (parent exemption)",
                     [pid], [firm.unit_id])
        for year in (1956, 1959):
            u = self.unit()
            p = self.person(u, retired=True, birth=date(year, 4, 12), title="正高级工程师")
            w.employ(p.person_id, u, D("2018-07-01"), None, "返聘总工程师")
            w.register(p, u, D("2018-07-01"), None)
            self.neg("CL1", "re-employed retiree without insurance", [p.person_id], [u.unit_id])

    # ------------------------------------------------------------------ CL2
    def cl2(self) -> None:
        w = self.w
        a, b = self.fresh_units(2)
        p = self.clean([(a, D("2014-04-01"), None)])
        w.employ(p.person_id, b, D("2024-03-01"), D("2024-06-30"), "兼职规划师")
        w.move_pairs[(a.unit_id, b.unit_id)] += 1
        self.pos("CL2", [p.person_id], [a.unit_id, b.unit_id], note="second employment overlapping 122 days")

        a, b = self.fresh_units(2)
        p = self.clean([(a, D("2016-05-01"), None)], registered_from=D("2016-05-01"))
        w.register(p, b, D("2023-01-01"), D("2023-12-31"))
        self.pos("CL2", [p.person_id], [a.unit_id, b.unit_id], note="two registrations overlapping a year")
        self.pos("CL1", [p.person_id], [b.unit_id], note="second registration without insurance")

        a, b = self.fresh_units(2)
        p = self.person(b)
        w.employ(p.person_id, a, D("2015-01-01"), D("2023-05-31"))
        w.insure(p.person_id, w.payer_of(a), D("2015-01-01"), D("2023-04-01"))
        w.employ(p.person_id, b, D("2023-05-01"), None)
        w.insure(p.person_id, w.payer_of(b), D("2023-05-01"), None)
        w.move_pairs[(a.unit_id, b.unit_id)] += 1
        self.pos("CL2", [p.person_id], [a.unit_id, b.unit_id], note="overlap of exactly 31 days (boundary)")

        a, b = self.fresh_units(2)
        p = self.person(b)
        w.employ(p.person_id, a, D("2015-01-01"), D("2023-05-30"))
        w.insure(p.person_id, w.payer_of(a), D("2015-01-01"), D("2023-04-01"))
        w.employ(p.person_id, b, D("2023-05-01"), None)
        w.insure(p.person_id, w.payer_of(b), D("2023-05-01"), None)
        w.move_pairs[(a.unit_id, b.unit_id)] += 1
        self.neg("CL2", "concurrent employments overlapping 30 days (needs >= 31)", [p.person_id], [a.unit_id, b.unit_id])

    # ------------------------------------------------------------------ CL3
    def cl3(self) -> None:
        w = self.w
        gov = self.kinds["gov"]
        u = self.unit()
        p = self.person(u)
        w.employ(p.person_id, u, D("2020-09-01"), None)
        w.register(p, u, D("2020-09-01"), None)
        w.insure(p.person_id, gov[0], D("2012-01-01"), None, split=False)
        self.pos("CL3", [p.person_id], [u.unit_id], note="registered while insured by a government office (机关)")
        self.pos("CL1", [p.person_id], [u.unit_id], note="insured by a government office, not by the unit")

        u = self.unit()
        p = self.clean([(u, D("2019-01-01"), None)], registered_from=D("2019-01-01"), civil_servant=True)
        self.pos("CL3", [p.person_id], [u.unit_id], note="civil_servant=是 with an active registration")

        u = self.unit()
        p = self.clean([(u, D("2016-03-01"), None)], registered_from=D("2016-03-01"))
        w.insure(p.person_id, gov[1 % len(gov)], D("2023-03-01"), D("2023-03-01"), split=False)
        self.pos("CL3", [p.person_id], [u.unit_id], note="one month of insurance by a government office while registered")

        u = self.unit()
        g = gov[2 % len(gov)]
        p = self.person(u, civil_servant=True)
        w.employ(p.person_id, u, D("2012-01-01"), D("2019-12-31"))
        w.insure(p.person_id, u, D("2012-01-01"), D("2019-12-01"))
        w.register(p, u, D("2014-01-01"), D("2019-12-31"))
        w.employ(p.person_id, g, D("2020-01-01"), None)
        w.insure(p.person_id, g, D("2020-01-01"), None)
        w.move_pairs[(u.unit_id, g.unit_id)] += 1
        self.neg("CL3", "registration ended before joining a government office", [p.person_id], [u.unit_id])

    # ------------------------------------------------------------------ CL4
    def _project(self, lead: Unit, start: date, legit: int = 2) -> str:
        pid, _ = self.w.project(lead, start, self.rng.choice(sorted(SPECIALTIES)))
        for idx, person_id in enumerate(self.long_staff(lead, start - timedelta(days=60), legit)):
            self.w.member(pid, person_id, lead, "主要编制人员" if idx else "技术负责人")
        return pid

    def cl4(self) -> None:
        w = self.w
        lead, work = self.fresh_units(2)
        p = self.clean([(work, D("2018-01-01"), None)])
        j = self._project(lead, D("2024-04-15"))
        w.member(j, p.person_id, lead, "项目负责人")
        self.pos("CL4", [p.person_id], [lead.unit_id], project=j, note="project leader not at the lead unit")

        x, now = self.fresh_units(2)
        p = self.clean([(x, D("2015-01-01"), D("2021-12-31")), (now, D("2022-01-01"), None)],
                       registered_from=D("2016-06-01"))
        j = self._project(x, D("2023-06-01"))
        w.member(j, p.person_id, x, "技术负责人")
        self.pos("CL4", [p.person_id], [x.unit_id], project=j, note="signing for the former employer")

        lead, work = self.fresh_units(2)
        p = self.clean([(work, D("2017-01-01"), None)])
        j = self._project(lead, D("2024-08-20"))
        w.member(j, p.person_id, lead, "参与人员")
        self.neg("CL4", "not at the lead unit, but only a participant (not a responsible role)",
                 [p.person_id], [lead.unit_id], project=j)

        lead = self.unit()
        p = self.clean([(lead, D("2024-09-01"), None)])
        j = self._project(lead, D("2024-09-01"))
        w.member(j, p.person_id, lead, "项目负责人")
        self.neg("CL4", "employment at the lead unit starts on the project's start date", [p.person_id],
                 [lead.unit_id], project=j)

    # ------------------------------------------------------------------ CL5
    def cl5(self) -> None:
        w = self.w
        a = self.unit()
        agency = w.external_org(f"{a.city.removesuffix('市')}智联企业管理咨询有限公司", province=a.province)
        p = self.clean([(a, D("2015-01-01"), None)])
        w.insure(p.person_id, agency, D("2024-01-01"), D("2024-02-01"), split=False)
        self.pos("CL5", [p.person_id], [w.payer_of(a).unit_id, agency.unit_id], note="second payer for 2 months (boundary)")

        a, b = self.fresh_units(2)
        p = self.clean([(a, D("2012-07-01"), None)])
        w.insure(p.person_id, b, D("2021-06-01"), D("2022-05-01"), split=False)
        self.pos("CL5", [p.person_id], [w.payer_of(a).unit_id, b.unit_id], note="insured by two units for a year")

        a, b = self.fresh_units(2)
        p = self.person(b)
        w.employ(p.person_id, a, D("2014-01-01"), D("2022-08-31"))
        w.insure(p.person_id, w.payer_of(a), D("2014-01-01"), D("2022-09-01"))
        w.employ(p.person_id, b, D("2022-09-01"), None)
        w.insure(p.person_id, w.payer_of(b), D("2022-09-01"), None)
        w.move_pairs[(a.unit_id, b.unit_id)] += 1
        self.neg("CL5", "job change with one overlapping insurance month (needs >= 2)", [p.person_id],
                 [w.payer_of(a).unit_id, w.payer_of(b).unit_id])

    # ------------------------------------------------------------------ TR1
    def tr1(self) -> None:
        a, b, c, d = self.fresh_units(4)
        p = self.clean([(a, D("2012-01-01"), D("2023-12-31")), (b, D("2024-01-01"), D("2024-06-30")),
                        (c, D("2024-07-01"), D("2025-03-31")), (d, D("2025-04-01"), None)])
        self.pos("TR1", [p.person_id], note="3 moves within 456 days")
        a, b, c, d = self.fresh_units(4)
        p = self.clean([(a, D("2010-01-01"), D("2022-12-31")), (b, D("2023-01-01"), D("2023-12-31")),
                        (c, D("2024-01-01"), D("2024-12-30")), (d, D("2024-12-31"), None)])
        self.pos("TR1", [p.person_id], note="3 moves spanning exactly 730 days (boundary)")
        a, b, c, d, e = self.fresh_units(5)
        p = self.clean([(a, D("2011-03-01"), D("2022-02-28")), (b, D("2022-03-01"), D("2022-09-30")),
                        (c, D("2022-10-01"), D("2023-04-30")), (d, D("2023-05-01"), D("2023-12-31")),
                        (e, D("2024-01-01"), None)], registered_from=D("2018-05-01"))
        self.pos("TR1", [p.person_id], note="registered planner, 4 moves in 22 months")
        a, b, c, d = self.fresh_units(4)
        p = self.clean([(a, D("2010-01-01"), D("2022-12-31")), (b, D("2023-01-01"), D("2023-12-31")),
                        (c, D("2024-01-01"), D("2024-12-31")), (d, D("2025-01-01"), None)])
        self.neg("TR1", "3 moves spanning 731 days (needs <= 730)", [p.person_id])

    # ------------------------------------------------------------------ TR2
    def tr2(self) -> None:
        w = self.w
        grade_a = [u for u in self.kinds["a"] if not u.parent]
        u = grade_a[0]
        s, d = D("2025-03-10"), D("2025-05-20")
        declared = [(pid, "技术人员") for pid in self.long_staff(u, s - timedelta(days=400), 15)]
        cases: list[tuple[Person, str, bool]] = []
        x = self.unit(exclude=(u,))
        p = self.clean([(x, D("2016-01-01"), None)])
        cases.append((p, "declared but employed elsewhere", True))
        w1, z1 = self.fresh_units(2)
        p = self.clean([(w1, D("2014-01-01"), D("2025-01-31")), (u, D("2025-02-01"), D("2025-09-30")),
                        (z1, D("2025-10-01"), None)])
        cases.append((p, "hired 37 days before submission, left 133 days after approval", True))
        w2, z2 = self.fresh_units(2)
        p = self.clean([(w2, D("2015-04-01"), D("2024-12-09")), (u, D("2024-12-10"), D("2025-11-16")),
                        (z2, D("2025-11-17"), None)])
        cases.append((p, "hired exactly 90 days before submission, left exactly 180 days after approval (boundary)", True))
        w3, z3 = self.fresh_units(2)
        p = self.clean([(w3, D("2013-04-01"), D("2024-12-08")), (u, D("2024-12-09"), D("2025-08-28")),
                        (z3, D("2025-08-29"), None)])
        cases.append((p, "hired 91 days before submission (needs >= -90)", False))
        w4 = self.unit(exclude=(u,))
        p = self.clean([(w4, D("2013-04-01"), D("2025-01-31")), (u, D("2025-02-01"), None)])
        cases.append((p, "hired 37 days before submission but still employed (no end date)", False))
        aid = w.application(u, "甲级", s, d, "批准", declared + [(c[0].person_id, "注册城乡规划师") for c in cases])
        for person, note, positive in cases:
            if positive:
                self.pos("TR2", [person.person_id], app=aid, note=note)
            else:
                self.neg("TR2", note, [person.person_id], app=aid)
        u2 = self.kinds["b"][-1]
        s2 = D("2024-07-15")
        x = self.unit(exclude=(u2,))
        p = self.clean([(x, D("2019-09-01"), None)])
        aid = w.application(u2, "甲级", s2, None, "撤回",
                            [(pid, "技术人员") for pid in self.long_staff(u2, s2 - timedelta(days=400), 10)]
                            + [(p.person_id, "注册城乡规划师")])
        self.pos("TR2", [p.person_id], app=aid, note="upgrade application (withdrawn) declaring an outsider")

    # ------------------------------------------------------------------ TR3
    def _group(self, a: Unit, b: Unit, dates: list[date]) -> list[str]:
        ids = []
        for d in dates:
            start = add_months(D("2008-01-01"), self.rng.randrange(120))
            p = self.clean([(a, start, d - timedelta(days=1)), (b, d, None)])
            b.staff.append((p.person_id, d, False))
            ids.append(p.person_id)
        return ids

    def tr3(self) -> None:
        w = self.w
        a, b = self.fresh_units(2)
        self._group(a, b, [D("2024-03-01"), D("2024-03-15"), D("2024-04-01"), D("2024-04-10"), D("2024-04-20")])
        self.pos("TR3", units=[a.unit_id, b.unit_id], note="5 persons within 50 days")
        a, b = self.fresh_units(2)
        self._group(a, b, [D("2023-09-01"), D("2023-09-20"), D("2023-10-05"), D("2023-10-18"), D("2023-10-31")])
        self.pos("TR3", units=[a.unit_id, b.unit_id], note="5 persons within exactly 60 days (boundary)")
        a, b = self.fresh_units(2)
        self._group(a, b, [D("2022-06-01") + timedelta(days=5 * i) for i in range(6)])
        self.pos("TR3", units=[a.unit_id, b.unit_id], note="6 persons within 25 days")
        a, b = self.fresh_units(2)
        self._group(a, b, [D("2023-06-01"), D("2023-06-05"), D("2023-06-12"), D("2023-06-20"), D("2023-07-10")])
        w.reorganization(a, b, D("2023-02-21"), "合并")
        self.neg("TR3", "group of 5 covered by a reorganization (合并) 100 days before", units=[a.unit_id, b.unit_id])
        a, b = self.fresh_units(2)
        self._group(a, b, [D("2024-09-01"), D("2024-09-10"), D("2024-09-20"), D("2024-09-30")])
        self.neg("TR3", "group of 4 persons (needs >= 5)", units=[a.unit_id, b.unit_id])
        a, b = self.fresh_units(2)
        d0 = D("2022-11-01")
        self._group(a, b, [d0, d0 + timedelta(days=15), d0 + timedelta(days=30), d0 + timedelta(days=45),
                           d0 + timedelta(days=61)])
        self.neg("TR3", "5 persons but first to last 61 days and no 60-day window with 5", units=[a.unit_id, b.unit_id])

    # ------------------------------------------------------------------ TR4
    def tr4(self) -> None:
        a, b = self.fresh_units(2)
        p = self.clean([(a, D("2015-01-01"), D("2024-02-29")), (b, D("2024-03-01"), D("2024-12-31")),
                        (a, D("2025-01-01"), None)])
        self.pos("TR4", [p.person_id], note="stay of 305 days at B")
        a, b = self.fresh_units(2)
        p = self.clean([(a, D("2016-01-01"), D("2024-02-29")), (b, D("2024-03-01"), D("2025-03-01")),
                        (a, D("2025-03-02"), None)], registered_from=D("2019-01-01"))
        self.pos("TR4", [p.person_id], note="stay of exactly 365 days at B (boundary)")
        a, b = self.fresh_units(2)
        p = self.clean([(a, D("2016-01-01"), D("2024-02-29")), (b, D("2024-03-01"), D("2025-03-02")),
                        (a, D("2025-03-03"), None)])
        self.neg("TR4", "stay of 366 days at B (needs <= 365)", [p.person_id])

    # ------------------------------------------------------------------ LK1
    def lk1(self) -> None:
        w = self.w
        m = w.ids.mobile()
        p1 = self.clean([(self.unit(), D("2016-01-01"), None)], phone=m)
        p2 = self.clean([(self.unit(), D("2018-05-01"), None)], phone=f"+86 {m[:3]}-{m[3:7]}-{m[7:]}")
        self.pos("LK1", [p1.person_id, p2.person_id], note="same mobile written differently")
        mail = w.ids.email("Zhanglei")
        ps = [self.clean([(self.unit(), D("2015-03-01") + timedelta(days=400 * i), None)], email=v).person_id
              for i, v in enumerate([mail, mail.lower(), mail.upper()])]
        self.pos("LK1", ps, note="same e-mail in different case")
        m = w.ids.mobile()
        p1 = self.clean([(self.unit(), D("2017-02-01"), None)], phone=f"0086{m}")
        p2 = self.clean([(self.unit(), D("2019-08-01"), None)], phone=m)
        self.pos("LK1", [p1.person_id, p2.person_id], note="same mobile with 0086 prefix")

    # ------------------------------------------------------------------ LK2 / LK3
    def lk(self) -> None:
        w = self.w
        prov = "浙江省"
        city = "杭州市"
        line = w.ids.landline("330106")
        x1 = self.small_unit(province=prov, city=city, phone=line)
        x2 = self.small_unit(province=prov, city=city, phone=line.replace("-", ""))
        self.pos("LK2", units=[x1.unit_id, x2.unit_id], note="same landline")
        mail = w.ids.email("Service", "plan-consult.cn")
        x3 = self.small_unit(email=mail)
        x4 = self.small_unit(email=mail.lower())
        self.pos("LK2", units=[x3.unit_id, x4.unit_id], note="same e-mail, different case")
        ph = [self.small_unit(phone=v) for v in ("-", "无", "00000000000")]
        self.neg("LK2", "placeholder phones (-, 无, all zeros) are ignored", units=[u.unit_id for u in ph])

        def movers(pairs: list[tuple[Unit, Unit]], start: date) -> None:
            for i, (a, b) in enumerate(pairs):
                d = add_months(start, 9 * i)
                self.clean([(a, add_months(d, -40), d - timedelta(days=1)), (b, d, None)])

        # Ring 1: three units sharing one phone; three persons moved among them.
        line = w.ids.landline("440104")
        r = [self.small_unit(province="广东省", city="广州市", phone=line) for _ in range(3)]
        movers([(r[0], r[1]), (r[1], r[2]), (r[2], r[0])], D("2022-05-01"))
        ids = [u.unit_id for u in r]
        self.pos("LK2", units=ids, note="ring 1 shares a phone")
        self.pos("LK3", units=ids, note="ring 1: 3 units, 3 persons moved among them")
        # Ring 2: e-mail link, legal_rep link, phone link.
        mail = w.ids.email("hr", "ghzx.com")
        rep = w.unique_rep()
        line = w.ids.landline("510104")
        r4 = self.small_unit(email=mail)
        r5 = self.small_unit(email=mail.upper(), legal_rep=rep)
        r6 = self.small_unit(legal_rep=rep, phone=line)
        r7 = self.small_unit(phone=line)
        movers([(r4, r6), (r7, r5), (r5, r4)], D("2021-03-01"))
        self.pos("LK2", units=[r4.unit_id, r5.unit_id], note="ring 2 e-mail link")
        self.pos("LK2", units=[r6.unit_id, r7.unit_id], note="ring 2 phone link")
        self.pos("LK3", units=[u.unit_id for u in (r4, r5, r6, r7)],
                 note="ring 2: linked by e-mail, shared legal_rep and phone; 3 persons moved")
        # Not rings: three linked units with only 2 movers; two units with 3 movers.
        mail = w.ids.email("admin", "chengxin-plan.com")
        r = [self.small_unit(email=mail) for _ in range(3)]
        movers([(r[0], r[1]), (r[2], r[0])], D("2020-06-01"))
        self.pos("LK2", units=[u.unit_id for u in r], note="three units share an e-mail")
        self.neg("LK3", "community of 3 units but only 2 persons moved", units=[u.unit_id for u in r])
        line = w.ids.landline("420102")
        r = [self.small_unit(phone=line) for _ in range(2)]
        movers([(r[0], r[1]), (r[1], r[0])], D("2019-02-01"))
        self.clean([(r[0], D("2012-01-01"), D("2023-02-28")), (r[1], D("2023-03-01"), None)])
        self.pos("LK2", units=[u.unit_id for u in r], note="two units share a phone")
        self.neg("LK3", "3 persons moved but only 2 linked units", units=[u.unit_id for u in r])

    # ------------------------------------------------------------------ QA1
    def _staffed(self, grade: str, n: int, n_reg: int, parent: Unit | None = None, outsiders: int = 0) -> Unit:
        w = self.w
        kw = {"province": parent.province, "city": parent.city, "parent": parent.unit_id} if parent else {}
        unit = w.new_unit("企业", grade, **kw)
        for i in range(n):
            start = add_months(D("2010-01-01"), self.rng.randrange(160))
            p = self.clean([(unit, start, None)], registered_from=start + timedelta(days=100) if i < n_reg else None)
            unit.staff.append((p.person_id, start, i < n_reg))
        agency = w.external_org(f"{unit.city.removesuffix('市')}才智人力资源有限公司", province=unit.province)
        for _ in range(outsiders):
            p = self.person(unit)
            start = add_months(D("2015-01-01"), self.rng.randrange(100))
            w.employ(p.person_id, unit, start, None)
            w.insure(p.person_id, agency, start, None)
        return unit

    def qa1(self) -> None:
        u = self._staffed("甲级", 39, 12)
        self.pos("QA1", units=[u.unit_id], note="甲级 with 39 employed-and-insured staff")
        u = self._staffed("乙级", 24, 3)
        self.pos("QA1", units=[u.unit_id], note="乙级 with only 3 registered planners")
        u = self._staffed("甲级", 36, 11, outsiders=8)
        self.pos("QA1", units=[u.unit_id], note="甲级: 44 employed but 8 insured by an agency")
        u = self._staffed("甲级", 40, 10)
        self.neg("QA1", "甲级 with exactly 40 staff and 10 registered (meets the bar)", units=[u.unit_id])
        uni = self.kinds["univ"][-1]
        u = self._staffed("乙级", 20, 4, parent=uni)
        self.neg("QA1", "乙级 university firm: 20 staff insured by the university (parent counts)", units=[u.unit_id])

    # ------------------------------------------------------------------ misc
    def namesakes_and_placeholders(self) -> None:
        w = self.w
        for a, b in w.namesake_pairs[:20]:
            self.neg("LK1", "namesakes (同名同姓) with different ID numbers and contacts", [a, b])
        for phone, pids in sorted(w.placeholder_phones.items()):
            if len(pids) >= 2:
                self.neg("LK1", f"placeholder phone {phone!r} shared by {len(pids)} persons is ignored", pids[:50],
                         note="truncated to 50 persons" if len(pids) > 50 else "")
        # An old expert (over 70) in the pool: a re-employed retiree without insurance or registration.
        u = self.kinds["a"][0]
        p = self.person(u, retired=True, birth=D("1953-03-08"), title="正高级工程师",
                        bio="正高级工程师，长期从事国土空间总体规划编制，主持多个市县国土空间总体规划。")
        w.employ(p.person_id, u, D("2016-01-01"), None, "返聘专家")
        eid = w.expert(p, "master_plan", "国家级", "在库", D("2012-05-01"))
        w.old_experts.add(eid)

    def plant_all(self) -> None:
        self.cl1()
        self.cl2()
        self.cl3()
        self.cl4()
        self.cl5()
        self.tr1()
        self.tr2()
        self.tr3()
        self.tr4()
        self.lk1()
        self.lk()
        self.qa1()
        self.namesakes_and_placeholders()
