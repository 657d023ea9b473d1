import time
from tests.api.conftest import Site

def test_time(site: Site) -> None:
    for body in [{"as_of": "2000-01-01", "exclude_unit_ids": [], "k": 10, "level": "", "plan_type": "", "province": "", "spread_provinces": False, "text": "0"},
                 {"text": "0"}, {"text": "总体规划"}]:
        t = time.perf_counter()
        r = site.post("manager", "/api/experts/recommend", json=body)
        print(body, r.status_code, round(time.perf_counter() - t, 2), r.text[:300])
