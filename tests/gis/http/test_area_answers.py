"""Area items answered once per boundary version (gateway/gis/answers.py, issue #15): the same
answer and ETag while the set is current, 304 to a browser that has it, and never the old
answer once a new set is current in gis."""

from __future__ import annotations

import json

import pytest

from tests.support.factories import auth
from tests.support.serang import DATA
from tests.support.waiting import wait_until

LAYER = "/gis/collections/desa/items?limit=1000"


@pytest.fixture(scope="module")
def platform_options():
    return {"service_config": {"GIS_SET_CACHE_SECONDS": 0.2}}  # gis notices a new set at once


def test_the_same_set_gives_the_same_answer_and_a_browser_revalidates_with_304(client):
    first = client.get(LAYER)
    assert first.status_code == 200, first.get_data(as_text=True)[:300]
    assert first.mimetype == "application/geo+json"
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    assert first.get_json()["numberReturned"] == 326
    again = client.get(LAYER)
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    not_modified = client.get(LAYER, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    other = client.get("/gis/collections/desa/items?limit=5")
    assert other.status_code == 200 and other.headers["ETag"] != first.headers["ETag"]
    assert other.get_json()["numberReturned"] == 5
    small = client.get("/gis/collections/kecamatan/items?kode=36.04.05")  # a filter is a query
    assert [f["id"] for f in small.get_json()["features"]] == ["36.04.05"]


def test_a_new_boundary_set_is_answered_as_soon_as_gis_has_it(client, admin):
    before = client.get(LAYER)
    old = {f["id"]: f["properties"]["nama"] for f in before.get_json()["features"]}
    renamed = json.loads((DATA / "kab_serang_boundaries.geojson").read_text())
    target = next(f for f in renamed["features"] if f["properties"].get("level") == "desa")
    code = target["properties"]["kode"]
    target["properties"]["nama"] = "Desa Baru Uji"
    imported = client.post(
        "/api/v1/admin/gis/boundaries",
        json={"version": "uji-nama", "source": "uji", "geojson": renamed},
        headers=auth(admin),
    )
    assert imported.status_code in (200, 201) and imported.get_json()["created"] is True

    def renamed_answer():
        answer = client.get(LAYER, headers={"If-None-Match": before.headers["ETag"]})
        if answer.status_code == 304:
            return None
        names = {f["id"]: f["properties"]["nama"] for f in answer.get_json()["features"]}
        return answer if names[code] == "Desa Baru Uji" else None

    answer = wait_until(renamed_answer, timeout=10, interval=0.2)
    assert answer.headers["ETag"] != before.headers["ETag"]
    # the collection's description names the new set too (asked again for the new set)
    assert "uji-nama" in client.get("/gis/collections/desa").get_json()["description"]
    assert old[code] != "Desa Baru Uji"
    # and from then on never the old answer, to a browser that holds it or not
    for _ in range(3):
        assert (
            client.get(LAYER, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200
        )
        assert client.get(LAYER).headers["ETag"] == answer.headers["ETag"]


def test_answers_are_kept_within_a_byte_budget_least_recently_used_first_out():
    from gateway.gis.answers import Answers

    kept = Answers(budget=100)
    first = kept.put(("a",), b"x" * 20)
    kept.put(("b",), b"y" * 20)
    assert kept.get(("a",)) == first and first[1] == kept.put(("a",), b"x" * 20)[1]
    for name in "cdef":  # 20 bytes each: the budget holds five
        kept.put((name,), name.encode() * 20)
    assert kept.get(("b",)) is None  # least recently used: gone first
    assert kept.get(("a",)) is not None  # asked for again lately: kept
    assert kept.size <= 100 and len(kept) == 5
    kept.put(("big",), b"z" * 30)  # over a quarter of the budget: answered, not kept
    assert kept.get(("big",)) is None
