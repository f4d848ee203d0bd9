"""gis.upsert_points and gis.remove_points, the internal RPCs no service calls today (the public
layers are fed by events) and no other test reached (issue #18): called on the bus as the
services they name (complaints, proposals), their points show on, and leave, the public map
every user reads; a caller they do not name changes nothing."""

from __future__ import annotations

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from servicekit.context import CALLER_KEY
from servicekit.errors import Forbidden, Invalid
from tests.support.serang import desa_in

LAYER = "complaints"


def gis(platform, caller: str | None):
    context = {CALLER_KEY: caller} if caller else {}
    return ServiceRpcProxy("gis", platform.config, context_data=context, timeout=10)


def point(feature_id: str, where: dict, **properties) -> dict:
    return {
        "id": feature_id,
        "lat": where["lat"],
        "lon": where["lon"],
        "properties": {"public_id": feature_id, "status": "submitted", **properties},
    }


def on_map(client, feature_id: str):
    found = client.get(f"/gis/collections/{LAYER}/items/{feature_id}")
    return found.get_json() if found.status_code == 200 else None


def test_points_upserted_as_a_named_service_show_on_the_map_and_are_replaced_in_place(platform):
    client = platform.client
    here, there = desa_in("36.04.20"), desa_in("36.04.22")
    with gis(platform, "complaints") as proxy:
        assert proxy.upsert_points(LAYER, [point("UJI-PETA-1", here, category="jalan-rusak")]) == 1

    shown = on_map(client, "UJI-PETA-1")
    assert shown["geometry"]["coordinates"] == [here["lon"], here["lat"]]
    assert shown["properties"]["category"] == "jalan-rusak"
    nearest = client.get(
        "/api/v1/gis/nearest", query_string={"layer": LAYER, "lat": here["lat"], "lon": here["lon"]}
    ).get_json()
    assert nearest[0]["id"] == "UJI-PETA-1" and nearest[0]["distance_m"] < 1

    with gis(platform, "proposals") as proxy:  # the other service it names
        moved = point("UJI-PETA-1", there, category="drainase-banjir", status="in_progress")
        assert proxy.upsert_points(LAYER, [moved]) == 1

    shown = on_map(client, "UJI-PETA-1")
    assert shown["geometry"]["coordinates"] == [there["lon"], there["lat"]]
    assert shown["properties"]["category"] == "drainase-banjir"
    assert shown["properties"]["status"] == "in_progress"
    matched = client.get(f"/gis/collections/{LAYER}/items", query_string={"limit": 1000})
    assert [f["id"] for f in matched.get_json()["features"]].count("UJI-PETA-1") == 1


def test_removed_points_leave_the_map_and_removing_them_again_changes_nothing(platform):
    client = platform.client
    where = desa_in("36.04.05")
    with gis(platform, "complaints") as proxy:
        added = [point("UJI-HAPUS-1", where), point("UJI-HAPUS-2", where)]
        assert proxy.upsert_points(LAYER, added) == 2
        assert on_map(client, "UJI-HAPUS-1") and on_map(client, "UJI-HAPUS-2")

        assert proxy.remove_points(LAYER, ["UJI-HAPUS-1", "UJI-TIDAK-ADA"]) == 1
        assert on_map(client, "UJI-HAPUS-1") is None
        assert on_map(client, "UJI-HAPUS-2") is not None  # not named: kept

        assert proxy.remove_points(LAYER, ["UJI-HAPUS-1"]) == 0
    assert client.get(f"/gis/collections/{LAYER}/items/UJI-HAPUS-1").status_code == 404


@pytest.mark.parametrize("caller", [None, "gateway", "notifications", "accounts"])
def test_a_caller_they_do_not_name_changes_nothing(platform, caller):
    client = platform.client
    where = desa_in("36.04.20")
    kept = f"UJI-TETAP-{caller}"
    with gis(platform, "complaints") as proxy:
        proxy.upsert_points(LAYER, [point(kept, where, category="jalan-rusak")])
    before = on_map(client, kept)

    with gis(platform, caller) as proxy:
        with pytest.raises(Forbidden):
            proxy.upsert_points(LAYER, [point(f"UJI-ASING-{caller}", where)])
        with pytest.raises(Forbidden):
            proxy.upsert_points(LAYER, [point(kept, desa_in("36.04.22"), category="lain")])
        with pytest.raises(Forbidden):
            proxy.remove_points(LAYER, [kept])

    assert on_map(client, f"UJI-ASING-{caller}") is None
    assert on_map(client, kept) == before


def test_a_point_off_the_globe_is_refused_and_nothing_of_the_batch_is_kept(platform):
    where = desa_in("36.04.20")
    with gis(platform, "complaints") as proxy, pytest.raises(Invalid) as refused:
        proxy.upsert_points(
            LAYER, [point("UJI-SAH-1", where), point("UJI-RUSAK-1", where) | {"lat": 200}]
        )
    assert "lat" in refused.value.errors
    assert on_map(platform.client, "UJI-SAH-1") is None
    assert on_map(platform.client, "UJI-RUSAK-1") is None
