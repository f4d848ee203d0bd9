"""Kartu Kuning's domicile gets the report form's pin picker (issue #13): the map, the named
place, 'Gunakan lokasi saya' and the point's fields, still typeable, in the form that posts them;
without JavaScript a typed point alone (no desa) still files the application, its desa found
from the point."""

from __future__ import annotations

import re

from tests.jobcards.http.test_pages import Browser, form, location_id
from tests.jobcards.support import BASE
from tests.support.factories import auth, login, register_citizen

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)


def test_the_domicile_has_the_picker_and_a_typed_point_alone_files(platform, client):
    email = register_citizen(client)["email"]
    person = Browser(platform.app, email)
    page = person.text("/kartu-kuning/ajukan")
    body = next(
        f
        for f in re.findall(r'<form method="post"[^>]*>(.*?)</form>', page, re.DOTALL)
        if 'id="peta-lokasi"' in f
    )
    assert re.search(r'<div id="peta-lokasi" class="peta peta-lokasi" role="region"', body)
    assert '<p id="lokasi-terpilih" aria-live="polite">' in body
    assert '<button type="button" id="here">Gunakan lokasi saya</button>' in body
    assert body.index('id="desa_code"') < body.index('id="peta-lokasi"') < body.index('id="lat"')
    for name in ("lat", "lon"):
        assert re.search(rf'<input id="{name}" name="{name}" type="text"', body)
    assert "/static/js/peta.js" in page and "/static/js/peta-usulan.js" in page
    assert not INLINE_HANDLER.search(page)

    typed = form(desa_code="", lat="-6.0653", lon="106.1190", work_wanted="Operator mesin")
    made = person.post("/kartu-kuning/ajukan", typed, "/kartu-kuning/ajukan")
    application_id = location_id(made)
    stored = client.get(f"{BASE}/{application_id}", headers=auth(login(client, email))).get_json()
    assert stored["desa_code"] and stored["desa_code"].startswith("36.04.")
